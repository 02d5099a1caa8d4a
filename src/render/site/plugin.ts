// Eleventy plugin of the disclosure site: the site data, and the filters the
// templates use. The site data is handed over by the build (which has already
// validated and derived every report); .eleventy.js only wires this plugin.

import { posix } from 'node:path';
import type { SiteData } from './site-data.ts';

let current: SiteData | null = null;

/** Called by the build before Eleventy runs. */
export function setSiteData(data: SiteData): void {
  current = data;
}

/** Relative link from one site path to another, so the site works under any prefix and from disk. */
export function relativeUrl(from: string, to: string): string {
  const fromDir = from.endsWith('/') ? from : posix.dirname(from) + '/';
  let rel = posix.relative(fromDir, to.endsWith('/') ? to + 'index.html' : to);
  if (!rel) rel = 'index.html';
  if (to.endsWith('/')) rel = rel.replace(/index\.html$/, '') || './';
  return rel;
}

interface EleventyConfig {
  addGlobalData(name: string, value: unknown): void;
  addFilter(name: string, fn: (...args: never[]) => unknown): void;
  addPassthroughCopy(map: Record<string, string>): void;
  setNunjucksEnvironmentOptions?(o: Record<string, unknown>): void;
}

export default function sitePlugin(eleventyConfig: EleventyConfig): void {
  eleventyConfig.addGlobalData('site', () => {
    if (!current) throw new Error('站点数据尚未准备：请用 npm run build 构建（它先校验全部报告再生成站点）');
    return current;
  });
  eleventyConfig.addFilter('rel', (to: string, from: string) => relativeUrl(from, to));
  eleventyConfig.addFilter('attrs', (attrs: Record<string, string | number>) =>
    Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
      .join(''),
  );
  eleventyConfig.addFilter('kb', (bytes: number) => `${Math.round(bytes / 1024)} KB`);
  eleventyConfig.addPassthroughCopy({ 'templates/assets': 'assets' });
}
