// Plans a ruled table before pdfmake lays it out: the type size, the width of every
// column, how each cell's text breaks into lines, and therefore the exact height of
// every row — so that merged cells can be centred both ways (pdfmake mis-centres
// rowSpan cells: bpampuch/pdfmake#2925) and no column runs off the page (pdfmake
// never warns when a table is wider than its page).
//
// Used for the twelve official tables and the small tables of the text part.

import type { FontRole, Fonts } from './fonts.ts';
import { blockHeight, lineHeightOf, linesNode, setBalanced, setLines, widestPiece, widthForLines, type Run, type SetLine } from './typeset.ts';

export const PAD_X = 3;
export const PAD_Y = 2;
export const RULE = 0.5;

export type Setting = 'single' | 'balanced' | 'paragraph';

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  role: FontRole;
  align: 'left' | 'center' | 'right';
  /** single: never breaks (amounts, codes); balanced: short text in even lines; paragraph: long justified text. */
  setting: Setting;
  /** Most lines the text may take when the type size is chosen. */
  maxLines: number;
  /** Left indent in ems (classification level). */
  indent: number;
  /** Holds an amount: amount columns are kept equally wide. */
  amount?: boolean;
  /**
   * A long row span drawn as merged rules rather than a pdfmake rowSpan (which lays
   * out badly across page breaks): the text runs down the first rows of the span and
   * the rules inside it are left out, so it reads as one cell on every page.
   */
  visualSpan?: boolean;
}

export interface GridSpec {
  columns: number;
  rowCount: number;
  /** Column header rows at the top (repeated on every page with the caption). */
  headerRows: number;
  cells: GridCell[];
  /**
   * Height a page has for the table under its caption (the column header is taken
   * off here). Rows are kept whole unless one of them is taller than that.
   */
  pageRoom: number;
  /** Let rows break across pages even when each would fit on one (long running text). */
  rowsBreak?: boolean;
  /** Candidate type sizes, largest first. */
  sizes: number[];
  /** Total width of the table, rules included. */
  width: number;
  /** Line pitch factor. */
  lineHeight: number;
}

export interface GridPlan {
  spec: GridSpec;
  size: number;
  /** Content width of each column (pdfmake's `widths`). */
  widths: number[];
  /** Content height of each row. */
  rowHeights: number[];
  lines: Map<GridCell, SetLine[]>;
  /** Space above a cell's text that centres it vertically. */
  tops: Map<GridCell, number>;
  /** Some row is taller than a page: rows may break across pages. */
  breakable: boolean;
}

/** Width taken by padding and rules around the content of `n` columns. */
function chrome(n: number): number {
  return n * 2 * PAD_X + (n + 1) * RULE;
}

/** Content width of a cell spanning `span` columns from `col`. */
function spanWidth(widths: readonly number[], col: number, span: number): number {
  let w = (span - 1) * (2 * PAD_X + RULE);
  for (let i = col; i < col + span; i++) w += widths[i]!;
  return w;
}

function runsOf(cell: GridCell): Run[] {
  return cell.text ? [{ text: cell.text, role: cell.role }] : [];
}

function setCell(fonts: Fonts, cell: GridCell, size: number, width: number): SetLine[] {
  // A classification level indents the whole cell, not just its first line.
  const opts = { size, width: width - cell.indent * size };
  if (cell.setting === 'paragraph') return setLines(fonts, runsOf(cell), { ...opts, justify: true });
  if (cell.setting === 'balanced') return setBalanced(fonts, runsOf(cell), opts);
  return setLines(fonts, runsOf(cell), opts);
}

/** The narrowest content width at which a cell meets its line limit. */
function minWidth(fonts: Fonts, cell: GridCell, size: number): number {
  const indent = cell.indent * size;
  if (cell.setting === 'paragraph') return Math.max(6 * size, widestPiece(fonts, runsOf(cell), size)) + indent;
  return widthForLines(fonts, runsOf(cell), { size }, cell.setting === 'single' ? 1 : cell.maxLines) + indent;
}

/** The width at which a cell's text stands on one line, with a little air. */
function oneLineWidth(fonts: Fonts, cell: GridCell, size: number): number {
  return fonts.width(cell.role, cell.text, size) + cell.indent * size + size / 4;
}

function columnWidths(fonts: Fonts, spec: GridSpec, size: number): number[] | null {
  const n = spec.columns;
  const room = spec.width - chrome(n);
  const total = (ws: readonly number[]) => ws.reduce((s, w) => s + w, 0);
  const min = new Array<number>(n).fill(size);
  const singles = spec.cells.filter((c) => c.colSpan === 1);
  const amountCol = new Array<boolean>(n).fill(false);
  for (const c of singles) if (c.amount) amountCol[c.col] = true;
  for (const c of singles) min[c.col] = Math.max(min[c.col]!, minWidth(fonts, c, size));
  // Cells spanning several columns widen them evenly where they need more room.
  for (const c of spec.cells.filter((x) => x.colSpan > 1)) {
    const need = minWidth(fonts, c, size);
    const have = spanWidth(min, c.col, c.colSpan);
    if (need > have) for (let i = c.col; i < c.col + c.colSpan; i++) min[i]! += (need - have) / c.colSpan;
  }
  if (total(min) > room) return null;

  const widths = [...min];
  /**
   * What the text cells of the body (or of the header) lack to stand on one line —
   * long text up to 60 % of the table, labels up to 45 % — per column (a cell over
   * several columns asks each of them for an even part).
   */
  const wants = (header: boolean, setting: Setting) => {
    const deficit = new Array<number>(n).fill(0);
    for (const c of spec.cells) {
      if (c.setting !== setting || c.visualSpan || c.row < spec.headerRows !== header) continue;
      const want = Math.min(oneLineWidth(fonts, c, size), room * (c.setting === 'paragraph' ? 0.6 : 0.45));
      const lack = (want - spanWidth(widths, c.col, c.colSpan)) / c.colSpan;
      for (let i = c.col; i < c.col + c.colSpan; i++) deficit[i] = Math.max(deficit[i]!, lack);
    }
    return deficit;
  };
  /** Gives columns what they lack, or the same share of it each when room is short. */
  const grant = (deficit: number[]) => {
    const slack = room - total(widths);
    const missing = total(deficit);
    if (missing <= 0 || slack <= 0) return;
    const share = Math.min(1, slack / missing);
    for (let i = 0; i < n; i++) widths[i]! += deficit[i]! * share;
  };
  /** Raises the narrow amount columns to a common width: the largest that fits, up to `cap`. */
  const raise = (cap: number) => {
    const base = [...widths];
    const raised = (u: number) => base.map((w, i) => (amountCol[i] ? Math.max(w, u) : w));
    let lo = 0;
    let hi = cap;
    for (let k = 0; k < 20 && hi - lo > 0.01; k++) {
      const mid = (lo + hi) / 2;
      if (total(raised(mid)) <= room) lo = mid;
      else hi = mid;
    }
    widths.splice(0, n, ...raised(lo));
  };
  // Amount columns first get as wide as the widest amount (the published tables keep
  // them equal); then long text, then row labels get room; then amount columns get
  // as wide as the widest of them; then the column headers get room for fewer lines.
  raise(Math.max(0, ...singles.filter((c) => c.amount).map((c) => minWidth(fonts, c, size))));
  grant(wants(false, 'paragraph'));
  grant(wants(false, 'balanced'));
  raise(Math.max(0, ...widths.filter((_, i) => amountCol[i])));
  grant(wants(true, 'balanced'));
  // What is left widens every column in proportion, so the table fills its width.
  const slack = room - total(widths);
  const sum = total(widths);
  return widths.map((w) => w + (slack * w) / sum);
}

/** Content height of each row, as pdfmake computes it, given every cell's lines. */
function rowHeightsOf(fonts: Fonts, spec: GridSpec, size: number, lines: Map<GridCell, SetLine[]>, hRule: (row: number) => number): number[] {
  const heights = new Array<number>(spec.rowCount).fill(0);
  const own = (c: GridCell) => blockHeight(fonts, lines.get(c)!, size, spec.lineHeight, c.role);
  for (const c of spec.cells) if (c.rowSpan === 1 || c.visualSpan) heights[c.row] = Math.max(heights[c.row]!, c.visualSpan ? 0 : own(c));
  // Visual spans put one line of their text into each row they cover.
  for (const c of spec.cells.filter((x) => x.visualSpan)) {
    const ls = lines.get(c)!;
    for (let i = 0; i < c.rowSpan; i++) {
      const mine = visualLines(ls, i, c.rowSpan);
      if (mine.length) heights[c.row + i] = Math.max(heights[c.row + i]!, blockHeight(fonts, mine, size, spec.lineHeight, c.role));
    }
  }
  // A merged cell taller than its rows makes the last of them taller.
  for (const c of spec.cells.filter((x) => x.rowSpan > 1 && !x.visualSpan)) {
    const have = spanHeight(heights, c.row, c.rowSpan, hRule);
    const need = own(c);
    if (need > have) heights[c.row + c.rowSpan - 1]! += need - have;
  }
  return heights;
}

/** The lines of a visual span that go into its `i`-th row: one each, the rest in the last. */
function visualLines(lines: SetLine[], i: number, span: number): SetLine[] {
  return i === span - 1 ? lines.slice(i) : lines.slice(i, i + 1);
}

function spanHeight(heights: readonly number[], row: number, span: number, hRule: (row: number) => number): number {
  let h = 0;
  for (let r = row; r < row + span; r++) h += heights[r]!;
  for (let r = row + 1; r < row + span; r++) h += 2 * PAD_Y + hRule(r);
  return h;
}

/** Chooses the type size and column widths, and sets every cell. */
export function planGrid(fonts: Fonts, spec: GridSpec, hRule: (row: number) => number = () => RULE): GridPlan {
  let size = spec.sizes[spec.sizes.length - 1]!;
  let widths: number[] | null = null;
  for (const s of spec.sizes) {
    widths = columnWidths(fonts, spec, s);
    if (widths) {
      size = s;
      break;
    }
  }
  if (!widths) {
    // Even the smallest size leaves no room: fall back to equal columns and let the
    // text break wherever it must — never wider than the page.
    const room = spec.width - chrome(spec.columns);
    widths = new Array<number>(spec.columns).fill(room / spec.columns);
  }
  const lines = new Map<GridCell, SetLine[]>();
  for (const c of spec.cells) lines.set(c, setCell(fonts, c, size, spanWidth(widths, c.col, c.colSpan)));
  const rowHeights = rowHeightsOf(fonts, spec, size, lines, hRule);
  const pitch = (r: number) => rowHeights[r]! + 2 * PAD_Y + hRule(r + 1);
  let header = 0;
  for (let r = 0; r < spec.headerRows; r++) header += pitch(r);
  const breakable = !!spec.rowsBreak || rowHeights.some((_, r) => r >= spec.headerRows && pitch(r) > spec.pageRoom - header);
  const tops = new Map<GridCell, number>();
  for (const c of spec.cells) {
    if (c.visualSpan) continue;
    const room = spanHeight(rowHeights, c.row, c.rowSpan, hRule);
    const own = blockHeight(fonts, lines.get(c)!, size, spec.lineHeight, c.role);
    // Where rows may break, a cell taller than a third of a page starts at the top.
    const top = breakable && room > spec.pageRoom / 3 ? 0 : (room - own) / 2;
    if (top > 0.01) tops.set(c, top);
  }
  return { spec, size, widths, rowHeights, lines, tops, breakable };
}

type PdfCell = Record<string, unknown>;

/** The pdfmake cell of a planned cell (a stack of set lines). */
function cellContent(fonts: Fonts, plan: GridPlan, cell: GridCell, lines: SetLine[], top = 0): PdfCell {
  const style = { size: plan.size, lineHeight: plan.spec.lineHeight, alignment: cell.align };
  const indent = cell.indent * plan.size;
  const out = linesNode(fonts, lines, style);
  if (top > 0 || indent > 0) out.margin = [indent, top, 0, 0];
  return out;
}

export interface GridPages {
  /**
   * Gives the first cell of every row an id, so the layout reports the row's page
   * (pdfmake corrects the position of a node with an id when an unbreakable row moves
   * to the next page).
   */
  rowId?: (row: number) => string;
  /** The page each row was laid out on (from an earlier layout of the same grid). */
  rowPages?: (row: number) => number | undefined;
}

/**
 * The planned grid as pdfmake table rows (the full grid, with placeholders under
 * spans). Where a visual span crosses a page break (known from `rowPages`), its box
 * is closed at the foot of the page and opened again at the top of the next, and
 * its label repeated there when it fits in the rows without making them taller —
 * so nothing moves compared with the layout the pages came from.
 */
export function gridRows(fonts: Fonts, plan: GridPlan, pages: GridPages = {}): PdfCell[][] {
  const { spec } = plan;
  const rows: PdfCell[][] = Array.from({ length: spec.rowCount }, () => Array.from({ length: spec.columns }, () => ({ text: '' }) as PdfCell));
  for (const c of spec.cells) {
    const lines = plan.lines.get(c)!;
    if (c.visualSpan) {
      const last = c.row + c.rowSpan - 1;
      const page = (r: number) => pages.rowPages?.(r);
      // Rows of the span where a new page begins.
      const starts = new Set<number>();
      for (let r = c.row + 1; r <= last; r++) if (page(r) !== undefined && page(r - 1) !== undefined && page(r) !== page(r - 1)) starts.add(r);
      let from = c.row;
      for (let r = c.row; r <= last; r++) {
        if (starts.has(r)) from = r;
        const end = r === last || starts.has(r + 1);
        let mine: SetLine[];
        if (from === c.row) mine = visualLines(lines, r - c.row, c.rowSpan);
        else {
          // A repeat on a continuation page: one line per row, only where each row holds a line already.
          let segmentEnd = from;
          while (segmentEnd < last && !starts.has(segmentEnd + 1)) segmentEnd++;
          const rowsThere = segmentEnd - from + 1;
          const fits =
            lines.length <= rowsThere && lines.every((l, i) => lineHeightOf(fonts, l, plan.size, spec.lineHeight, c.role) <= plan.rowHeights[from + i]! + 0.01);
          mine = fits ? lines.slice(r - from, r - from + 1) : [];
        }
        const cell = mine.length ? cellContent(fonts, plan, c, mine) : ({ text: '' } as PdfCell);
        // The rules inside the span are left out, except where a page ends or begins.
        cell.border = [true, r === from, true, end];
        if (c.colSpan > 1) cell.colSpan = c.colSpan;
        rows[r]![c.col] = cell;
      }
      continue;
    }
    const cell = cellContent(fonts, plan, c, lines, plan.tops.get(c));
    if (c.colSpan > 1) cell.colSpan = c.colSpan;
    if (c.rowSpan > 1) cell.rowSpan = c.rowSpan;
    rows[c.row]![c.col] = cell;
  }
  if (pages.rowId) {
    rows.forEach((row, r) => {
      const first = row.find((cell) => Array.isArray(cell.text) && (cell.text as unknown[]).length > 0);
      if (first) first.id = pages.rowId!(r);
    });
  }
  return rows;
}

/** Total width of a planned grid, rules included. */
export function gridWidth(plan: GridPlan): number {
  return plan.widths.reduce((s, w) => s + w, 0) + chrome(plan.widths.length);
}
