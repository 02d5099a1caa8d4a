// The derived document: everything a renderer needs, computed once from a report —
// the title, the 9 rendered parts and the 12 table models, in order.

import { error, InputError, type Finding } from '../errors.ts';
import type { Report } from '../model/report.ts';
import { renderPart, type RenderedPart } from './narrative.ts';
import type { LocatedReferenceError, EvalContext } from './reference.ts';
import { buildTableModel, type TableModel } from './table-model.ts';
import { fillTitle } from './titles.ts';

export interface DocumentModel {
  report: Report;
  /** 2024年深圳市大数据资源管理中心部门预算 */
  title: string;
  parts: RenderedPart[];
  tables: TableModel[];
}

/** Builds the document; every reference that cannot be resolved becomes a finding. */
export function buildDocument(report: Report, prior?: Report): DocumentModel {
  const ctx: EvalContext = prior ? { report, prior } : { report };
  const errors: LocatedReferenceError[] = [];
  const parts: RenderedPart[] = report.narrative.map((_, i) => renderPart(report, ctx, i, errors));
  if (errors.length) throw new InputError(errors.map((e): Finding => error('引用', 'reference', e.message, e.at, e.english)));
  const tables = report.set.layouts.map((l) => buildTableModel(report, l));
  return { report, title: fillTitle(report.set.title, report), parts, tables };
}

/** Derives every report of a project; all unresolved references are reported together. */
export function deriveAll(project: { reports: readonly Report[] }): DocumentModel[] {
  const findings: Finding[] = [];
  const docs: DocumentModel[] = [];
  for (const r of project.reports) {
    try {
      docs.push(
        buildDocument(
          r,
          project.reports.find((p) => p.slug === r.slug && p.year === r.year - 1),
        ),
      );
    } catch (e) {
      if (e instanceof InputError) findings.push(...e.findings);
      else throw e;
    }
  }
  if (findings.length) throw new InputError(findings);
  return docs;
}

/**
 * The date a report's files carry (PDF creation date, XLSX properties): its
 * publication date, else SOURCE_DATE_EPOCH, else 1 January of the budget year —
 * never the clock, so rebuilding gives the same bytes.
 */
export function creationDate(report: Report, env: Record<string, string | undefined>): Date {
  if (report.published) return new Date(`${report.published}T00:00:00+08:00`);
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(`${report.year}-01-01T00:00:00+08:00`);
}
