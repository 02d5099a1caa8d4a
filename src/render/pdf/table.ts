// Draws a table model as a pdfmake table: the caption block (表 N, the title,
// 部门名称：… and 单位：万元) and the computed column header are header rows, so both
// repeat on every page the table spans. The grid (type size, column widths, line
// breaks, vertical centring) is planned from the real glyph widths in grid.ts.

import type { Content } from 'pdfmake/interfaces.js';
import type { BodyCell, TableModel } from '../../derive/table-model.ts';
import type { Fonts } from './fonts.ts';
import { gridWidth, headerHeight, PAD_X, PAD_Y, pagedRows, paginate, planGrid, RULE, type GridCell, type GridPlan } from './grid.ts';
import { contentWidth, pageSize, SIZE, TABLE_MARGINS_LANDSCAPE, TABLE_MARGINS_PORTRAIT, type Margins } from './page.ts';
import { blockHeight, linesNode, setBalanced, setLines } from './typeset.ts';

export const TABLE_LAYOUT = 'budget';
/** Type sizes tried for a table, from 五号 down to 七号-ish, largest that fits wins. */
export const TABLE_SIZES = [10.5, 10, 9.5, 9, 8.5, 8, 7.5, 7];
/** Line pitch of table text, as a multiple of the font's line height. */
export const TABLE_LINE = 1;

/** Space above and below each line of the caption block. */
const CAPTION_PAD = 1;

/** Rules are 0.5 pt; none inside the caption block above the column header. */
export const tableLayouts = {
  [TABLE_LAYOUT]: {
    hLineWidth: (i: number, node: { captionRows?: number }) => (i < (node.captionRows ?? 0) ? 0 : RULE),
    vLineWidth: () => RULE,
    hLineColor: () => '#000000',
    vLineColor: () => '#000000',
    paddingLeft: () => PAD_X,
    paddingRight: () => PAD_X,
    paddingTop: (i: number, node: { captionRows?: number }) => (i < (node.captionRows ?? 0) ? CAPTION_PAD : PAD_Y),
    paddingBottom: (i: number, node: { captionRows?: number }) => (i < (node.captionRows ?? 0) ? CAPTION_PAD : PAD_Y),
  },
};

export function tableMargins(t: { orientation: 'portrait' | 'landscape' }): Margins {
  return t.orientation === 'landscape' ? TABLE_MARGINS_LANDSCAPE : TABLE_MARGINS_PORTRAIT;
}

/** Where each cell of rows with spans lands in the full grid. */
export function cellPositions<C extends { colSpan: number; rowSpan: number }>(
  rows: readonly { cells: readonly C[] }[],
  cols: number,
): { row: number; col: number; cell: C }[] {
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

/** Notes under a table: the gap above each, and their line pitch. */
const NOTE_GAP = 4;
const NOTE_LINE = 1.2;

/** Room left unused at the foot of every table page, against rounding in pdfmake's layout. */
const PAGE_SAFETY = 3;

/** Spans over more rows than this are drawn as merged rules (see GridCell.visualSpan). */
const LONG_SPAN = 3;

function bodyGridCell(t: TableModel, role: string, cell: BodyCell, row: number, col: number): GridCell {
  const base = { row, col, rowSpan: cell.rowSpan, colSpan: cell.colSpan, text: cell.text, role: 'body' as const, indent: 0, maxLines: 1 };
  if (cell.kind === 'amount') return { ...base, setting: 'single', align: 'right', amount: true };
  if (cell.kind === 'code' || cell.kind === 'empty') return { ...base, setting: 'single', align: 'left' };
  const visualSpan = cell.rowSpan > LONG_SPAN;
  if (cell.kind === 'label') {
    // Form labels of 表12 and merged row labels are centred; classification rows are indented by level.
    const centred = cell.rowSpan > 1 || (t.kind === 'performance-targets' && role !== 'row');
    return {
      ...base,
      label: true,
      setting: 'balanced',
      maxLines: cell.text.length > 20 ? 3 : 2,
      indent: centred ? 0 : cell.level,
      align: centred ? 'center' : 'left',
      visualSpan,
    };
  }
  const long = cell.text.length > 24;
  return { ...base, setting: long ? 'paragraph' : 'balanced', maxLines: 3, align: 'left', visualSpan };
}

/** Classification level of a row (类 0, 款 1, 项 2), if it is a classification row. */
function levelOf(row: TableModel['body'][number]): number | undefined {
  const ranked = row.cells.filter((c) => c.rank);
  return ranked.length ? Math.max(...ranked.map((c) => c.level)) : undefined;
}

/** A row of nothing but header cells inside the body: it heads the rows after it (表12's 一级指标 … 目标值). */
function isHeading(row: TableModel['body'][number]): boolean {
  return row.role === 'section' && row.cells.every((c) => c.isHeader);
}

/**
 * What pagination must know of the body: rows that stand with the next (a parent
 * classification row and its first child; a heading row and what it heads) and the
 * heading rows over each row, to repeat on a page that begins there.
 */
function bodyFlow(t: TableModel, headerRows: number): { keepWithNext: boolean[]; heads: number[][] } {
  const keepWithNext: boolean[] = new Array(headerRows + t.body.length).fill(false);
  const heads: number[][] = Array.from({ length: headerRows + t.body.length }, () => []);
  let current: number[] = [];
  t.body.forEach((row, i) => {
    const r = headerRows + i;
    const next = t.body[i + 1];
    const level = levelOf(row);
    const nextLevel = next ? levelOf(next) : undefined;
    if (level !== undefined && nextLevel !== undefined && nextLevel > level) keepWithNext[r] = true;
    if (isHeading(row)) {
      keepWithNext[r] = true;
      current = i > 0 && isHeading(t.body[i - 1]!) ? [...current, r] : [r];
    } else if (row.role === 'section') current = [];
    else heads[r] = [...current];
  });
  return { keepWithNext, heads };
}

export interface PdfTable {
  content: Content[];
  plan: GridPlan;
}

/** Plans a table model's grid for its page. */
export function planTable(t: TableModel, fonts: Fonts): GridPlan {
  const margins = tableMargins(t);
  const width = contentWidth(t.orientation, margins);
  const cells: GridCell[] = [];
  for (const row of t.header.rows) {
    for (const h of row) {
      cells.push({
        row: h.row,
        col: h.col,
        rowSpan: h.rowSpan,
        colSpan: h.colSpan,
        text: h.text,
        role: 'bodyBold',
        align: 'center',
        setting: 'balanced',
        maxLines: h.kind === 'group' ? 2 : h.text.length > 12 ? 4 : 3,
        maxLinesLoose: h.kind === 'group' ? 3 : 6,
        indent: 0,
      });
    }
  }
  const headerRows = t.header.rows.length;
  for (const o of cellPositions(t.body, t.columnCount)) {
    cells.push(bodyGridCell(t, t.body[o.row]!.role, o.cell, headerRows + o.row, o.col));
  }
  const page = pageSize(t.orientation);
  const { keepWithNext, heads } = bodyFlow(t, headerRows);
  return planGrid(fonts, {
    keepWithNext,
    heads,
    columns: t.columnCount,
    rowCount: headerRows + t.body.length,
    headerRows,
    cells,
    // The caption block (表 N, title, unit line) heads every page.
    pageRoom: page.height - margins[1] - margins[3] - captionRows(t, fonts).height - PAGE_SAFETY,
    sizes: TABLE_SIZES,
    width,
    lineHeight: TABLE_LINE,
  });
}

type PdfCell = Record<string, unknown>;
const NO_BORDER = [false, false, false, false];

/** The caption block as full-width rows without rules: 表 N / title / (subtitle) / 部门名称 … 单位; and its height. */
function captionRows(t: TableModel, fonts: Fonts): { rows: PdfCell[][]; height: number } {
  const cols = t.columnCount;
  const width = contentWidth(t.orientation, tableMargins(t)) - 2 * PAD_X - 2 * RULE;
  const row = (content: PdfCell): PdfCell[] => [
    { ...content, colSpan: cols, border: NO_BORDER },
    ...Array.from({ length: cols - 1 }, () => ({ text: '', border: NO_BORDER })),
  ];
  const small = { size: SIZE.tableCaption, lineHeight: 1 };
  let height = 0;
  const lines = (text: string, role: 'body' | 'title', size: number, alignment: 'left' | 'center' | 'right') => {
    const set = setBalanced(fonts, [{ text, role }], { size, width });
    height += blockHeight(fonts, set, size, 1, role) + 2 * CAPTION_PAD;
    return linesNode(fonts, set, { size, lineHeight: 1, alignment });
  };
  const out: PdfCell[][] = [];
  out.push(row(lines(t.caption.label, 'body', SIZE.tableCaption, 'left')));
  const titleMargin = [0, 2, 0, 4];
  out.push(row({ ...lines(t.caption.title, 'title', SIZE.tableTitle, 'center'), margin: titleMargin }));
  height += titleMargin[1]! + titleMargin[3]!;
  if (t.caption.subtitle) out.push(row(lines(t.caption.subtitle, 'body', SIZE.tableCaption, 'center')));
  const unit = t.caption.unitLine ?? '';
  const currencyWidth = fonts.width('body', t.caption.currency, SIZE.tableCaption) + 1;
  const unitLines = setLines(fonts, [{ text: unit, role: 'body' }], { size: SIZE.tableCaption, width: width - currencyWidth - 12 });
  const currencyLines = setLines(fonts, [{ text: t.caption.currency, role: 'body' }], { size: SIZE.tableCaption, width: currencyWidth });
  height += Math.max(blockHeight(fonts, unitLines, SIZE.tableCaption, 1), blockHeight(fonts, currencyLines, SIZE.tableCaption, 1)) + 2 * CAPTION_PAD;
  out.push(
    row({
      columns: [
        { width: '*', ...linesNode(fonts, unitLines, small) },
        { width: currencyWidth, ...linesNode(fonts, currencyLines, { ...small, alignment: 'right' }) },
      ],
      columnGap: 12,
    }),
  );
  return { rows: out, height };
}

/** Height pdfmake gives the one-point marker that carries a table's outline entry. */
export function markerHeight(fonts: Fonts): number {
  return fonts.lineHeight('body', 1);
}

/**
 * The table's content for its section: marker (outline, 目录 target), then one
 * pdfmake table per page — each with the caption block and the column header, the
 * pages cut where `paginate` says — and the notes.
 */
export function renderTable(
  t: TableModel,
  fonts: Fonts,
  plan: GridPlan,
  opts: { id: string; outline: string; outlineParent?: string; before?: Content[]; beforeHeight?: number },
): Content[] {
  const caption = captionRows(t, fonts);
  const margins = tableMargins(t);
  const page = pageSize(t.orientation).height - margins[1] - margins[3];
  const fixed = caption.height + headerHeight(plan) + PAGE_SAFETY;
  const noteWidth = gridWidth(plan);
  const notes = t.notes.map((n) => setLines(fonts, [{ text: n, role: 'body' }], { size: SIZE.note, width: noteWidth, justify: true }));
  const notesHeight = notes.reduce((h, l) => h + NOTE_GAP + blockHeight(fonts, l, SIZE.note, NOTE_LINE), 0);
  const starts = paginate(plan, {
    first: page - fixed - (opts.beforeHeight ?? 0) - markerHeight(fonts),
    next: page - fixed,
    tail: notesHeight,
  });
  const pages = pagedRows(fonts, plan, starts);
  const marker: Content = {
    text: ' ',
    fontSize: 1,
    lineHeight: 1,
    id: opts.id,
    outline: true,
    outlineText: opts.outline,
    ...(opts.outlineParent ? { outlineParentId: opts.outlineParent } : {}),
  } as Content;
  const tables: Content[] = pages.map(
    (rows, i) =>
      ({
        captionRows: caption.rows.length,
        ...(i > 0 ? { pageBreak: 'before' } : {}),
        table: {
          headerRows: caption.rows.length + plan.spec.headerRows,
          // A copy: pdfmake writes into the widths it is given.
          widths: [...plan.widths],
          // pdfmake writes into the nodes it lays out: every page gets caption nodes of its own.
          body: [...(i === 0 ? caption.rows : captionRows(t, fonts).rows), ...rows],
          // Rows stay whole unless one is taller than a page (a long 年度总体目标).
          dontBreakRows: !plan.breakable,
        },
        layout: TABLE_LAYOUT,
        // Empty cells take one line of the table's own size, as the plan counts them.
        fontSize: plan.size,
        lineHeight: plan.spec.lineHeight,
      }) as unknown as Content,
  );
  const noteNodes: Content[] = notes.map(
    (lines) =>
      ({
        ...linesNode(fonts, lines, { size: SIZE.note, lineHeight: NOTE_LINE }),
        margin: [0, NOTE_GAP, 0, 0],
      }) as unknown as Content,
  );
  return [...(opts.before ?? []), marker, ...tables, ...noteNodes];
}
