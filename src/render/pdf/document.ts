// Lays the derived document out as the official PDF: cover, 目录, 一、文字部分 (the 9
// parts) and 二、表格部分 (the 12 tables, each on its own page in its own orientation).
// Rendered twice: the first pass finds the page where each part and table starts,
// the second prints those numbers in the 目录.

import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { DocBlock, Inline, RenderedPart } from '../../derive/narrative.ts';
import type { DocumentModel } from '../../derive/document.ts';
import { chineseOrdinal } from '../../derive/table-model.ts';
import type { Fonts } from './fonts.ts';
import { BODY_LINE_PITCH, contentWidth, MM, SIZE, TEXT_MARGINS } from './page.ts';
import { renderTable, tableLayouts, tableMargins, wrapLines } from './table.ts';

export interface PdfOptions {
  fonts: Fonts;
  /** Creation date written into the PDF (never the clock, so builds are reproducible). */
  creationDate: Date;
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
}

let configured = false;
function configure(fonts: Fonts): void {
  // A static build needs no URL and reads only the configured font files.
  pdfmake.setUrlAccessPolicy(() => false);
  const allowed = new Set(fonts.files);
  pdfmake.setLocalAccessPolicy((path: string) => allowed.has(path));
  pdfmake.setFonts(fonts.families as never);
  if (!configured) {
    pdfmake.addTableLayouts(tableLayouts as never);
    configured = true;
  }
}

export const partId = (i: number) => `part-${i + 1}`;
export const tableId = (n: number) => `table-${n}`;

function inlineContent(inlines: Inline[]): Content[] {
  return inlines.map((i) => (i.bold ? { text: i.text, bold: true } : { text: i.text }) as Content);
}

function blockContent(b: DocBlock, fonts: Fonts, width: number): Content {
  const indent = 2 * SIZE.body;
  const lh = BODY_LINE_PITCH / fonts.lineHeight('body', SIZE.body);
  if (b.type === 'heading') {
    // 一、 level: bold, indented like a paragraph.
    return { text: inlineContent(b.inlines), bold: true, leadingIndent: indent, lineHeight: lh, alignment: 'justify' } as Content;
  }
  if (b.type === 'paragraph') {
    return { text: inlineContent(b.inlines), leadingIndent: indent, lineHeight: lh, alignment: 'justify' } as Content;
  }
  const size = 12;
  const widths = [width * 0.2, width * 0.14, '*'];
  return {
    margin: [0, 4, 0, 8],
    table: {
      headerRows: 1,
      widths,
      dontBreakRows: true,
      body: [
        b.columns.map((c) => ({ text: c, bold: true, alignment: 'center', fontSize: size })),
        ...b.rows.map((r) => r.map((c, i) => ({ text: c, fontSize: size, alignment: i === 1 ? 'right' : i === 0 ? 'center' : 'justify' }))),
      ],
    },
    layout: 'budget',
  } as Content;
}

function partContent(p: RenderedPart, fonts: Fonts, width: number, first: boolean): Content[] {
  const heading: Content = {
    text: `${p.label} ${p.title}`,
    font: 'Heading',
    fontSize: SIZE.partHeading,
    alignment: 'center',
    margin: [0, first ? 0 : BODY_LINE_PITCH, 0, BODY_LINE_PITCH / 2],
    id: partId(p.number - 1),
    outline: true,
    outlineText: `${p.label} ${p.title}`,
  } as Content;
  return [heading, ...p.blocks.map((b) => blockContent(b, fonts, width))];
}

/** Splits the cover title into deliberate lines: the year, the unit, the kind — never a lone character. */
export function coverLines(doc: DocumentModel, fonts: Fonts, width: number, size: number): string[] {
  const title = doc.title;
  const unit = doc.report.unit;
  const at = title.indexOf(unit);
  let parts = at >= 0 ? [title.slice(0, at), unit, title.slice(at + unit.length)] : [title];
  parts = parts.filter((p) => p.length > 0);
  const lines: string[] = [];
  for (const p of parts) {
    if (fonts.width('title', p, size) <= width) {
      lines.push(p);
      continue;
    }
    // Too wide: break into balanced lines.
    const n = Math.ceil(fonts.width('title', p, size) / width);
    const per = Math.ceil(p.length / n);
    for (let i = 0; i < p.length; i += per) lines.push(p.slice(i, i + per));
  }
  // Never leave one character alone on a line: join it to its neighbour.
  for (let i = 0; i < lines.length; i++) {
    if ([...lines[i]!].length === 1) {
      if (i > 0) {
        lines[i - 1] += lines[i]!;
        lines.splice(i, 1);
        i--;
      } else if (lines.length > 1) {
        lines[1] = lines[0]! + lines[1]!;
        lines.splice(0, 1);
        i--;
      }
    }
  }
  return lines;
}

function tocLine(fonts: Fonts, label: string, page: string, width: number, id: string, indent: number): Content {
  const size = SIZE.toc;
  const dot = fonts.width('body', '.', size);
  const used = fonts.width('body', label, size) + fonts.width('body', page, size) + indent + size;
  const n = Math.max(3, Math.floor((width - used) / dot) - 1);
  return {
    columns: [
      { width: '*', text: [{ text: label }, { text: ' ' + '.'.repeat(n), color: '#444444' }], noWrap: true },
      { width: 'auto', text: page, alignment: 'right' },
    ],
    columnGap: 2,
    margin: [indent, 0, 0, 0],
    fontSize: size,
    lineHeight: 1.1,
    linkToDestination: id,
  } as Content;
}

function tocContent(doc: DocumentModel, fonts: Fonts, pages: Map<string, number>, width: number): Content[] {
  const num = (id: string) => String(pages.get(id) ?? '');
  const out: Content[] = [
    { text: '目  录', font: 'Title', fontSize: SIZE.tocTitle, alignment: 'center', margin: [0, 0, 0, 12] } as Content,
    { text: '一、文字部分', font: 'Heading', fontSize: SIZE.toc, margin: [0, 0, 0, 4], lineHeight: 1.4 } as Content,
  ];
  doc.parts.forEach((p, i) => out.push(tocLine(fonts, `${p.label} ${p.title}`, num(partId(i)), width, partId(i), SIZE.toc * 2)));
  out.push({ text: '二、表格部分', font: 'Heading', fontSize: SIZE.toc, margin: [0, 8, 0, 4], lineHeight: 1.4 } as Content);
  doc.tables.forEach((t) => out.push(tocLine(fonts, `（${chineseOrdinal(t.number - 1)}）${t.title}`, num(tableId(t.number)), width, tableId(t.number), SIZE.toc * 2)));
  return out;
}

/**
 * The pdfmake definition. `tocPages` are the printed page numbers shown in the 目录;
 * `record` receives the absolute page where each part and table starts.
 */
export function buildDefinition(doc: DocumentModel, opts: PdfOptions, tocPages: Map<string, number>, frontPages: number, record: Map<string, number>): TDocumentDefinitions {
  const { fonts } = opts;
  const textWidth = contentWidth('portrait', TEXT_MARGINS);
  const footer = (currentPage: number) => {
    if (currentPage <= frontPages) return null;
    return { text: `— ${currentPage - frontPages} —`, alignment: 'center', fontSize: SIZE.footer, margin: [0, 7 * MM, 0, 0] } as Content;
  };
  const coverSize = SIZE.coverTitle;
  const lines = coverLines(doc, fonts, textWidth, coverSize);
  const cover: Content = {
    section: [
      { text: '', margin: [0, 40 * MM, 0, 0] },
      ...lines.map((l) => ({ text: l, font: 'Title', fontSize: coverSize, alignment: 'center', lineHeight: 1.5 }) as Content),
    ],
    pageOrientation: 'portrait',
    pageMargins: TEXT_MARGINS,
  } as Content;
  const toc: Content = { section: tocContent(doc, fonts, tocPages, textWidth), pageOrientation: 'portrait', pageMargins: TEXT_MARGINS, footer: () => null } as Content;
  const text: Content = {
    section: [
      { text: '一、文字部分', font: 'Heading', fontSize: SIZE.partHeading, margin: [0, 0, 0, BODY_LINE_PITCH / 2], id: 'text-part', outline: true, outlineText: '一、文字部分' } as Content,
      ...doc.parts.flatMap((p, i) => partContent(p, fonts, textWidth, i === 0)),
    ],
    pageOrientation: 'portrait',
    pageMargins: TEXT_MARGINS,
    footer,
  } as Content;
  const tables: Content[] = doc.tables.map((t, i) => {
    const before: Content[] = i === 0 ? [{ text: '二、表格部分', font: 'Heading', fontSize: SIZE.partHeading, margin: [0, 0, 0, 8], id: 'table-part', outline: true, outlineText: '二、表格部分' } as Content] : [];
    const r = renderTable(t, fonts, { id: tableId(t.number), outline: `表${t.number} ${t.title}`, before });
    return { section: r.content, pageOrientation: t.orientation, pageMargins: tableMargins(t), footer } as Content;
  });
  const r = doc.report;
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: TEXT_MARGINS,
    content: [cover, toc, text, ...tables],
    defaultStyle: { font: 'Body', fontSize: SIZE.body },
    info: {
      title: doc.title,
      author: r.unit,
      subject: `${r.year}年${r.kind}`,
      keywords: [r.kind, r.unit, r.department, String(r.year), '预算公开'].join(', '),
      creator: 'budget-disclosure',
      producer: 'budget-disclosure (pdfmake)',
      creationDate: opts.creationDate,
    },
    language: 'zh-CN',
    pageBreakBefore: (node: { id?: string; startPosition?: { pageNumber: number } }) => {
      if (node.id && node.startPosition && !record.has(node.id)) record.set(node.id, node.startPosition.pageNumber);
      return false;
    },
  } as unknown as TDocumentDefinitions;
}

async function toBytes(def: TDocumentDefinitions): Promise<Uint8Array> {
  const pdf = pdfmake.createPdf(def);
  const buf = await (pdf as unknown as { getBuffer(): Promise<Buffer> }).getBuffer();
  return new Uint8Array(buf);
}

/** Renders the PDF (two passes, for the 目录's page numbers). */
export async function renderPdf(doc: DocumentModel, opts: PdfOptions): Promise<PdfResult> {
  configure(opts.fonts);
  // Pass 1: absolute page of every part and table.
  const abs = new Map<string, number>();
  await toBytes(buildDefinition(doc, opts, new Map(), 2, abs));
  const frontPages = (abs.get('text-part') ?? 3) - 1;
  const printed = new Map<string, number>();
  for (const [id, page] of abs) printed.set(id, page - frontPages);
  // Pass 2: the same layout with the 目录 numbers filled in. The numbers only
  // change text inside the 目录's lines, so the pages stay where they were.
  const again = new Map<string, number>();
  const bytes = await toBytes(buildDefinition(doc, opts, printed, frontPages, again));
  for (const [id, page] of abs) {
    if (again.get(id) !== page) throw new Error(`目录页码不稳定：${id} 第一遍在第 ${page} 页，第二遍在第 ${again.get(id)} 页`);
  }
  const toc: TocEntry[] = [
    ...doc.parts.map((p, i) => ({ id: partId(i), group: 'parts' as const, label: `${p.label} ${p.title}`, page: printed.get(partId(i)) ?? 0 })),
    ...doc.tables.map((t) => ({ id: tableId(t.number), group: 'tables' as const, label: `（${chineseOrdinal(t.number - 1)}）${t.title}`, page: printed.get(tableId(t.number)) ?? 0 })),
  ];
  const pageCount = Math.max(...abs.values());
  return { bytes, toc, frontPages, pageCount };
}

export { wrapLines };
