// Runs pdfmake for a document whose 目录 needs two layouts: the first finds the page
// where each part and table starts, the second prints those numbers. pdfmake's own
// printer (createPdf) builds a new pdfkit document — fonts read and parsed, every
// string shaped again — for each layout, and draws every page even when only the
// layout is wanted. Here both layouts share one pdfkit document, so text is shaped
// once, and only the second layout is drawn; and the fonts, parsed once per process
// (fonts.ts), are handed to pdfkit instead of being parsed again from 10–15 MB files
// for every document. It is pdfmake's printer step by step (LayoutBuilder, Renderer,
// PDFDocument from pdfmake/js) and pdfkit's font opening for one case (pdfmake and
// pdfkit are pinned), with no file or URL access at all.

import { createRequire } from 'node:module';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Fonts } from './fonts.ts';

const require = createRequire(import.meta.url);

interface PdfKitDocument {
  on(event: 'data', cb: (chunk: Buffer) => void): void;
  on(event: 'end', cb: () => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
  end(): void;
  font(src: unknown, family?: unknown, size?: unknown): PdfKitDocument;
  fontSize(size: number): PdfKitDocument;
  _font: object;
  _fontFamilies: Record<string, object>;
  _fontCount: number;
  _fontSource: unknown;
  _fontFamily: unknown;
}
interface LayoutBuilderClass {
  new (
    pageSize: unknown,
    margins: unknown,
    svgMeasure: unknown,
  ): {
    registerTableLayouts(layouts: unknown): void;
    layoutDocument(...args: unknown[]): unknown[];
  };
}
const PdfmakeDocument = require('pdfmake/js/PDFDocument.js').default as new (...args: unknown[]) => PdfKitDocument;
const PdfKit = require('pdfkit') as new (options: object) => PdfKitDocument;
const LayoutBuilder = require('pdfmake/js/LayoutBuilder.js').default as LayoutBuilderClass;
const Renderer = require('pdfmake/js/Renderer.js').default as new (doc: PdfKitDocument, progress?: unknown) => { renderPages(pages: unknown[]): void };
const SVGMeasure = require('pdfmake/js/SVGMeasure.js').default as new () => unknown;
const { tableLayouts: builtInLayouts } = require('pdfmake/js/tableLayouts.js') as { tableLayouts: unknown };
const { normalizePageSize, normalizePageMargin } = require('pdfmake/js/PageSize.js') as {
  normalizePageSize(size: unknown, orientation: unknown): { width: number; height: number };
  normalizePageMargin(margin: unknown): unknown;
};

type EmbeddedFontClass = new (doc: PdfKitDocument, font: object, id: string) => object;
/** pdfkit's wrapper of an embedded font (not exported by pdfkit: taken from a font it opens). */
let EmbeddedFont: EmbeddedFontClass | undefined;

/**
 * pdfmake's document, whose fonts come already parsed. pdfkit's font() parses the
 * bytes it is given every time; for the configured fonts this wraps the parsed font
 * instead, with the same bookkeeping (one embedded font per face and document, ids
 * F1, F2… in order of first use), so the output is the same byte for byte.
 */
function documentClass(fonts: Fonts) {
  return class extends PdfmakeDocument {
    override font(src: unknown, family?: unknown, size?: unknown): PdfKitDocument {
      const parsed = src instanceof Uint8Array ? fonts.parsed(src, typeof family === 'string' ? family : null) : undefined;
      if (!parsed) return super.font(src, family, size);
      EmbeddedFont ??= new PdfKit({ autoFirstPage: false }).font(src, family)._font.constructor as EmbeddedFontClass;
      const key = (parsed as { postscriptName: string }).postscriptName;
      let embedded = this._fontFamilies[key];
      if (!embedded) {
        embedded = new EmbeddedFont!(this, parsed, `F${++this._fontCount}`);
        this._fontFamilies[key] = embedded;
      }
      this._font = embedded;
      this._fontSource = src;
      this._fontFamily = family ?? null;
      if (typeof size === 'number') this.fontSize(size);
      return this;
    }
  };
}
/** Document-level options that pdfkit takes and pdfmake passes through. */
export interface PdfOptionsIn {
  info: Record<string, string | Date>;
  /** /Lang of the catalog. */
  language: string;
  /** Viewers show the title, not the file name. */
  displayTitle: boolean;
  pdfVersion: '1.3' | '1.4' | '1.5' | '1.6' | '1.7';
}

/**
 * Lays out `first`, then `second(…)` built from what the first layout found, on one
 * pdfkit document, and returns the second drawn as PDF bytes.
 */
export async function layoutTwice(
  fonts: Fonts,
  layouts: Record<string, unknown>,
  options: PdfOptionsIn,
  first: TDocumentDefinitions,
  second: () => TDocumentDefinitions,
  /** Called as each step ends: 'layout-1', 'layout-2', 'draw' (for npm run bench). */
  mark: (step: string) => void = () => {},
  /**
   * Whether the last layout placed everything where the one before it did; until it
   * has, `second` is laid out again (at most `rounds` times in all), so a layout that
   * depends on its own page breaks settles instead of failing.
   */
  settled: () => boolean = () => true,
  rounds = 1,
): Promise<{ bytes: Uint8Array; pageCount: number; firstPageCount: number }> {
  const size = normalizePageSize(first.pageSize, first.pageOrientation);
  const Document = documentClass(fonts);
  const doc = new Document(
    fonts.dictionary(),
    {},
    {},
    {},
    {
      size: [size.width, size.height],
      pdfVersion: options.pdfVersion,
      tagged: false,
      displayTitle: options.displayTitle,
      compress: true,
      lang: options.language,
      fontLayoutCache: true,
      bufferPages: false,
      autoFirstPage: false,
      info: options.info,
      font: null,
    },
    fonts.files,
    () => false,
  );
  const layout = (def: TDocumentDefinitions): unknown[] => {
    const d = def as unknown as Record<string, unknown>;
    const builder = new LayoutBuilder(normalizePageSize(d.pageSize, d.pageOrientation), normalizePageMargin(d.pageMargins ?? 40), new SVGMeasure());
    builder.registerTableLayouts(builtInLayouts);
    builder.registerTableLayouts(layouts);
    return builder.layoutDocument(d.content, doc, d.styles ?? {}, d.defaultStyle, d.background, d.header, d.footer, d.watermark, d.pageBreakBefore);
  };
  const firstPageCount = layout(first).length;
  mark('layout-1');
  let pages = layout(second());
  for (let round = 1; round < rounds && !settled(); round++) pages = layout(second());
  mark('layout-2');
  new Renderer(doc).renderPages(pages);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => {
      mark('draw');
      resolve({ bytes: new Uint8Array(Buffer.concat(chunks)), pageCount: pages.length, firstPageCount });
    });
    doc.on('error', reject);
    doc.end();
  });
}
