// Minimal typing of the parts of fontkit used for measuring text.
declare module 'fontkit' {
  export interface Glyph {
    advanceWidth: number;
  }
  export interface GlyphRun {
    advanceWidth: number;
    glyphs: Glyph[];
  }
  export interface Font {
    unitsPerEm: number;
    ascent: number;
    descent: number;
    lineGap: number;
    postscriptName: string;
    layout(text: string): GlyphRun;
    hasGlyphForCodePoint(cp: number): boolean;
  }
  export function openSync(path: string, postscriptName?: string): Font;
  /** A font from its bytes; for a collection (.ttc) without a name, the collection. */
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
  const fontkit: { openSync: typeof openSync; create: typeof create };
  export default fontkit;
}
