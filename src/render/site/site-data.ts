// What the site's templates receive: one page per report (its parts as HTML, its
// charts, its tables prepared for accessible markup, its downloads and table of
// contents), one page per unit, and the list of units. Every href in a page's
// data is already relative to that page, so components take them as they are.
// Further pages (e.g. a comparison of two years) add their own list next to
// `reports` and `units` and their own template.

import type { DocumentModel } from '../../derive/document.ts';
import type { DiffPage } from './diff-page.ts';
import { schemaFields, type SchemaField } from '../../schema/open-data.ts';
import type { ReportDownloads, DownloadFile } from '../data/downloads.ts';
import { byCodePoint } from '../../model/order.ts';
import { buildCharts, type BarChart } from './chart.ts';
import { relativeUrl, reportPath, pdfPath, SCHEMA_PAGE, SCHEMA_PATH, unitPath } from './paths.ts';
import { tableView, type HtmlTable } from './table-view.ts';

export { jsonPath, pdfPath, reportPath, SCHEMA_PATH, tableFilePath, unitPath } from './paths.ts';

/** One link of the download-list component. */
export interface DownloadLink {
  text: string;
  href: string;
  format: string;
  /** 12 KB */
  size: string;
  /** Said to screen readers after the text, so that “CSV” names its table. */
  context?: string;
}

export interface DownloadItem {
  title: string;
  links: DownloadLink[];
}

export interface ContentsGroup {
  heading: string;
  items: { href: string; text: string }[];
}

export interface ReportTable extends HtmlTable {
  anchor: string;
  title: string;
  number: number;
  orientation: 'portrait' | 'landscape';
  downloads: DownloadLink[];
}

export interface ReportPage {
  id: string;
  slug: string;
  year: number;
  unit: string;
  department: string;
  title: string;
  /** Site path of the report page, e.g. /shenzhen-big-data-center/2024/ */
  url: string;
  unitUrl: string;
  pdf: { href: string; bytes: number; size: string; sha256: string };
  parts: { anchor: string; label: string; title: string; html: string }[];
  charts: BarChart[];
  tables: ReportTable[];
  downloads: DownloadItem[];
  contents: ContentsGroup[];
  schemaUrl: string;
  /** Pages comparing this year with the year before or after (added by diff-page.ts). */
  compare?: { label: string; url: string }[];
}

export interface UnitEntry {
  slug: string;
  unit: string;
  department: string;
  url: string;
  reports: { year: number; url: string; title: string; pdf: string; size: string }[];
}

export interface SiteData {
  title: string;
  reports: ReportPage[];
  units: UnitEntry[];
  /** Year-over-year comparison pages (added by diff-page.ts). */
  diffs?: DiffPage[];
  openData: { page: string; schema: string; fields: SchemaField[] };
}

export function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function reportPage(doc: DocumentModel, pdf: { bytes: number; sha256: string }, files?: ReportDownloads): ReportPage {
  const r = doc.report;
  const url = reportPath(r.slug, r.year);
  const rel = (to: string) => relativeUrl(url, to);
  const link = (f: DownloadFile, text: string, context?: string): DownloadLink => ({
    text,
    href: rel(f.href),
    format: f.format,
    size: formatSize(f.bytes),
    ...(context ? { context } : {}),
  });
  const pdfHref = pdfPath(r.slug, r.year);
  const charts = buildCharts(doc);
  const tables: ReportTable[] = doc.tables.map((t) => {
    const f = files?.tables.find((x) => x.id === t.id);
    const context = `：表${t.number} ${t.title}`;
    return {
      ...tableView(t),
      anchor: `table-${t.number}`,
      title: t.title,
      number: t.number,
      orientation: t.orientation,
      downloads: f ? [link(f.csv, 'CSV', context), link(f.xlsx, 'Excel', context)] : [],
    };
  });
  const parts = doc.parts.map((p, i) => ({ anchor: `part-${i + 1}`, label: p.label, title: p.title, html: p.html }));
  const downloads: DownloadItem[] = [
    { title: '部门预算正式文本', links: [link({ format: 'PDF', href: pdfHref, bytes: pdf.bytes }, 'PDF')] },
    ...(files ? [{ title: '全部文字与表格（开放数据）', links: [link(files.json, 'JSON', '：全部文字与表格')] }] : []),
    ...tables.filter((t) => t.downloads.length).map((t) => ({ title: `表${t.number} ${t.title}`, links: t.downloads })),
  ];
  const contents: ContentsGroup[] = [
    { heading: '文字部分', items: parts.map((p) => ({ href: `#${p.anchor}`, text: `${p.label} ${p.title}` })) },
    ...(charts.length ? [{ heading: '图解', items: charts.map((c) => ({ href: `#${c.id}`, text: c.title })) }] : []),
    { heading: '表格部分', items: tables.map((t) => ({ href: `#${t.anchor}`, text: `表${t.number} ${t.title}` })) },
    { heading: '下载', items: [{ href: '#downloads', text: 'PDF 与数据下载' }] },
  ];
  return {
    id: r.id,
    slug: r.slug,
    year: r.year,
    unit: r.unit,
    department: r.department,
    title: doc.title,
    url,
    unitUrl: rel(unitPath(r.slug)),
    pdf: { href: rel(pdfHref), bytes: pdf.bytes, size: formatSize(pdf.bytes), sha256: pdf.sha256 },
    parts,
    charts,
    tables,
    downloads,
    contents,
    schemaUrl: rel(SCHEMA_PAGE),
  };
}

export function siteData(pages: ReportPage[]): SiteData {
  const units = new Map<string, UnitEntry>();
  for (const p of [...pages].sort((a, b) => byCodePoint(a.slug, b.slug) || b.year - a.year)) {
    let u = units.get(p.slug);
    if (!u) {
      u = { slug: p.slug, unit: p.unit, department: p.department, url: unitPath(p.slug), reports: [] };
      units.set(p.slug, u);
    }
    u.reports.push({ year: p.year, url: p.url, title: p.title, pdf: pdfPath(p.slug, p.year), size: p.pdf.size });
  }
  return { title: '部门预算公开', reports: pages, units: [...units.values()], openData: { page: SCHEMA_PAGE, schema: SCHEMA_PATH, fields: schemaFields() } };
}
