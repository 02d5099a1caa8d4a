// Computes a table's multi-row header — which cell spans which columns and rows —
// from the column tree of its layout. One function, used by the HTML and the PDF
// alike, so the two can never draw different headers.

import type { ColumnNode } from '../schema/table-set.ts';

export interface HeaderCell {
  /** Stable id, unique in the table: `h-<table>-<n>`; used by HTML `headers`. */
  id: string;
  text: string;
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** 'stub' for row-label columns, 'group' for a node with children, 'leaf' otherwise. */
  kind: 'stub' | 'group' | 'leaf';
  /** For leaves: the column id of the layout. */
  columnId?: string;
}

export interface LeafColumn {
  /** Layout column id, or the stub field (`unit`, `code`, `name`, `label`). */
  id: string;
  type: 'amount' | 'text' | 'code' | 'label';
  /** Titles from the top of the tree down to this column, e.g. 本年收入 / 财政拨款 / … / 小计. */
  path: string[];
  /** Ids of the header cells over this column, top to bottom. */
  headerIds: string[];
  stub: boolean;
}

export interface Header {
  rows: HeaderCell[][];
  depth: number;
  leaves: LeafColumn[];
}

export interface StubColumn {
  field: string;
  title: string;
}

export function treeDepth(nodes: readonly ColumnNode[]): number {
  let d = 0;
  for (const n of nodes) d = Math.max(d, 1 + (n.children?.length ? treeDepth(n.children) : 0));
  return d;
}

function leafCount(n: ColumnNode): number {
  return n.children?.length ? n.children.reduce((s, c) => s + leafCount(c), 0) : 1;
}

/**
 * Lays out the header: stub columns span every header row; a group spans its
 * leaves; a leaf that is shallower than the tree spans down to the last row.
 * `title` fills placeholders such as {{year}} in titles.
 */
export function computeHeader(tableId: string, stub: readonly StubColumn[], columns: readonly ColumnNode[], title: (t: string) => string = (t) => t): Header {
  const depth = Math.max(1, treeDepth(columns));
  const rows: HeaderCell[][] = Array.from({ length: depth }, () => []);
  const leaves: LeafColumn[] = [];
  let n = 0;
  const nextId = () => `h-${tableId}-${++n}`;

  stub.forEach((s, i) => {
    const cell: HeaderCell = { id: nextId(), text: title(s.title), row: 0, col: i, rowSpan: depth, colSpan: 1, kind: 'stub', columnId: s.field };
    rows[0]!.push(cell);
    leaves.push({
      id: s.field,
      type: s.field === 'code' ? 'code' : 'label',
      path: [cell.text],
      headerIds: [cell.id],
      stub: true,
    });
  });

  let col = stub.length;
  const place = (nodes: readonly ColumnNode[], row: number, path: string[], ids: string[]) => {
    for (const node of nodes) {
      const text = title(node.title);
      if (node.children?.length) {
        const cell: HeaderCell = { id: nextId(), text, row, col, rowSpan: 1, colSpan: leafCount(node), kind: 'group' };
        rows[row]!.push(cell);
        place(node.children, row + 1, [...path, text], [...ids, cell.id]);
      } else {
        const cell: HeaderCell = { id: nextId(), text, row, col, rowSpan: depth - row, colSpan: 1, kind: 'leaf', columnId: node.id! };
        rows[row]!.push(cell);
        leaves.push({ id: node.id!, type: node.type ?? 'amount', path: [...path, text], headerIds: [...ids, cell.id], stub: false });
        col++;
      }
    }
  };
  place(columns, 0, [], []);
  return { rows, depth, leaves };
}
