// What a reader sees in a PDF, as lines of text, and the difference between two
// PDFs at that level: when a published year now renders to different bytes, this
// tells whether words or figures changed or only the layout did.

import { diffArrays } from 'diff';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of every page, one string per printed line, prefixed with its page number. */
export async function pdfLines(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, verbosity: 0, isEvalSupported: false }).promise;
  const out: string[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let line = '';
      let y: number | null = null;
      const flush = () => {
        const t = line.replace(/\s+/g, ' ').trim();
        if (t) out.push(`第${n}页 ${t}`);
        line = '';
      };
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const iy = (item.transform as number[])[5]!;
        if (y !== null && Math.abs(iy - y) > 1) flush();
        y = iy;
        line += item.str;
        if (item.hasEOL) flush();
      }
      flush();
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  return out;
}

export interface TextDiff {
  /** Lines of a unified-style diff: "- " archived, "+ " regenerated, "  " context. */
  lines: string[];
  removed: number;
  added: number;
}

/** Line diff of two PDFs' text, with `context` unchanged lines around each change. */
export async function pdfTextDiff(archived: Uint8Array, regenerated: Uint8Array, context = 1): Promise<TextDiff> {
  const a = await pdfLines(archived);
  const b = await pdfLines(regenerated);
  const changes = diffArrays(a, b);
  const lines: string[] = [];
  let removed = 0;
  let added = 0;
  changes.forEach((c, i) => {
    if (c.removed) {
      removed += c.count;
      lines.push(...c.value.map((l) => `- ${l}`));
    } else if (c.added) {
      added += c.count;
      lines.push(...c.value.map((l) => `+ ${l}`));
    } else {
      const v = c.value;
      const head = i > 0 ? v.slice(0, context) : [];
      const tail = i < changes.length - 1 ? v.slice(Math.max(head.length, v.length - context)) : [];
      lines.push(...head.map((l) => `  ${l}`));
      if (head.length + tail.length < v.length && (head.length || tail.length)) lines.push('  …');
      lines.push(...tail.map((l) => `  ${l}`));
    }
  });
  return { lines: removed || added ? lines : [], removed, added };
}
