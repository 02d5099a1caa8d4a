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
  /** pdfjs's name of the font the run is set in (one per embedded face). */
  fontName: string;
}

export interface PdfLink {
  /** [x1, y1, x2, y2] in PDF user space. */
  rect: number[];
  /** 1-based page the link goes to (internal links), else null. */
  page: number | null;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  items: TextItem[];
  /** All text of the page joined without whitespace, page-number footer removed. */
  text: string;
  links: PdfLink[];
}

export interface OutlineNode {
  title: string;
  /** 1-based page the entry opens. */
  page: number | null;
  items: OutlineNode[];
}

export interface PdfFile {
  pages: PdfPage[];
  info: Record<string, unknown>;
  outline: { title: string; dest: unknown }[];
  /** The bookmarks with their children and target pages. */
  outlineTree: OutlineNode[];
}

const FOOTER = /^—\s*\d+\s*—$/;

export async function readPdf(bytes: Uint8Array): Promise<PdfFile> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pageOf = async (dest: unknown): Promise<number | null> => {
    const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : (dest as unknown[] | null);
    const ref = explicit?.[0];
    if (!ref || typeof ref !== 'object') return null;
    return (await doc.getPageIndex(ref as { num: number; gen: number })) + 1;
  };
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const vp = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items: TextItem[] = [];
    for (const it of content.items) {
      if (!('str' in it)) continue;
      const [, , , d, e, f] = it.transform as number[];
      items.push({ str: it.str, x: e!, y: f!, width: it.width, height: it.height || Math.abs(d!), fontName: it.fontName });
    }
    const text = items
      .filter((i) => !FOOTER.test(i.str.trim()))
      .map((i) => i.str)
      .join('')
      .replace(/\s+/g, '');
    const links: PdfLink[] = [];
    for (const a of await page.getAnnotations()) {
      if (a.subtype === 'Link') links.push({ rect: a.rect as number[], page: a.dest ? await pageOf(a.dest) : null });
    }
    pages.push({ number: n, width: vp.width, height: vp.height, items, text, links });
  }
  const meta = await doc.getMetadata();
  const raw = (await doc.getOutline()) ?? [];
  const outline = raw.map((o) => ({ title: o.title, dest: o.dest }));
  type RawNode = { title: string; dest: unknown; items?: RawNode[] };
  const tree = async (nodes: RawNode[]): Promise<OutlineNode[]> =>
    Promise.all(nodes.map(async (o) => ({ title: o.title, page: await pageOf(o.dest), items: await tree(o.items ?? []) })));
  const outlineTree = await tree(raw as RawNode[]);
  await doc.destroy();
  return { pages, info: (meta.info ?? {}) as Record<string, unknown>, outline, outlineTree };
}

/** Removes all whitespace: the comparisons of the fidelity tests ignore it. */
export function squash(s: string): string {
  return s.replace(/\s+/g, '');
}
