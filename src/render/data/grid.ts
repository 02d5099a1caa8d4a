// Places the cells of a table model on a grid of rows × columns, following the
// row and column spans — the same placement a browser does for an HTML table.
// CSV and XLSX files have no spans of their own, so they read cells from here.

import type { BodyCell, TableModel } from '../../derive/table-model.ts';
import type { HeaderCell } from '../../derive/header.ts';

export interface Placed<C> {
  cell: C;
  row: number;
  col: number;
  /** True for the top-left slot of the cell; false for a slot its span covers. */
  anchor: boolean;
}

/** Places rows of spanned cells; returns a full grid (null where no cell covers a slot). */
export function placeRows<C extends { colSpan: number; rowSpan: number }>(rows: readonly (readonly C[])[], columns: number): (Placed<C> | null)[][] {
  const grid: (Placed<C> | null)[][] = [];
  const ensure = (r: number) => {
    while (grid.length <= r) grid.push(Array.from({ length: columns }, () => null));
  };
  rows.forEach((cells, r) => {
    ensure(r);
    let c = 0;
    for (const cell of cells) {
      while (c < columns && grid[r]![c]) c++;
      if (c >= columns) throw new Error(`row ${r + 1} has more cells than the table's ${columns} columns`);
      for (let dr = 0; dr < cell.rowSpan; dr++) {
        ensure(r + dr);
        for (let dc = 0; dc < cell.colSpan; dc++) grid[r + dr]![c + dc] = { cell, row: r, col: c, anchor: dr === 0 && dc === 0 };
      }
      c += cell.colSpan;
    }
  });
  return grid;
}

/** The header rows of a table on the grid. */
export function headerGrid(t: TableModel): (Placed<HeaderCell> | null)[][] {
  return placeRows(t.header.rows, t.columnCount);
}

/** The body rows of a table on the grid (one grid row per body row). */
export function bodyGrid(t: TableModel): (Placed<BodyCell> | null)[][] {
  return placeRows(
    t.body.map((r) => r.cells),
    t.columnCount,
  );
}
