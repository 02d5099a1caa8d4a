// Draws a table model as a pdfmake table: the caption block (表 N, the title,
// 部门名称：… and 单位：万元) and the computed column header are header rows, so both
// repeat on every page the table spans. The grid (type size, column widths, line
// breaks, vertical centring) is planned from the real glyph widths in grid.ts.

import type { Content } from 'pdfmake/interfaces.js';
import type { BodyCell, TableModel } from '../../derive/table-model.ts';
import type { Fonts } from './fonts.ts';
import { gridRows, gridWidth, planGrid, RULE, type GridCell, type GridPages, type GridPlan } from './grid.ts';
import { contentWidth, pageSize, SIZE, TABLE_MARGINS_LANDSCAPE, TABLE_MARGINS_PORTRAIT, type Margins } from './page.ts';
import { linesNode, setBalanced, setLines } from './typeset.ts';

export const TABLE_LAYOUT = 'budget';
/** Type sizes tried for a table, from 五号 down to 七号-ish, largest that fits wins. */
export const TABLE_SIZES = [10.5, 10, 9.5, 9, 8.5, 8, 7.5, 7];
/** Line pitch of table text, as a multiple of the font's line height. */
export const TABLE_LINE = 1;

/** Rules are 0.5 pt; none inside the caption block above the column header. */
export const tableLayouts = {
  [TABLE_LAYOUT]: {
    hLineWidth: (i: number, node: { captionRows?: number }) => (i < (node.captionRows ?? 0) ? 0 : RULE),
    vLineWidth: () => RULE,
    hLineColor: () => '#000000',
    vLineColor: () => '#000000',
    paddingLeft: () => 3,
    paddingRight: () => 3,
    paddingTop: () => 2,
    paddingBottom: () => 2,
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

/** Height kept for the caption block above the column header on every page of a table. */
const CAPTION_ALLOWANCE = 100;

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
        indent: 0,
      });
    }
  }
  const headerRows = t.header.rows.length;
  for (const o of cellPositions(t.body, t.columnCount)) {
    cells.push(bodyGridCell(t, t.body[o.row]!.role, o.cell, headerRows + o.row, o.col));
  }
  const page = pageSize(t.orientation);
  return planGrid(fonts, {
    columns: t.columnCount,
    rowCount: headerRows + t.body.length,
    headerRows,
    cells,
    // The caption block (表 N, title, unit line) takes about 80 pt of every page.
    pageRoom: page.height - margins[1] - margins[3] - CAPTION_ALLOWANCE,
    sizes: TABLE_SIZES,
    width,
    lineHeight: TABLE_LINE,
  });
}

type PdfCell = Record<string, unknown>;
const NO_BORDER = [false, false, false, false];

/** The caption block as full-width rows without rules: 表 N / title / (subtitle) / 部门名称 … 单位. */
function captionRows(t: TableModel, fonts: Fonts, plan: GridPlan): PdfCell[][] {
  const cols = t.columnCount;
  const width = gridWidth(plan) - 2 * 3 - 2 * RULE;
  const row = (content: PdfCell): PdfCell[] => [
    { ...content, colSpan: cols, border: NO_BORDER },
    ...Array.from({ length: cols - 1 }, () => ({ text: '', border: NO_BORDER })),
  ];
  const small = { size: SIZE.tableCaption, lineHeight: 1 };
  const lines = (text: string, role: 'body' | 'title', size: number, alignment: 'left' | 'center' | 'right') => {
    return linesNode(fonts, setBalanced(fonts, [{ text, role }], { size, width }), { size, lineHeight: 1, alignment });
  };
  const out: PdfCell[][] = [];
  out.push(row(lines(t.caption.label, 'body', SIZE.tableCaption, 'left')));
  out.push(row({ ...lines(t.caption.title, 'title', SIZE.tableTitle, 'center'), margin: [0, 2, 0, 4] }));
  if (t.caption.subtitle) out.push(row(lines(t.caption.subtitle, 'body', SIZE.tableCaption, 'center')));
  const unit = t.caption.unitLine ?? '';
  const currencyWidth = fonts.width('body', t.caption.currency, SIZE.tableCaption) + 1;
  const unitLines = setLines(fonts, [{ text: unit, role: 'body' }], { size: SIZE.tableCaption, width: width - currencyWidth - 12 });
  out.push(
    row({
      columns: [
        { width: '*', ...linesNode(fonts, unitLines, small) },
        {
          width: currencyWidth,
          ...linesNode(fonts, setLines(fonts, [{ text: t.caption.currency, role: 'body' }], { size: SIZE.tableCaption, width: currencyWidth }), {
            ...small,
            alignment: 'right',
          }),
        },
      ],
      columnGap: 12,
    }),
  );
  return out;
}

/** The table's content for its section: marker (outline, 目录 target), table, notes. */
export function renderTable(
  t: TableModel,
  fonts: Fonts,
  plan: GridPlan,
  opts: { id: string; outline: string; outlineParent?: string; before?: Content[]; pages?: GridPages },
): Content[] {
  const caption = captionRows(t, fonts, plan);
  const grid = gridRows(fonts, plan, opts.pages);
  const marker: Content = {
    text: ' ',
    fontSize: 1,
    lineHeight: 1,
    id: opts.id,
    outline: true,
    outlineText: opts.outline,
    ...(opts.outlineParent ? { outlineParentId: opts.outlineParent } : {}),
  } as Content;
  const table: Content = {
    captionRows: caption.length,
    table: {
      headerRows: caption.length + plan.spec.headerRows,
      widths: plan.widths,
      body: [...caption, ...grid],
      // Rows stay whole unless one is taller than a page (a long 年度总体目标).
      dontBreakRows: !plan.breakable,
    },
    layout: TABLE_LAYOUT,
    // Empty cells take one line of the table's own size, as the plan counts them.
    fontSize: plan.size,
    lineHeight: plan.spec.lineHeight,
  } as unknown as Content;
  const noteWidth = gridWidth(plan);
  const notes: Content[] = t.notes.map(
    (n) =>
      ({
        ...linesNode(fonts, setLines(fonts, [{ text: n, role: 'body' }], { size: SIZE.note, width: noteWidth, justify: true }), {
          size: SIZE.note,
          lineHeight: 1.2,
        }),
        margin: [0, 4, 0, 0],
      }) as unknown as Content,
  );
  return [...(opts.before ?? []), marker, table, ...notes];
}
