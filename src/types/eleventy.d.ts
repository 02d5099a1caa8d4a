// Eleventy ships no type definitions; this covers the programmatic API the build uses.
declare module '@11ty/eleventy' {
  export default class Eleventy {
    constructor(
      input?: string,
      output?: string,
      options?: { configPath?: string; quietMode?: boolean; config?: (cfg: unknown) => void; runMode?: string },
      eleventyConfig?: unknown,
    );
    write(): Promise<unknown>;
    watch(): Promise<unknown>;
    serve(port?: number): Promise<unknown>;
    close(): Promise<void>;
  }
}
