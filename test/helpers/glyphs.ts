// Reads the text-showing operators of a PDF back with pdfjs-dist: every run of glyphs
// with the position, size and character spacing (Tc) it is drawn with — the spacing
// between glyphs as the file sets it, which text extraction hides.

import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface GlyphRun {
  /** 1-based page number. */
  page: number;
  /** Origin of the run (text matrix), in points. */
  x: number;
  y: number;
  size: number;
  /** Space added after every glyph (Tc), in points. */
  spacing: number;
  text: string;
}

export async function glyphRuns(bytes: Uint8Array): Promise<GlyphRun[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const runs: GlyphRun[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const ops = await page.getOperatorList();
    // Tc belongs to the graphics state: saved and restored with it.
    const stack: number[] = [];
    let spacing = 0;
    let size = 0;
    let x = 0;
    let y = 0;
    for (let i = 0; i < ops.fnArray.length; i++) {
      const fn = ops.fnArray[i];
      const args = ops.argsArray[i] as unknown[];
      if (fn === OPS.save) stack.push(spacing);
      else if (fn === OPS.restore) spacing = stack.pop() ?? 0;
      else if (fn === OPS.setCharSpacing) spacing = args[0] as number;
      else if (fn === OPS.setFont) size = args[1] as number;
      else if (fn === OPS.setTextMatrix) {
        const m = args[0] as Record<number, number>;
        x = m[4]!;
        y = m[5]!;
      } else if (fn === OPS.showText) {
        const glyphs = args[0] as ({ unicode?: string } | number | null)[];
        const text = glyphs.map((g) => (g && typeof g === 'object' ? (g.unicode ?? '') : '')).join('');
        runs.push({ page: n, x, y, size, spacing, text });
      }
    }
  }
  await doc.destroy();
  return runs;
}
