// The site's stable addresses: one folder per unit and year, the PDF and data files
// inside it, the open-data schema at the site root. Every link on a page is
// relative, so the site works under any path prefix and straight from disk.

import { posix } from 'node:path';
import type { TableModel } from '../../derive/table-model.ts';

/** Site path of the open-data JSON Schema. */
export const SCHEMA_PATH = '/schema/budget-report.schema.json';
/** Site path of the page documenting the open data. */
export const SCHEMA_PAGE = '/schema/';

export function unitPath(slug: string): string {
  return `/${slug}/`;
}

export function reportPath(slug: string, year: number): string {
  return `/${slug}/${year}/`;
}

export function pdfPath(slug: string, year: number): string {
  return `${reportPath(slug, year)}${slug}-${year}.pdf`;
}

export function jsonPath(slug: string, year: number): string {
  return `${reportPath(slug, year)}${slug}-${year}.json`;
}

/** e.g. /shenzhen-big-data-center/2024/data/shenzhen-big-data-center-2024-02-income-summary.csv */
export function tableFilePath(slug: string, year: number, t: Pick<TableModel, 'number' | 'id'>, ext: 'csv' | 'xlsx'): string {
  return `${reportPath(slug, year)}data/${slug}-${year}-${String(t.number).padStart(2, '0')}-${t.id}.${ext}`;
}

/** Relative link from one site path to another. */
export function relativeUrl(from: string, to: string): string {
  const fromDir = from.endsWith('/') ? from : `${posix.dirname(from)}/`;
  let rel = posix.relative(fromDir, to.endsWith('/') ? `${to}index.html` : to);
  if (!rel) rel = 'index.html';
  if (to.endsWith('/')) rel = rel.replace(/index\.html$/, '') || './';
  return rel;
}
