// Reads a PDF back with pdfjs-dist: the text of every page with glyph positions,
// so tests judge the real file, not the definition that produced it.

import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface TextItem {
  str: string;
  /** Left, bottom (PDF user space, origin bottom-left), width and height, in points. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  items: TextItem[];
  /** All text of the page joined without whitespace, page-number footer removed. */
  text: string;
}

export interface PdfFile {
  pages: PdfPage[];
  info: Record<string, unknown>;
  outline: { title: string; dest: unknown }[];
}

const FOOTER = /^—\s*\d+\s*—$/;

export async function readPdf(bytes: Uint8Array): Promise<PdfFile> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const vp = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items: TextItem[] = [];
    for (const it of content.items) {
      if (!('str' in it)) continue;
      const [, , , d, e, f] = it.transform as number[];
      items.push({ str: it.str, x: e!, y: f!, width: it.width, height: it.height || Math.abs(d!) });
    }
    const text = items
      .filter((i) => !FOOTER.test(i.str.trim()))
      .map((i) => i.str)
      .join('')
      .replace(/\s+/g, '');
    pages.push({ number: n, width: vp.width, height: vp.height, items, text });
  }
  const meta = await doc.getMetadata();
  const outline = ((await doc.getOutline()) ?? []).map((o) => ({ title: o.title, dest: o.dest }));
  await doc.destroy();
  return { pages, info: (meta.info ?? {}) as Record<string, unknown>, outline };
}

/** Removes all whitespace: the comparisons of the fidelity tests ignore it. */
export function squash(s: string): string {
  return s.replace(/\s+/g, '');
}
