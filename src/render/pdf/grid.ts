// Plans a ruled table before pdfmake lays it out: the type size, the width of every
// column, how each cell's text breaks into lines, and therefore the exact height of
// every row — so that merged cells can be centred both ways (pdfmake mis-centres
// rowSpan cells: bpampuch/pdfmake#2925) and no column runs off the page (pdfmake
// never warns when a table is wider than its page).
//
// Used for the twelve official tables and the small tables of the text part.

import type { FontRole, Fonts } from './fonts.ts';
import { MM } from './page.ts';
import { blockHeight, lineHeightOf, linesNode, setBalanced, setLines, widestPiece, widthForLines, type Run, type SetLine } from './typeset.ts';

/** Cell padding: 1.5 mm at the sides, so text and digits stand clear of the rules; 1 mm above and below. */
export const PAD_X = 1.5 * MM;
export const PAD_Y = 1 * MM;
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
  /** More lines it may take where the table has the height to spare (a column header of a short table). */
  maxLinesLoose?: number;
  /** Left indent in ems (classification level). */
  indent: number;
  /** Holds an amount: amount columns are kept equally wide. */
  amount?: boolean;
  /** A row or form label (not a value): values get their width first. */
  label?: boolean;
  /**
   * A long row span drawn as merged rules rather than a pdfmake rowSpan (which lays
   * out badly across page breaks): the text runs down the first rows of the span and
   * the rules inside it are left out, so it reads as one cell on every page.
   */
  visualSpan?: boolean;
  /**
   * What a merged cell drawn as rules prints again at the top of a continuation page
   * (default: its own text): a row label with （续）, an amount as it is, '' for
   * running text, which goes on instead.
   */
  continued?: string;
  /** For a merged cell drawn as rules: how many of its lines each of its rows holds (default one, the rest in the last). */
  lineRows?: number[];
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
  /** Per grid row: the row must stand on the same page as the next (a parent and its first child, a heading row). */
  keepWithNext?: boolean[];
  /** Per grid row: the rows inside the body that head it (repeated above it when a page starts there). */
  heads?: number[][];
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
  /** Lines a cell prints on a continuation page, where they differ from its own (see GridCell.continued). */
  continued?: Map<GridCell, SetLine[]>;
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

/** Short text breaks only between words (Intl.Segmenter) where the cell can hold its words. */
function setCell(fonts: Fonts, cell: GridCell, size: number, width: number): SetLine[] {
  // A classification level indents the whole cell, not just its first line.
  const opts = { size, width: width - cell.indent * size };
  if (cell.setting === 'paragraph') return setLines(fonts, runsOf(cell), { ...opts, justify: true });
  if (cell.setting === 'balanced') return setBalanced(fonts, runsOf(cell), { ...opts, words: true });
  return setLines(fonts, runsOf(cell), opts);
}

/** The narrowest content width at which a cell meets its line limit (breaking between words only, when `words`). */
function minWidth(fonts: Fonts, cell: GridCell, size: number, words = true): number {
  const indent = cell.indent * size;
  if (cell.setting === 'paragraph') return Math.max(6 * size, widestPiece(fonts, runsOf(cell), size)) + indent;
  const balancedWords = words && cell.setting === 'balanced';
  return widthForLines(fonts, runsOf(cell), { size, words: balancedWords }, cell.setting === 'single' ? 1 : cell.maxLines) + indent;
}

/** The width at which a cell's text stands on one line, with a little air. */
function oneLineWidth(fonts: Fonts, cell: GridCell, size: number): number {
  return fonts.width(cell.role, cell.text, size) + cell.indent * size + size / 4;
}

function columnWidths(fonts: Fonts, spec: GridSpec, size: number): number[] | null {
  return widthsFrom(fonts, spec, size, true) ?? widthsFrom(fonts, spec, size, false);
}

/**
 * Column widths from what the columns hold. Every column first gets the least its
 * cells need (amounts and codes on one line, text in its most lines); amount columns
 * are kept equally wide. Then the cells that would wrap are given the width to stand
 * on one line, the cheapest first — so short values (a target, a label) never wrap
 * where the page has room, and one long text cannot take the width they need: body
 * cells first, then the column headers, then long running text. What is left widens
 * every column in proportion.
 */
function widthsFrom(fonts: Fonts, spec: GridSpec, size: number, words: boolean): number[] | null {
  const n = spec.columns;
  const room = spec.width - chrome(n);
  const total = (ws: readonly number[]) => ws.reduce((s, w) => s + w, 0);
  const min = new Array<number>(n).fill(size);
  const singles = spec.cells.filter((c) => c.colSpan === 1);
  // Amount columns (every body cell an amount or empty) are kept equally wide.
  const amountCol = new Array<boolean>(n).fill(false);
  for (const c of singles) if (c.amount) amountCol[c.col] = true;
  for (const c of singles) if (c.row >= spec.headerRows && !c.amount && c.text) amountCol[c.col] = false;
  for (const c of singles) min[c.col] = Math.max(min[c.col]!, minWidth(fonts, c, size, words));
  // Cells spanning several columns widen them evenly where they need more room.
  for (const c of spec.cells.filter((x) => x.colSpan > 1)) {
    const need = minWidth(fonts, c, size, words);
    const have = spanWidth(min, c.col, c.colSpan);
    if (need > have) for (let i = c.col; i < c.col + c.colSpan; i++) min[i]! += (need - have) / c.colSpan;
  }
  // Amount columns are as wide as the widest amount (the published tables keep them equal).
  const amountWidth = Math.max(0, ...min.filter((_, i) => amountCol[i]));
  for (let i = 0; i < n; i++) if (amountCol[i]) min[i] = amountWidth;
  if (total(min) > room + 0.01) return null;

  const widths = [...min];
  /** The widths after widening a cell's columns to `want` (amount columns together). */
  const widened = (c: GridCell, want: number): number[] => {
    const out = [...widths];
    const lack = want - spanWidth(out, c.col, c.colSpan);
    if (lack <= 0) return out;
    for (let i = c.col; i < c.col + c.colSpan; i++) out[i]! += lack / c.colSpan;
    const amounts = Math.max(0, ...out.filter((_, i) => amountCol[i]));
    for (let i = 0; i < n; i++) if (amountCol[i]) out[i] = amounts;
    return out;
  };
  const want = (c: GridCell) => Math.min(oneLineWidth(fonts, c, size), room * (c.setting === 'paragraph' ? 0.6 : 0.45));
  const stage = (pick: (c: GridCell) => boolean) => {
    const open = spec.cells.filter((c) => c.setting !== 'single' && !c.visualSpan && c.text && pick(c));
    for (;;) {
      let best: number[] | null = null;
      let bestCost = Infinity;
      for (const c of open) {
        const w = want(c);
        if (spanWidth(widths, c.col, c.colSpan) >= w - 0.01) continue;
        const next = widened(c, w);
        const cost = total(next) - total(widths);
        if (cost < bestCost && total(next) <= room) {
          best = next;
          bestCost = cost;
        }
      }
      if (!best) return;
      widths.splice(0, n, ...best);
    }
  };
  /** Gives the cells that still wrap the same share of what they lack. */
  const share = (pick: (c: GridCell) => boolean) => {
    const deficit = new Array<number>(n).fill(0);
    for (const c of spec.cells) {
      if (c.setting === 'single' || c.visualSpan || !pick(c)) continue;
      const lack = (want(c) - spanWidth(widths, c.col, c.colSpan)) / c.colSpan;
      for (let i = c.col; i < c.col + c.colSpan; i++) if (!amountCol[i]) deficit[i] = Math.max(deficit[i]!, lack);
    }
    const slack = room - total(widths);
    const missing = total(deficit);
    if (missing <= 0 || slack <= 0) return;
    const k = Math.min(1, slack / missing);
    for (let i = 0; i < n; i++) widths[i]! += deficit[i]! * k;
  };
  const body = (c: GridCell) => c.row >= spec.headerRows;
  // A label beside running text wraps at no cost: the text makes the row taller anyway.
  const besideText = new Set(spec.cells.filter((c) => c.setting === 'paragraph').map((c) => c.row));
  stage((c) => body(c) && c.setting === 'balanced' && !c.label && !besideText.has(c.row));
  stage((c) => body(c) && c.setting === 'balanced' && !besideText.has(c.row));
  stage((c) => !body(c));
  share((c) => body(c) && c.setting === 'balanced' && !besideText.has(c.row));
  stage((c) => body(c) && c.setting === 'paragraph');
  share((c) => body(c) && c.setting === 'paragraph');
  share((c) => !body(c));
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
      const mine = visualLines(c, ls, i);
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

/** The lines of a visual span that go into its `i`-th row: as `lineRows` says, else one each and the rest in the last. */
function visualLines(cell: GridCell, lines: SetLine[], i: number): SetLine[] {
  if (cell.lineRows) {
    let from = 0;
    for (let k = 0; k < i; k++) from += cell.lineRows[k] ?? 0;
    return i === cell.rowSpan - 1 ? lines.slice(from) : lines.slice(from, from + (cell.lineRows[i] ?? 0));
  }
  return i === cell.rowSpan - 1 ? lines.slice(i) : lines.slice(i, i + 1);
}

/** The row of a visual span (counted from its first) that holds its last line. */
function lastLineRow(cell: GridCell, lines: SetLine[]): number {
  for (let i = cell.rowSpan - 1; i > 0; i--) if (visualLines(cell, lines, i).length) return i;
  return 0;
}

function spanHeight(heights: readonly number[], row: number, span: number, hRule: (row: number) => number): number {
  let h = 0;
  for (let r = row; r < row + span; r++) h += heights[r]!;
  for (let r = row + 1; r < row + span; r++) h += 2 * PAD_Y + hRule(r);
  return h;
}

/** Chooses the type size and column widths, and sets every cell. */
export function planGrid(fonts: Fonts, spec: GridSpec, hRule: (row: number) => number = () => RULE): GridPlan {
  let first: GridPlan | null = null;
  // A short table uses its free height: its headers may take more lines, for a larger size.
  const loose: GridSpec = { ...spec, cells: spec.cells.map((c) => (c.maxLinesLoose ? { ...c, maxLines: c.maxLinesLoose } : c)) };
  const hasLoose = spec.cells.some((c) => c.maxLinesLoose);
  for (const s of spec.sizes) {
    const widths = columnWidths(fonts, spec, s);
    if (widths) {
      first = planAt(fonts, spec, s, widths, hRule);
      break;
    }
    const looser = hasLoose && !spec.rowsBreak ? columnWidths(fonts, loose, s) : null;
    if (looser) {
      const p = planAt(fonts, loose, s, looser, hRule);
      const room = spec.pageRoom - headerHeight(p);
      if (paginate(p, { first: room, next: room }).length === 1) {
        first = p;
        break;
      }
    }
  }
  if (!first) {
    // Even the smallest size leaves no room: fall back to equal columns and let the
    // text break wherever it must — never wider than the page.
    const room = spec.width - chrome(spec.columns);
    return planAt(fonts, spec, spec.sizes[spec.sizes.length - 1]!, new Array<number>(spec.columns).fill(room / spec.columns), hRule);
  }
  if (spec.rowsBreak) return first;
  // A table that would run onto another page by a few rows is set a size or two
  // smaller where that keeps it on fewer pages.
  const pages = (p: GridPlan) => {
    const room = spec.pageRoom - headerHeight(p);
    return paginate(p, { first: room, next: room }).length;
  };
  let best = first;
  let bestPages = pages(first);
  for (const s of spec.sizes.filter((x) => x < first.size && x >= SMALLEST_TO_SAVE_A_PAGE).slice(0, SMALLER_SIZES)) {
    if (bestPages === 1) break;
    const widths = columnWidths(fonts, spec, s);
    if (!widths) continue;
    const p = planAt(fonts, spec, s, widths, hRule);
    const n = pages(p);
    if (n < bestPages) {
      best = p;
      bestPages = n;
    }
  }
  return best;
}

/** How many sizes below the largest that fits are tried to save a page. */
const SMALLER_SIZES = 2;
/** Nor below 小五 (9 pt). */
const SMALLEST_TO_SAVE_A_PAGE = 9;

function planAt(fonts: Fonts, spec: GridSpec, size: number, widths: number[], hRule: (row: number) => number): GridPlan {
  const lines = new Map<GridCell, SetLine[]>();
  for (const c of spec.cells) lines.set(c, setCell(fonts, c, size, spanWidth(widths, c.col, c.colSpan)));
  const rowHeights = rowHeightsOf(fonts, spec, size, lines, hRule);
  const pitch = (r: number) => rowHeights[r]! + 2 * PAD_Y + hRule(r + 1);
  let header = 0;
  for (let r = 0; r < spec.headerRows; r++) header += pitch(r);
  const breakable = !!spec.rowsBreak || rowHeights.some((_, r) => r >= spec.headerRows && pitch(r) > spec.pageRoom - header);
  const tops = new Map<GridCell, number>();
  const ruled = spec.cells.some((c) => c.visualSpan);
  // Column headings inside the body (表12's 任务名称 …) stay centred like the column header.
  const headings = new Set((spec.heads ?? []).flat());
  for (const c of spec.cells) {
    if (c.visualSpan) continue;
    const room = spanHeight(rowHeights, c.row, c.rowSpan, hRule);
    const own = blockHeight(fonts, lines.get(c)!, size, spec.lineHeight, c.role);
    // One vertical alignment for the merged cells of a table: where some are drawn as
    // rules (their text at the top of their first rows), all start at the top.
    // Where rows may break, a cell taller than a third of a page starts at the top.
    const top = (c.rowSpan > 1 && ruled && !headings.has(c.row)) || (breakable && room > spec.pageRoom / 3) ? 0 : (room - own) / 2;
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
        // Lines not yet printed go on; a label already printed is repeated on a continuation page.
        if (from === c.row || c.row + lastLineRow(c, lines) >= from) mine = visualLines(c, lines, r - c.row);
        else {
          // A repeat on a continuation page: one line per row, only where each row holds a line already.
          const again = plan.continued?.get(c) ?? lines;
          let segmentEnd = from;
          while (segmentEnd < last && !starts.has(segmentEnd + 1)) segmentEnd++;
          const rowsThere = segmentEnd - from + 1;
          const fits =
            again.length <= rowsThere && again.every((l, i) => lineHeightOf(fonts, l, plan.size, spec.lineHeight, c.role) <= plan.rowHeights[from + i]! + 0.01);
          mine = fits ? again.slice(r - from, r - from + 1) : [];
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

/** Height a grid row takes on the page: its content, its padding and the rule under it. */
export function rowPitch(plan: GridPlan, row: number): number {
  return plan.rowHeights[row]! + 2 * PAD_Y + RULE;
}

/** Height of the column header rows, with the rule above them. */
export function headerHeight(plan: GridPlan): number {
  let h = RULE;
  for (let r = 0; r < plan.spec.headerRows; r++) h += rowPitch(plan, r);
  return h;
}

/** Fewest rows on a table's last page when the page before can give some. */
export const MIN_LAST_ROWS = 3;

/**
 * Where each page of a table begins (body rows), given the height the body rows
 * have on the first page and on every later one: rows stay whole; the rows under a
 * merged cell stay together, and a row marked keepWithNext (a parent classification
 * row, a heading row) stands on the page of the row after it — unless the group is
 * taller than a page; the heading rows a page starts under are repeated at its top
 * and take their room; and the last page holds at least MIN_LAST_ROWS rows when the
 * page before can give them.
 */
export function paginate(plan: GridPlan, rooms: { first: number; next: number; tail?: number }): number[] {
  const { spec } = plan;
  const start = spec.headerRows;
  const end = spec.rowCount;
  // together[r]: rows r and r + 1 must share a page.
  const together = new Array<boolean>(end).fill(false);
  for (let r = start; r < end - 1; r++) if (spec.keepWithNext?.[r]) together[r] = true;
  for (const c of spec.cells) if (!c.visualSpan && c.rowSpan > 1 && c.row >= start) for (let r = c.row; r < c.row + c.rowSpan - 1; r++) together[r] = true;
  const headsHeight = (s: number) => (spec.heads?.[s] ?? []).reduce((h, r) => h + rowPitch(plan, r), 0);
  // What follows the table (its notes) stands on its last page.
  const fits = (s: number, e: number, first: boolean) => {
    let h = first ? 0 : headsHeight(s);
    for (let r = s; r < e; r++) h += rowPitch(plan, r);
    if (e === end) h += rooms.tail ?? 0;
    return h <= (first ? rooms.first : rooms.next);
  };
  const starts = [start];
  let s = start;
  while (s < end) {
    const first = starts.length === 1;
    if (fits(s, end, first)) break;
    let e = s + 1;
    while (e < end - 1 && fits(s, e + 1, first)) e++;
    // Step back to a row where a page may begin.
    let b = e;
    while (b > s + 1 && together[b - 1]) b--;
    if (b === s + 1 && together[s]) b = e;
    starts.push(b);
    s = b;
  }
  // A last page of one or two rows takes rows from the page before.
  if (starts.length > 1) {
    const last = starts[starts.length - 1]!;
    const before = starts[starts.length - 2]!;
    if (end - last < MIN_LAST_ROWS) {
      for (let b = last - 1; b > before; b--) {
        if (together[b - 1]) continue;
        if (!fits(b, end, false)) break;
        starts[starts.length - 1] = b;
        if (end - b >= MIN_LAST_ROWS) break;
      }
    }
  }
  return starts;
}

/**
 * The planned grid as one set of pdfmake rows per page, from the page starts that
 * `paginate` gave: the column header rows, the heading rows repeated where a page
 * begins under them, and the page's body rows. A merged cell drawn as rules is
 * closed at the foot of a page and opened again at the top of the next, where its
 * label is repeated when it fits in the rows without making them taller.
 */
export function pagedRows(fonts: Fonts, plan: GridPlan, starts: readonly number[]): PdfCell[][][] {
  const { spec } = plan;
  const blank = () => Array.from({ length: spec.columns }, () => ({ text: '' }) as PdfCell);
  return starts.map((s, p) => {
    const e = starts[p + 1] ?? spec.rowCount;
    const heads = p > 0 ? (spec.heads?.[s] ?? []) : [];
    // Grid rows of this page, top to bottom (header rows, repeated heading rows, body rows).
    const source: number[] = [];
    for (let r = 0; r < spec.headerRows; r++) source.push(r);
    source.push(...heads);
    for (let r = s; r < e; r++) source.push(r);
    const rows = source.map(blank);
    const bodyAt = (r: number) => spec.headerRows + heads.length + (r - s);
    const place = (at: number, c: GridCell, span: number, lines: SetLine[]) => {
      const cell = cellContent(fonts, plan, c, lines, plan.tops.get(c));
      if (c.colSpan > 1) cell.colSpan = c.colSpan;
      if (span > 1) cell.rowSpan = span;
      rows[at]![c.col] = cell;
    };
    for (const c of spec.cells) {
      const lines = plan.lines.get(c)!;
      if (c.visualSpan) continue;
      if (c.row < spec.headerRows) place(c.row, c, Math.min(c.rowSpan, spec.headerRows - c.row), lines);
      else if (c.row >= s && c.row < e) place(bodyAt(c.row), c, Math.min(c.rowSpan, e - c.row), lines);
      else if (c.row < s && c.row + c.rowSpan > s) place(bodyAt(s), c, Math.min(c.row + c.rowSpan, e) - s, []);
      heads.forEach((h, j) => {
        if (c.row === h) place(spec.headerRows + j, c, Math.min(c.rowSpan, heads.length - j), lines);
      });
    }
    for (const c of spec.cells) {
      if (!c.visualSpan) continue;
      const last = c.row + c.rowSpan - 1;
      if (last < s || c.row >= e) continue;
      const lines = plan.lines.get(c)!;
      const from = Math.max(c.row, s);
      const to = Math.min(last, e - 1);
      // Page rows of this stretch of the span: on a continuation page, the repeated heading rows too.
      const at: number[] = [];
      const grid: number[] = [];
      // The repeated heading rows belong to a span that covers them (年度绩效指标), not to one that starts below them.
      if (c.row < s) {
        heads.forEach((h, j) => {
          if (h < c.row) return;
          at.push(spec.headerRows + j);
          grid.push(h);
        });
      }
      const headsHere = at.length;
      for (let r = from; r <= to; r++) {
        at.push(bodyAt(r));
        grid.push(r);
      }
      const shown = (r: number) => visualLines(c, lines, r - c.row);
      // Lines of the label not yet printed go on; else the whole label is repeated if it fits.
      const unfinished = c.row >= s || c.row + lastLineRow(c, lines) >= from;
      const again = plan.continued?.get(c) ?? lines;
      const repeat =
        !unfinished &&
        again.length <= at.length &&
        again.every((l, i) => lineHeightOf(fonts, l, plan.size, spec.lineHeight, c.role) <= plan.rowHeights[grid[i]!]! + 0.01);
      at.forEach((row, i) => {
        const r = grid[i]!;
        let mine: SetLine[] = [];
        const repeatedHead = c.row < s && i < headsHere;
        if (unfinished && !repeatedHead) mine = shown(r);
        else if (repeat) mine = again.slice(i, i + 1);
        const cell = mine.length ? cellContent(fonts, plan, c, mine) : ({ text: '' } as PdfCell);
        cell.border = [true, i === 0, true, i === at.length - 1];
        if (c.colSpan > 1) cell.colSpan = c.colSpan;
        rows[row]![c.col] = cell;
      });
    }
    return rows;
  });
}

/** What a row label carries on the page it continues on. */
export const CONTINUED = '（续）';

/**
 * Rows of running text taller than `minLines` lines are cut into one row per line,
 * every cell of such a row becoming a merged cell drawn as rules (its lines one per
 * row, from the top): pdfmake then breaks the row between lines like any other
 * rows, and where it does, the box is closed at the foot of the page and the row's
 * label (with （续）) and amounts are repeated at the top of the next (gridRows).
 */
export function splitTallRows(fonts: Fonts, plan: GridPlan, minLines = 4): GridPlan {
  const { spec } = plan;
  const lineCount = (c: GridCell) => plan.lines.get(c)!.length;
  const touched = new Set<number>();
  for (const c of spec.cells) if (c.rowSpan > 1 || c.visualSpan) for (let r = c.row; r < c.row + c.rowSpan; r++) touched.add(r);
  const running = (c: GridCell) => c.setting === 'paragraph';
  // Lines of running text per row of the split row: as many in the first as its label
  // needs (and two at least), one in each after, two in the last — never a line alone.
  const chunks = new Array<number[]>(spec.rowCount).fill([1]);
  for (let r = spec.headerRows; r < spec.rowCount; r++) {
    if (touched.has(r)) continue;
    const row = spec.cells.filter((c) => c.row === r);
    const text = Math.max(0, ...row.filter(running).map(lineCount));
    const head = Math.max(2, ...row.filter((c) => !running(c)).map(lineCount));
    if (text < minLines || text < head + 2) continue;
    chunks[r] = [head, ...new Array<number>(text - head - 2).fill(1), 2];
  }
  if (chunks.every((n) => n.length === 1)) return plan;
  const first: number[] = [];
  let at = 0;
  for (const n of chunks) {
    first.push(at);
    at += n.length;
  }
  const cells: GridCell[] = [];
  const lines = new Map<GridCell, SetLine[]>();
  const continued = new Map<GridCell, SetLine[]>();
  for (const c of spec.cells) {
    const n = chunks[c.row]!;
    if (n.length === 1) {
      const moved = { ...c, row: first[c.row]! };
      cells.push(moved);
      lines.set(moved, plan.lines.get(c)!);
      continue;
    }
    const again = running(c) ? '' : c.amount || !c.text ? c.text : `${c.text}${CONTINUED}`;
    const lineRows = running(c) ? n : [lineCount(c), ...new Array<number>(n.length - 1).fill(0)];
    const moved: GridCell = { ...c, row: first[c.row]!, rowSpan: n.length, visualSpan: true, continued: again, lineRows };
    cells.push(moved);
    lines.set(moved, plan.lines.get(c)!);
    if (again !== c.text) {
      // The label goes again on one line — whole with （续） where it fits, else （续） alone —
      // so that the page reads 项目（续） 金额 text, in that order.
      const width = spanWidth(plan.widths, c.col, c.colSpan);
      let set = again ? setCell(fonts, { ...c, text: again }, plan.size, width) : [];
      if (set.length > 1) set = setCell(fonts, { ...c, text: CONTINUED }, plan.size, width);
      continued.set(moved, set);
    }
  }
  const next: GridSpec = { ...spec, cells, rowCount: at, rowsBreak: false };
  if (spec.keepWithNext) {
    const keep = new Array<boolean>(at).fill(false);
    spec.keepWithNext.forEach((k, r) => {
      if (k) keep[first[r]! + chunks[r]!.length - 1] = true;
    });
    next.keepWithNext = keep;
  }
  const rowHeights = rowHeightsOf(fonts, next, plan.size, lines, () => RULE);
  // Split rows read from the top: so do all the others (one vertical alignment per table).
  return { spec: next, size: plan.size, widths: plan.widths, rowHeights, lines, tops: new Map(), breakable: false, continued };
}
