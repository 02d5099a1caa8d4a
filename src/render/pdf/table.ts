// Draws a table model as a pdfmake table: the caption block (表 N, title, 部门名称,
// 单位) and the computed column header are header rows, so both repeat on every page
// the table spans. Column widths and the type size are chosen from the real glyph
// widths so that every amount fits on one line and the table fits its page.

import type { Content, TableCell } from 'pdfmake/interfaces.js';
import type { BodyCell, TableModel } from '../../derive/table-model.ts';
import type { Fonts, FontRole } from './fonts.ts';
import { contentWidth, SIZE, TABLE_MARGINS_LANDSCAPE, TABLE_MARGINS_PORTRAIT, type Margins } from './page.ts';

export const TABLE_LAYOUT = 'budget';
const PAD_X = 3;
const PAD_Y = 2;
/** Line height factor of table text. */
const TABLE_LINE = 1.0;

/** Rules are 0.5 pt; none inside the caption block above the column header. */
export const tableLayouts = {
  [TABLE_LAYOUT]: {
    hLineWidth: (i: number, node: { captionRows?: number }) => (i < (node.captionRows ?? 0) ? 0 : 0.5),
    vLineWidth: () => 0.5,
    hLineColor: () => '#000000',
    vLineColor: () => '#000000',
    paddingLeft: () => PAD_X,
    paddingRight: () => PAD_X,
    paddingTop: () => PAD_Y,
    paddingBottom: () => PAD_Y,
  },
};

export function tableMargins(t: TableModel): Margins {
  return t.orientation === 'landscape' ? TABLE_MARGINS_LANDSCAPE : TABLE_MARGINS_PORTRAIT;
}

/** Breaks text into lines as a CJK typesetter would: any CJK character may start a line; Latin and digit runs stay whole. */
export function wrapLines(fonts: Fonts, role: FontRole, text: string, size: number, width: number): string[] {
  if (!text) return [''];
  const tokens = text.match(/[A-Za-z0-9.,%≥≤+\-/()²:]+|./gsu) ?? [];
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const tok of tokens) {
    if (tok === '\n') {
      lines.push(line);
      line = '';
      w = 0;
      continue;
    }
    const tw = fonts.width(role, tok, size);
    if (w + tw > width && line) {
      lines.push(line);
      line = tok.trimStart();
      w = fonts.width(role, line, size);
    } else {
      line += tok;
      w += tw;
    }
  }
  lines.push(line);
  return lines;
}

interface Sizing {
  size: number;
  widths: number[];
}

/** Chooses the largest type size (from 五号 down) at which every amount fits on one line. */
export function sizeTable(t: TableModel, fonts: Fonts, available: number): Sizing {
  const cols = t.columnCount;
  for (let size = SIZE.tableCaption; size >= 6; size -= 0.5) {
    const min: number[] = new Array(cols).fill(0);
    const amountCol: boolean[] = new Array(cols).fill(false);
    for (const o of cellPositions(t.body, cols)) {
      const cell = o.cell as BodyCell;
      if (cell.kind === 'amount' && cell.colSpan === 1) {
        amountCol[o.col] = true;
        min[o.col] = Math.max(min[o.col]!, fonts.width('body', cell.text, size) + 2 * PAD_X + 1);
      }
    }
    // Codes never wrap; a header over an amount gets at least four characters a line.
    for (const o of cellPositions(t.body, cols)) {
      const cell = o.cell as BodyCell;
      if (cell.kind === 'code' && cell.colSpan === 1) min[o.col] = Math.max(min[o.col]!, fonts.width('body', cell.text, size) + 2 * PAD_X + 1);
    }
    for (let c = 0; c < cols; c++) if (amountCol[c]) min[c] = Math.max(min[c]!, 4 * size + 2 * PAD_X + 1);
    const codeCol = t.header.leaves.map((l) => l.type === 'code');
    const fixed = min.reduce((s, w, i) => s + (amountCol[i] ? w : 0), 0);
    const rest = available - fixed;
    for (let c = 0; c < cols; c++) if (codeCol[c]) amountCol[c] = true;
    const weights = t.widths.map((w, i) => (amountCol[i] ? 0 : w));
    const wsum = weights.reduce((s, w) => s + w, 0);
    const minText = 4 * size + 2 * PAD_X; // at least four characters per text column
    const widths = t.widths.map((w, i) => (amountCol[i] ? min[i]! : wsum ? (rest * weights[i]!) / wsum : 0));
    const ok = rest > 0 && widths.every((w, i) => amountCol[i] || weights[i] === 0 || w >= minText);
    if (ok) {
      // Amount columns share any slack so the table spans the full width evenly.
      const amountCount = amountCol.filter(Boolean).length;
      if (wsum === 0 && amountCount) {
        const slack = (available - fixed) / amountCount;
        return { size, widths: widths.map((w, i) => (amountCol[i] ? w + slack : w)) };
      }
      // Keep amount columns uniform: widen all to the widest when there is room.
      const widest = Math.max(0, ...min.filter((_, i) => amountCol[i] && !codeCol[i]));
      const uniformFixed = min.reduce((s, w, i) => s + (codeCol[i] ? w : amountCol[i] ? widest : 0), 0);
      if (available - uniformFixed >= minText * weights.filter((w) => w > 0).length && wsum) {
        const r2 = available - uniformFixed;
        return { size, widths: t.widths.map((w, i) => (codeCol[i] ? min[i]! : amountCol[i] ? widest : (r2 * weights[i]!) / wsum)) };
      }
      return { size, widths };
    }
  }
  throw new Error(`表${t.number} ${t.title} 列数过多，无法在页面宽度内排下`);
}

/** Where each cell of rows with spans lands in the full grid. */
export function cellPositions<C extends { colSpan: number; rowSpan: number }>(rows: readonly { cells: readonly C[] }[], cols: number): { row: number; col: number; cell: C }[] {
  const taken: boolean[][] = rows.map(() => new Array(cols).fill(false));
  const out: { row: number; col: number; cell: C }[] = [];
  rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row.cells) {
      while (c < cols && taken[r]![c]) c++;
      if (c >= cols) break;
      out.push({ row: r, col: c, cell });
      for (let dr = 0; dr < cell.rowSpan; dr++) for (let dc = 0; dc < cell.colSpan; dc++) if (taken[r + dr]) taken[r + dr]![c + dc] = true;
      c += cell.colSpan;
    }
  });
  return out;
}

type Grid = (TableCell & Record<string, unknown>)[][];

const NO_BORDER = [false, false, false, false];

/** Expands a model's rows (with spans) into pdfmake's full grid with placeholder cells. */
function toGrid(
  rows: { cells: readonly (BodyCell | HeaderLike)[] }[],
  cols: number,
  make: (cell: BodyCell | HeaderLike) => TableCell & Record<string, unknown>,
  visualSpan: (cell: BodyCell | HeaderLike) => boolean = () => false,
): { grid: Grid; origin: { row: number; col: number; cell: BodyCell | HeaderLike }[] } {
  const grid: Grid = rows.map(() => Array.from({ length: cols }, () => ({ text: '' }) as TableCell & Record<string, unknown>));
  const origin = cellPositions(rows, cols);
  for (const o of origin) {
    const cell = make(o.cell);
    if (o.cell.colSpan > 1) cell.colSpan = o.cell.colSpan;
    if (o.cell.rowSpan > 1 && !visualSpan(o.cell)) cell.rowSpan = o.cell.rowSpan;
    grid[o.row]![o.col] = cell;
    if (o.cell.rowSpan > 1 && visualSpan(o.cell)) {
      // Leave out the rules inside the span.
      const last = o.row + o.cell.rowSpan - 1;
      for (let r = o.row; r <= last && r < rows.length; r++) {
        const target = r === o.row ? cell : (grid[r]![o.col] = { text: '', ...(o.cell.colSpan > 1 ? { colSpan: o.cell.colSpan } : {}) } as TableCell & Record<string, unknown>);
        target.border = [true, r === o.row, true, r === last];
      }
    }
  }
  return { grid, origin };
}

interface HeaderLike {
  text: string;
  colSpan: number;
  rowSpan: number;
  kind: 'stub' | 'group' | 'leaf';
}

export interface PdfTable {
  content: Content[];
  size: number;
  widths: number[];
}

export function renderTable(t: TableModel, fonts: Fonts, opts: { id: string; outline: string; before?: Content[] }): PdfTable {
  const margins = tableMargins(t);
  const available = contentWidth(t.orientation, margins);
  // pdfmake adds the padding and the rules around each column to its width.
  const inner = available - t.columnCount * (2 * PAD_X + 0.5) - 0.5;
  const { size, widths: outer } = sizeTable(t, fonts, available);
  const widths = outer.map((w) => Math.max(4, w - 2 * PAD_X - 0.5));
  void inner;
  const cols = t.columnCount;
  const line = fonts.lineHeight('body', size) * TABLE_LINE;
  const spanWidth = (col: number, span: number) => widths.slice(col, col + span).reduce((s, w) => s + w, 0) + (span - 1) * (2 * PAD_X + 0.5);

  // --- caption rows (no rules), repeated with the header
  const full = (cell: Record<string, unknown>): (TableCell & Record<string, unknown>)[] => [
    { ...cell, colSpan: cols, border: NO_BORDER } as TableCell & Record<string, unknown>,
    ...Array.from({ length: cols - 1 }, () => ({ text: '', border: NO_BORDER }) as TableCell & Record<string, unknown>),
  ];
  const caption: Grid = [];
  caption.push(full({ text: t.caption.label, fontSize: SIZE.tableCaption, alignment: 'left' }));
  caption.push(full({ text: t.caption.title, font: 'Title', fontSize: SIZE.tableTitle, alignment: 'center', margin: [0, 2, 0, 4] }));
  if (t.caption.subtitle) caption.push(full({ text: t.caption.subtitle, fontSize: SIZE.tableCaption, alignment: 'center' }));
  {
    const left = Math.max(1, Math.ceil(cols / 2));
    const row: Grid[number] = [
      { text: t.caption.unitLine ?? '', colSpan: left, border: NO_BORDER, fontSize: SIZE.tableCaption, alignment: 'left' } as TableCell & Record<string, unknown>,
      ...Array.from({ length: left - 1 }, () => ({ text: '', border: NO_BORDER }) as TableCell & Record<string, unknown>),
      { text: t.caption.currency, colSpan: cols - left, border: NO_BORDER, fontSize: SIZE.tableCaption, alignment: 'right' } as TableCell & Record<string, unknown>,
      ...Array.from({ length: cols - left - 1 }, () => ({ text: '', border: NO_BORDER }) as TableCell & Record<string, unknown>),
    ];
    if (cols === 1) row.splice(1);
    caption.push(row);
  }

  // --- column header rows
  const headerRows = t.header.rows.map((r) => ({ cells: r.map((h) => ({ text: h.text, colSpan: h.colSpan, rowSpan: h.rowSpan, kind: h.kind }) as HeaderLike) }));
  const headerHeights = headerRows.map(() => 0);
  const { grid: headerGrid, origin: headerOrigin } = toGrid(headerRows, cols, (cell) => ({ text: cell.text, bold: true, alignment: 'center', fontSize: size, lineHeight: TABLE_LINE }));
  // Estimate row heights, then centre row-spanning cells vertically (pdfmake does
  // not centre rowSpan cells correctly itself).
  const cellHeight = (text: string, col: number, span: number, role: FontRole) => wrapLines(fonts, role, text, size, spanWidth(col, span)).length * line;
  for (const o of headerOrigin) {
    if (o.cell.rowSpan === 1) headerHeights[o.row] = Math.max(headerHeights[o.row]!, cellHeight(o.cell.text, o.col, o.cell.colSpan, 'bodyBold'));
  }
  for (const o of headerOrigin) {
    const own = cellHeight(o.cell.text, o.col, o.cell.colSpan, 'bodyBold');
    const span = headerHeights.slice(o.row, o.row + o.cell.rowSpan).reduce((s, h) => s + h, 0) + (o.cell.rowSpan - 1) * (2 * PAD_Y + 0.5);
    const top = Math.max(0, (span - own) / 2);
    const cell = headerGrid[o.row]![o.col]!;
    if (top > 0.5) cell.margin = [0, top, 0, 0];
  }

  // --- body
  // Short row spans (表9's unit over three rows) are real spans, centred. Long ones
  // (表12's indicator levels) may cross a page, where pdfmake lays spans out badly:
  // they are drawn as the text in the first row with the rules inside the span
  // left out, which reads as one merged cell on any page.
  const bodyRows = t.body;
  const longSpan = (c: BodyCell | HeaderLike) => c.rowSpan > 3;
  const { grid: bodyGrid, origin: bodyOrigin } = toGrid(bodyRows, cols, (cell) => bodyCell(cell as BodyCell, size), longSpan);
  const bodyHeights = bodyRows.map(() => line);
  for (const o of bodyOrigin) {
    const c = o.cell as BodyCell;
    if (c.rowSpan === 1) bodyHeights[o.row] = Math.max(bodyHeights[o.row]!, cellHeight(c.text, o.col, c.colSpan, 'body'));
  }
  for (const o of bodyOrigin) {
    const c = o.cell as BodyCell;
    if (c.rowSpan <= 1 || longSpan(c)) continue;
    const own = cellHeight(c.text, o.col, c.colSpan, 'body');
    const span = bodyHeights.slice(o.row, o.row + c.rowSpan).reduce((s, h) => s + h, 0) + (c.rowSpan - 1) * (2 * PAD_Y + 0.5);
    const top = Math.max(0, (span - own) / 2);
    const cell = bodyGrid[o.row]![o.col]!;
    if (top > 0.5) cell.margin = [Number((cell.margin as number[] | undefined)?.[0] ?? 0), top, 0, 0];
  }
  // Form-like tables (表12) centre their label cells.
  if (t.kind === 'performance-targets') {
    for (const o of bodyOrigin) {
      const c = o.cell as BodyCell;
      const cell = bodyGrid[o.row]![o.col]!;
      if (c.isHeader && bodyRows[o.row]!.role !== 'row') cell.alignment = 'center';
      if (c.isHeader && bodyRows[o.row]!.role === 'row' && c.rowSpan > 1) cell.alignment = 'center';
    }
  }

  const body = [...caption, ...headerGrid, ...bodyGrid];
  const marker: Content = { text: ' ', fontSize: 1, lineHeight: 1, id: opts.id, outline: true, outlineText: opts.outline } as Content;
  const table: Content = {
    captionRows: caption.length,
    table: {
      headerRows: caption.length + headerGrid.length,
      widths,
      body: body as TableCell[][],
      // Long text rows (表12's 年度总体目标) may break; rows of amounts never do.
      dontBreakRows: t.kind !== 'performance-targets',
    },
    layout: TABLE_LAYOUT,
    fontSize: size,
  } as Content;
  const notes: Content[] = t.notes.map((n) => ({ text: n, fontSize: SIZE.note, margin: [0, 4, 0, 0] }) as Content);
  return { content: [...(opts.before ?? []), marker, table, ...notes], size, widths };
}

function bodyCell(cell: BodyCell, size: number): TableCell & Record<string, unknown> {
  const base: Record<string, unknown> = { text: cell.text, fontSize: size, lineHeight: TABLE_LINE };
  if (cell.kind === 'amount') base.alignment = 'right';
  else if (cell.kind === 'code') base.alignment = 'left';
  if (cell.level > 0) base.margin = [cell.level * size, 0, 0, 0];
  if (cell.isHeader && cell.kind === 'label' && cell.level === 0 && cell.rowSpan > 1) base.alignment = 'center';
  return base as TableCell & Record<string, unknown>;
}
