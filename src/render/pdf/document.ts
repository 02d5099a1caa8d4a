// Lays the derived document out as the official PDF: cover, 目录, 一、文字部分 (the 9
// parts) and 二、表格部分 (the 12 tables, each on its own pages in its own orientation).
// Everything that takes measuring — line breaks, table grids, the cover's lines — is
// planned once; the pdfmake definition is then built twice: the first layout finds
// the page where each part and table starts, the second prints those numbers in the
// 目录 (engine.ts runs both on one pdfkit document).

import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { DocBlock, Inline, RenderedPart } from '../../derive/narrative.ts';
import type { DocumentModel } from '../../derive/document.ts';
import { error, InputError } from '../../errors.ts';
import { chineseOrdinal } from '../../derive/table-model.ts';
import { layoutTwice } from './engine.ts';
import type { FontRole, Fonts } from './fonts.ts';
import { gridRows, planGrid, splitTallRows, type GridCell, type GridPlan } from './grid.ts';
import { A4, BODY_LINE_PITCH, contentWidth, MM, SIZE, TABLE_MARGINS_LANDSCAPE, TABLE_MARGINS_PORTRAIT, TEXT_MARGINS } from './page.ts';
import { planTable, renderTable, TABLE_LAYOUT, tableLayouts, tableMargins as tableMarginsOf } from './table.ts';
import { linesNode, setBalanced, setLines, type PdfNode, type Run, type SetLine } from './typeset.ts';

export interface PdfOptions {
  fonts: Fonts;
  /** Creation date written into the PDF (never the clock, so builds are reproducible). */
  creationDate: Date;
  /** A clock, only to time the steps of rendering (npm run bench); never written into the PDF. */
  clock?: () => number;
}

export interface TocEntry {
  id: string;
  group: 'parts' | 'tables';
  label: string;
  /** Printed page number (counted from the first text page). */
  page: number;
}

export interface PdfResult {
  bytes: Uint8Array;
  toc: TocEntry[];
  /** Number of pages before the first text page (cover and 目录). */
  frontPages: number;
  pageCount: number;
  /** Milliseconds per step (plan, layout-1, layout-2, draw) when a clock was given. */
  timings?: Record<string, number>;
}

export const partId = (i: number) => `part-${i + 1}`;
export const tableId = (n: number) => `table-${n}`;
const TEXT_PART = 'text-part';
const TABLE_PART = 'table-part';
const TOC = 'toc';
/** Space under the 二、表格部分 heading. */
const TABLE_PART_GAP = 8;

const textWidth = contentWidth('portrait', TEXT_MARGINS);
const textHeight = A4.height - TEXT_MARGINS[1] - TEXT_MARGINS[3];

/** lineHeight factor that gives a role the body's line pitch (28.5 pt at 三号). */
function pitch(fonts: Fonts, role: FontRole, size = SIZE.body): number {
  return BODY_LINE_PITCH / fonts.lineHeight(role, size);
}

// ---------------------------------------------------------------- cover

/**
 * The cover title in deliberate lines: the year, the unit, the kind of document
 * (2024年 / 深圳市大数据资源管理中心 / 部门预算). A unit name too long for a line is
 * broken into even lines; no line is ever a single character.
 */
export function coverLines(doc: DocumentModel, fonts: Fonts, width: number, size: number): string[] {
  const title = doc.title;
  const unit = doc.report.unit;
  const at = title.indexOf(unit);
  const parts = (at >= 0 ? [title.slice(0, at), unit, title.slice(at + unit.length)] : [title]).filter((p) => p.length > 0);
  const lines: string[] = [];
  for (const p of parts) {
    for (const l of setBalanced(fonts, [{ text: p, role: 'title' }], { size, width })) lines.push(l.runs.map((r) => r.text).join(''));
  }
  for (let i = 0; i < lines.length; i++) {
    if ([...lines[i]!].length > 1 || lines.length === 1) continue;
    if (i > 0) {
      lines[i - 1] += lines[i]!;
      lines.splice(i, 1);
    } else {
      lines[1] = lines[0]! + lines[1]!;
      lines.splice(0, 1);
    }
    i = -1;
  }
  return lines;
}

/** Cover sizes tried, 小初 down to 二号: the largest at which the unit's name stands on one line. */
const COVER_SIZES = [36, 32, 28, 26, 22];

function coverSize(doc: DocumentModel, fonts: Fonts): number {
  return COVER_SIZES.find((s) => fonts.width('title', doc.report.unit, s) <= textWidth) ?? COVER_SIZES[COVER_SIZES.length - 1]!;
}

// ---------------------------------------------------------------- text part

interface Planned {
  cover: { size: number; lines: string[] };
  parts: { part: RenderedPart; heading: SetLine[]; blocks: PlannedBlock[] }[];
  tables: GridPlan[];
}

type PlannedBlock = { kind: 'lines'; role: FontRole; lines: SetLine[]; heading?: true } | { kind: 'table'; plan: GridPlan; key: string };

function runsOf(inlines: Inline[], role: FontRole, boldRole: FontRole = 'bodyBold'): Run[] {
  return inlines.map((i) => ({ text: i.text, role: i.bold ? boldRole : role }));
}

/** A small table inside the text (第七部分's 重点项目 table): planned like the official tables, in 小四. */
function planTextTable(b: Extract<DocBlock, { type: 'table' }>, fonts: Fonts): GridPlan {
  const cells: GridCell[] = b.columns.map((text, col) => ({
    row: 0,
    col,
    rowSpan: 1,
    colSpan: 1,
    text,
    role: 'bodyBold',
    align: 'center',
    setting: 'balanced',
    maxLines: 3,
    indent: 0,
  }));
  b.rows.forEach((r, i) => {
    r.forEach((text, col) => {
      const amount = /^-?[\d,]+(\.\d+)?$/.test(text);
      const long = text.length > 24;
      cells.push({
        row: i + 1,
        col,
        rowSpan: 1,
        colSpan: 1,
        text,
        role: 'body',
        align: amount ? 'right' : col === 0 ? 'center' : 'left',
        setting: amount ? 'single' : long ? 'paragraph' : 'balanced',
        maxLines: 4,
        indent: 0,
        amount,
      });
    });
  });
  return planGrid(fonts, {
    columns: b.columns.length,
    rowCount: b.rows.length + 1,
    headerRows: 1,
    cells,
    // Rows of long text break across pages, as in the published report.
    pageRoom: textHeight,
    rowsBreak: true,
    sizes: [12, 11, 10.5, 10],
    width: textWidth,
    lineHeight: 1.15,
  });
}

function planBlock(b: DocBlock, fonts: Fonts, key: string): PlannedBlock {
  const indent = 2 * SIZE.body;
  // Rows of running text are cut between lines, so that a row running onto the next
  // page repeats its label (with （续）) and amount there, under the repeated header.
  if (b.type === 'table') return { kind: 'table', plan: splitTallRows(fonts, planTextTable(b, fonts), 2), key };
  if (b.type === 'heading') {
    // ## 一、… bold (黑体 in official documents); ### （一）… regular (楷体).
    const role: FontRole = b.level <= 2 ? 'bodyBold' : 'subheading';
    return {
      kind: 'lines',
      role,
      heading: true,
      lines: setLines(fonts, runsOf(b.inlines, role), { size: SIZE.body, width: textWidth, indent, justify: true }),
    };
  }
  return { kind: 'lines', role: 'body', lines: setLines(fonts, runsOf(b.inlines, 'body'), { size: SIZE.body, width: textWidth, indent, justify: true }) };
}

function plan(doc: DocumentModel, fonts: Fonts): Planned {
  const size = coverSize(doc, fonts);
  return {
    cover: { size, lines: coverLines(doc, fonts, textWidth, size) },
    parts: doc.parts.map((part) => ({
      part,
      heading: setBalanced(fonts, [{ text: `${part.label} ${part.title}`, role: 'heading' }], { size: SIZE.partHeading, width: textWidth }),
      blocks: part.blocks.map((b, i) => planBlock(b, fonts, `part-${part.number}-block-${i}`)),
    })),
    tables: doc.tables.map((t) => planTable(t, fonts)),
  };
}

/**
 * A block as pieces pdfmake may put on different pages: a paragraph keeps its first
 * two and its last two lines together (no widow or orphan line); a table breaks
 * between rows (or inside a row too tall for a page).
 */
function blockPieces(b: PlannedBlock, fonts: Fonts, rowPages?: Map<string, number>): PdfNode[] {
  if (b.kind === 'table') {
    // The first layout reports the page of every row; the second closes and reopens split rows there.
    const rowKey = (r: number) => `${b.key}-row-${r}`;
    const pages = { rowId: rowKey, ...(rowPages ? { rowPages: (r: number) => rowPages.get(rowKey(r)) } : {}) };
    return [
      {
        margin: [0, 6, 0, 10],
        // The column header repeats on every page the table runs onto.
        table: { headerRows: b.plan.spec.headerRows, widths: [...b.plan.widths], body: gridRows(fonts, b.plan, pages), dontBreakRows: !b.plan.breakable },
        layout: TABLE_LAYOUT,
        fontSize: b.plan.size,
        lineHeight: b.plan.spec.lineHeight,
      },
    ];
  }
  const style = { size: SIZE.body, lineHeight: pitch(fonts, b.role) };
  const node = (lines: SetLine[], unbreakable: boolean) => linesNode(fonts, lines, style, unbreakable ? { unbreakable } : {});
  const l = b.lines;
  if (l.length <= 3) return [node(l, true)];
  if (l.length === 4) return [node(l.slice(0, 2), true), node(l.slice(2), true)];
  return [node(l.slice(0, 2), true), node(l.slice(2, -2), false), node(l.slice(-2), true)];
}

function partContent(p: Planned['parts'][number], fonts: Fonts, first: boolean, rowPages?: Map<string, number>): Content[] {
  const style = { size: SIZE.partHeading, lineHeight: pitch(fonts, 'heading', SIZE.partHeading), alignment: 'center' as const };
  // The heading is the 目录's target and an outline entry.
  const heading = linesNode(fonts, p.heading, style, {
    id: partId(p.part.number - 1),
    outline: true,
    outlineText: `${p.part.label} ${p.part.title}`,
    outlineParentId: TEXT_PART,
    margin: [0, first ? 0 : BODY_LINE_PITCH / 2, 0, BODY_LINE_PITCH / 4],
  });
  const out: PdfNode[] = [];
  let pending: PdfNode[] = [heading];
  // A heading stays with the first lines after it: never alone at the foot of a page.
  for (const b of p.blocks) {
    const pieces = blockPieces(b, fonts, rowPages);
    if (b.kind === 'lines' && b.heading) {
      if (pending.length) out.push(...pending);
      pending = pieces;
      continue;
    }
    if (pending.length && b.kind === 'lines') {
      // pdfmake mishandles an unbreakable block inside another (it breaks the page early): one level only.
      const flat = [...pending, pieces[0]!].map(({ unbreakable: _, ...rest }) => rest);
      out.push({ stack: flat, unbreakable: true }, ...pieces.slice(1));
    } else out.push(...pending, ...pieces);
    pending = [];
  }
  out.push(...pending);
  return out as unknown as Content[];
}

// ---------------------------------------------------------------- 目录

/**
 * One 目录 entry on one line: the title, dot leaders filling the line exactly, the page
 * number flush right; every part of it links to the page.
 */
function tocLine(fonts: Fonts, label: string, page: string, id: string, indent: number, lineHeight: number): Content {
  const size = SIZE.toc;
  const width = textWidth - indent - 0.05;
  const labelWidth = fonts.width('body', label, size);
  const numberWidth = fonts.width('body', page, size);
  const dot = fonts.width('body', '.', size);
  const space = fonts.width('body', ' ', size);
  // The leader is " ..... " with its spacing stretched so the number ends at the right margin.
  const room = width - labelWidth - numberWidth;
  const n = Math.max(2, Math.floor((room - 2 * space - size) / dot));
  const spacing = (room - 2 * space - n * dot) / (n + 1);
  const link = { linkToDestination: id };
  return {
    text: [
      { text: label, ...link },
      { text: ` ${'.'.repeat(n)} `, characterSpacing: spacing, color: '#333333', ...link },
      { text: page, ...link },
    ],
    noWrap: true,
    margin: [indent, 0, 0, 0],
    fontSize: size,
    lineHeight,
  } as Content;
}

function tocContent(doc: DocumentModel, fonts: Fonts, pages: Map<string, number>): Content[] {
  const num = (id: string) => String(pages.get(id) ?? '');
  const groupStyle = { font: 'Heading', fontSize: SIZE.toc, lineHeight: 1.5 };
  const group = (text: string, top: number): Content => ({ text, ...groupStyle, margin: [0, top, 0, 4] }) as Content;
  const indent = SIZE.toc * 2;
  // Entries spaced to fill the page (within reason), so the 目录 stands on one page.
  const fixed = fonts.lineHeight('title', SIZE.tocTitle) + 18 + 2 * (fonts.lineHeight('heading', SIZE.toc) * 1.5 + 4) + 10;
  const entries = doc.parts.length + doc.tables.length;
  const lineHeight = Math.min(1.8, Math.max(1.2, (0.97 * (textHeight - fixed)) / entries / fonts.lineHeight('body', SIZE.toc)));
  return [
    {
      text: '目  录',
      font: 'Title',
      fontSize: SIZE.tocTitle,
      alignment: 'center',
      margin: [0, 0, 0, 18],
      id: TOC,
      outline: true,
      outlineText: '目录',
    } as Content,
    group('一、文字部分', 0),
    ...doc.parts.map((p, i) => tocLine(fonts, `${p.label} ${p.title}`, num(partId(i)), partId(i), indent, lineHeight)),
    group('二、表格部分', 10),
    ...doc.tables.map((t) => tocLine(fonts, `（${chineseOrdinal(t.number - 1)}）${t.title}`, num(tableId(t.number)), tableId(t.number), indent, lineHeight)),
  ];
}

// ---------------------------------------------------------------- the document

/**
 * The pdfmake definition. `tocPages` are the printed page numbers shown in the 目录;
 * `record` receives the absolute page where each part and table starts (and each row
 * of a table with merged cells drawn as rules); `rowPages` are those pages from an
 * earlier layout.
 */
function buildDefinition(
  doc: DocumentModel,
  planned: Planned,
  fonts: Fonts,
  tocPages: Map<string, number>,
  frontPages: number,
  record: Map<string, number>,
  rowPages?: Map<string, number>,
): TDocumentDefinitions {
  // GB/T 9704-2012 7.5: 4号 figures between dashes, 7 mm under the text block; odd
  // pages at the right, even pages at the left, one character in from its edge.
  // pdfmake sets the footer across the whole page: the text block's edges are given as margins.
  const tablesFrom = rowPages?.get(tableId(1)) ?? Infinity;
  const footer = (currentPage: number, _count: number, size: { orientation: string }) => {
    if (currentPage <= frontPages) return null;
    const n = currentPage - frontPages;
    const block = currentPage < tablesFrom ? TEXT_MARGINS : size.orientation === 'landscape' ? TABLE_MARGINS_LANDSCAPE : TABLE_MARGINS_PORTRAIT;
    return {
      text: `— ${n} —`,
      alignment: n % 2 === 1 ? 'right' : 'left',
      fontSize: SIZE.footer,
      margin: [block[0] + SIZE.footer, 7 * MM, block[2] + SIZE.footer, 0],
    } as Content;
  };
  const cover: Content = {
    section: [
      { text: '', margin: [0, 45 * MM, 0, 0] },
      ...planned.cover.lines.map(
        (l) => ({ text: l, font: 'Title', fontSize: planned.cover.size, alignment: 'center', lineHeight: 1.6, noWrap: true }) as Content,
      ),
    ],
    pageOrientation: 'portrait',
    pageMargins: TEXT_MARGINS,
  } as Content;
  const toc: Content = { section: tocContent(doc, fonts, tocPages), pageOrientation: 'portrait', pageMargins: TEXT_MARGINS } as Content;
  const text: Content = {
    section: [
      {
        text: '一、文字部分',
        font: 'Heading',
        fontSize: SIZE.partHeading,
        lineHeight: pitch(fonts, 'heading', SIZE.partHeading),
        margin: [0, 0, 0, BODY_LINE_PITCH / 4],
        id: TEXT_PART,
        outline: true,
        outlineText: '一、文字部分',
        outlineExpanded: true,
      } as Content,
      ...planned.parts.flatMap((p, i) => partContent(p, fonts, i === 0, rowPages)),
    ],
    pageOrientation: 'portrait',
    pageMargins: TEXT_MARGINS,
  } as Content;
  const tables: Content[] = doc.tables.map((t, i) => {
    const before: Content[] =
      i === 0
        ? [
            {
              text: '二、表格部分',
              font: 'Heading',
              fontSize: SIZE.partHeading,
              margin: [0, 0, 0, TABLE_PART_GAP],
              id: TABLE_PART,
              outline: true,
              outlineText: '二、表格部分',
              outlineExpanded: true,
            } as Content,
          ]
        : [];
    const content = renderTable(t, fonts, planned.tables[i]!, {
      id: tableId(t.number),
      outline: `表${t.number} ${t.title}`,
      outlineParent: TABLE_PART,
      before,
      beforeHeight: i === 0 ? fonts.lineHeight('heading', SIZE.partHeading) + TABLE_PART_GAP : 0,
    });
    return { section: content, pageOrientation: t.orientation, pageMargins: tableMarginsOf(t) } as Content;
  });
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: TEXT_MARGINS,
    content: [cover, toc, text, ...tables],
    defaultStyle: { font: 'Body', fontSize: SIZE.body },
    footer,
    // pdfmake describes every node it laid out: note where the parts, tables and
    // marked rows landed.
    pageBreakBefore: (node: { id?: string; startPosition?: { pageNumber: number } }) => {
      if (node.id && node.startPosition && !record.has(node.id)) record.set(node.id, node.startPosition.pageNumber);
      return false;
    },
  } as unknown as TDocumentDefinitions;
}

/**
 * Document information: title, author (the unit), subject, keywords, and the fixed
 * creation date. pdfkit copies these into the XMP metadata without escaping, so the
 * three characters XML reserves are written in their full-width forms.
 */
export function documentInfo(doc: DocumentModel, creationDate: Date): Record<string, string | Date> {
  const r = doc.report;
  const xml = (s: string) => s.replace(/&/g, '＆').replace(/</g, '＜').replace(/>/g, '＞');
  return {
    Title: xml(doc.title),
    Author: xml(r.unit),
    Subject: xml(`${r.year}年${r.unit}${r.kind}公开`),
    Keywords: xml([r.kind, r.unit, r.department, `${r.year}年`, '预算公开'].join('，')),
    Creator: 'budget-disclosure',
    Producer: 'budget-disclosure (pdfmake, pdfkit)',
    CreationDate: creationDate,
  };
}

/** Layouts tried before a document that keeps moving is reported. */
const LAYOUT_ROUNDS = 6;

/** The first part, table or row that two layouts placed on different pages, or null. */
function movedPart(before: Map<string, number>, after: Map<string, number>): string | null {
  for (const id of new Set([...before.keys(), ...after.keys()])) if (before.get(id) !== after.get(id)) return id;
  return null;
}

/** A layout that does not settle, reported at the source of what keeps moving. */
function unstableLayout(doc: DocumentModel, id: string, before?: number, after?: number): InputError {
  const r = doc.report;
  const table = /^table-(\d+)/.exec(id);
  const layout = table ? r.set.layouts.find((l) => l.number === Number(table[1])) : undefined;
  const src = (layout && r.files[layout.id]) ?? r.files.narrative ?? r.files.report;
  const what = layout ? `表${layout.number} ${layout.title}` : '文字部分';
  return new InputError([
    error(
      '版面',
      'pdf-layout-unstable',
      `PDF 版面排不稳定：${what}的一部分每次排版落在不同的页（第 ${before ?? '?'} 页、第 ${after ?? '?'} 页）。通常是某个名称或某一行文字过长：请缩短其中最长的文字后重试`,
      { file: src?.file ?? r.dir, line: 1, col: 1 },
      `the PDF layout does not settle (${id})`,
    ),
  ]);
}

/** Renders the PDF (two layouts or more, for the 目录's page numbers). */
export async function renderPdf(doc: DocumentModel, opts: PdfOptions): Promise<PdfResult> {
  const { fonts, clock } = opts;
  const timings: Record<string, number> = {};
  let last = clock?.() ?? 0;
  const mark = (step: string) => {
    if (!clock) return;
    const now = clock();
    timings[step] = now - last;
    last = now;
  };
  const planned = plan(doc, fonts);
  mark('plan');
  // Each layout records the page where every part, table and marked row starts; the
  // next one prints those pages in the 目录 and closes merged cells at those breaks.
  // Laid out again until nothing moves (a label repeated at a break can move a row).
  let found = new Map<string, number>();
  let placed = new Map<string, number>();
  let frontPages = 2;
  let printed = new Map<string, number>();
  const options = { info: documentInfo(doc, opts.creationDate), language: 'zh-CN', displayTitle: true, pdfVersion: '1.4' as const };
  const { bytes, pageCount } = await layoutTwice(
    fonts,
    tableLayouts,
    options,
    buildDefinition(doc, planned, fonts, new Map(), frontPages, placed),
    () => {
      found = placed;
      placed = new Map();
      // The 目录 prints pages counted from the first text page.
      frontPages = (found.get(TEXT_PART) ?? 3) - 1;
      printed = new Map([...found].map(([id, page]) => [id, page - frontPages]));
      return buildDefinition(doc, planned, fonts, printed, frontPages, placed, found);
    },
    mark,
    () => movedPart(found, placed) === null,
    LAYOUT_ROUNDS,
  );
  const moved = movedPart(found, placed);
  if (moved !== null) throw unstableLayout(doc, moved, found.get(moved), placed.get(moved));
  const toc: TocEntry[] = [
    ...doc.parts.map((p, i) => ({ id: partId(i), group: 'parts' as const, label: `${p.label} ${p.title}`, page: printed.get(partId(i)) ?? 0 })),
    ...doc.tables.map((t) => ({
      id: tableId(t.number),
      group: 'tables' as const,
      label: `（${chineseOrdinal(t.number - 1)}）${t.title}`,
      page: printed.get(tableId(t.number)) ?? 0,
    })),
  ];
  return { bytes, toc, frontPages, pageCount, ...(clock ? { timings } : {}) };
}
