// What the site's templates receive: one page per report (its parts as HTML, its
// tables prepared for accessible markup, its downloads) and the list of units.

import type { DocumentModel } from '../../derive/document.ts';
import type { DiffPage } from './diff-page.ts';
import { tableView, type HtmlTable } from './table-view.ts';

export interface Download {
  label: string;
  href: string;
  bytes?: number;
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
  pdf: Download & { sha256: string };
  parts: { anchor: string; label: string; title: string; html: string }[];
  tables: (HtmlTable & { anchor: string; title: string; number: number })[];
  /** Pages comparing this year with the year before or after (added by diff-page.ts). */
  compare?: { label: string; url: string }[];
}

export interface UnitEntry {
  slug: string;
  unit: string;
  department: string;
  reports: { year: number; url: string; title: string }[];
}

export interface SiteData {
  title: string;
  reports: ReportPage[];
  units: UnitEntry[];
  /** Year-over-year comparison pages (added by diff-page.ts). */
  diffs?: DiffPage[];
}

export function reportPath(slug: string, year: number): string {
  return `/${slug}/${year}/`;
}

export function pdfPath(slug: string, year: number): string {
  return `${reportPath(slug, year)}${slug}-${year}.pdf`;
}

export function reportPage(doc: DocumentModel, pdf: { bytes: number; sha256: string }): ReportPage {
  const r = doc.report;
  return {
    id: r.id,
    slug: r.slug,
    year: r.year,
    unit: r.unit,
    department: r.department,
    title: doc.title,
    url: reportPath(r.slug, r.year),
    pdf: { label: `${doc.title}（PDF）`, href: pdfPath(r.slug, r.year), bytes: pdf.bytes, sha256: pdf.sha256 },
    parts: doc.parts.map((p, i) => ({ anchor: `part-${i + 1}`, label: p.label, title: p.title, html: p.html })),
    tables: doc.tables.map((t) => ({ ...tableView(t), anchor: `table-${t.number}`, title: t.title, number: t.number })),
  };
}

export function siteData(pages: ReportPage[]): SiteData {
  const units = new Map<string, UnitEntry>();
  for (const p of [...pages].sort((a, b) => a.slug.localeCompare(b.slug) || b.year - a.year)) {
    let u = units.get(p.slug);
    if (!u) {
      u = { slug: p.slug, unit: p.unit, department: p.department, reports: [] };
      units.set(p.slug, u);
    }
    u.reports.push({ year: p.year, url: p.url, title: p.title });
  }
  return { title: '部门预算公开', reports: pages, units: [...units.values()] };
}
