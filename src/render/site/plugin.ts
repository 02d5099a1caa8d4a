// Eleventy plugin of the disclosure site: the site data, and the filters the
// templates use. The site data is handed over by the build (which has already
// validated and derived every report); .eleventy.js only wires this plugin.
// The filters are exported so the component examples render with the same ones.

import { formatSize, type SiteData } from './site-data.ts';
import { relativeUrl } from './paths.ts';

export { relativeUrl } from './paths.ts';

let current: SiteData | null = null;

/** Called by the build before Eleventy runs. */
export function setSiteData(data: SiteData): void {
  current = data;
}

function escapeAttr(v: string | number): string {
  return String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The filters of the site's templates, by name. `attrs` returns markup: use it with `| safe`. */
export const siteFilters = {
  /** Relative link from the page at `from` to the site path `to`. */
  rel: (to: string, from: string) => relativeUrl(from, to),
  /** ` a="1" b="x"` from an object of attributes, values escaped. */
  attrs: (attrs: Record<string, string | number> | undefined) =>
    Object.entries(attrs ?? {})
      .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
      .join(''),
  kb: (bytes: number) => formatSize(bytes),
  /**
   * Text escaped for HTML with a <wbr> between its words (Intl.Segmenter), for cells
   * whose lines break only there (word-break: keep-all): 一般公共/预算拨款, never 基本支/出.
   */
  words: (text: string) => Array.from(wordSegmenter.segment(String(text ?? '')), (w) => escapeText(w.segment)).join('<wbr>'),
};

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function escapeText(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface EleventyConfig {
  addGlobalData(name: string, value: unknown): void;
  addFilter(name: string, fn: (...args: never[]) => unknown): void;
  addPassthroughCopy(map: Record<string, string>): void;
  setUseTemplateCache(use: boolean): void;
}

export default function sitePlugin(eleventyConfig: EleventyConfig): void {
  eleventyConfig.addGlobalData('site', () => {
    if (!current) throw new Error('站点数据尚未准备：请用 npm run build 构建（它先校验全部报告再生成站点）');
    return current;
  });
  for (const [name, fn] of Object.entries(siteFilters)) eleventyConfig.addFilter(name, fn as (...args: never[]) => unknown);
  eleventyConfig.addPassthroughCopy({ 'templates/assets': 'assets' });
  // Eleventy keeps template files in a process-wide cache; the preview (npm run serve)
  // builds many times in one process and must see edited templates.
  eleventyConfig.setUseTemplateCache(false);
}
