// The comparison of two reports — usually one unit's consecutive years: every table
// (rows added, removed, changed, and the totals), the figures and 二级项目 of
// report.yaml, and the narrative part by part on the rendered text, word by word.

import { buildDocument, type DocumentModel } from '../derive/document.ts';
import { renderPart, type DocBlock, type RenderedPart } from '../derive/narrative.ts';
import type { LocatedReferenceError, EvalContext } from '../derive/reference.ts';
import { buildTableModel, type TableModel } from '../derive/table-model.ts';
import { fillTitle } from '../derive/titles.ts';
import { formatText } from '../model/money.ts';
import type { FigureValue, Report } from '../model/report.ts';
import { diffRows, diffTable, tableChanged, type RowDiff, type TableDiff } from './tables.ts';
import { paragraphDiff, realChanges, yearShifts, type Paragraph } from './words.ts';

/** One report as compared: its data, rendered parts and table models. */
export interface DiffSide {
  report: Report;
  title: string;
  parts: RenderedPart[];
  tables: TableModel[];
  /** References that could not be evaluated (amounts still empty): shown as written. */
  unresolved: number;
}

export function sideFromDocument(doc: DocumentModel): DiffSide {
  return { report: doc.report, title: doc.title, parts: doc.parts, tables: doc.tables, unresolved: 0 };
}

/**
 * Renders a report for comparison even when it is not finished: a reference to an
 * amount not filled in yet leaves its text as written instead of failing.
 */
export function sideOf(report: Report, prior?: Report): DiffSide {
  try {
    return sideFromDocument(buildDocument(report, prior));
  } catch {
    const ctx: EvalContext = prior ? { report, prior } : { report };
    const errors: LocatedReferenceError[] = [];
    const parts = report.narrative.map((_, i) => renderPart(report, ctx, i, errors));
    const tables = report.set.layouts.map((l) => buildTableModel(report, l));
    return { report, title: fillTitle(report.set.title, report), parts, tables, unresolved: errors.length };
  }
}

export interface PartDiff {
  id: string;
  label: string;
  title: string;
  paragraphs: Paragraph[];
  /** Changes beyond the year moving forward. */
  changes: number;
  yearShifts: number;
}

export interface FigureChange {
  id: string;
  label: string;
  before: string | null;
  after: string | null;
}

export interface ReportDiff {
  a: { slug: string; unit: string; year: number; title: string; unresolved: number };
  b: { slug: string; unit: string; year: number; title: string; unresolved: number };
  tables: TableDiff[];
  figures: FigureChange[];
  projects: RowDiff[];
  parts: PartDiff[];
}

/** The rendered text of a part as paragraphs: headings, paragraphs, table rows. */
export function partParagraphs(part: RenderedPart): string[] {
  const text = (b: DocBlock): string[] => {
    if (b.type === 'table') return [b.columns.join(' | '), ...b.rows.map((r) => r.join(' | '))];
    return [b.inlines.map((i) => i.text).join('')];
  };
  return part.blocks.flatMap(text);
}

function figureText(f: FigureValue | undefined, unit?: string): string | null {
  if (!f) return null;
  if (f.type === 'amount') return f.amount.cents === null ? null : `${formatText(f.amount.cents)}万元`;
  if (f.type === 'count') return f.count.count === null ? null : `${f.count.count}${unit ?? ''}`;
  return f.text?.text ?? null;
}

function projectRows(r: Report) {
  return Object.entries(r.projects).flatMap(([cat, items]) =>
    Object.entries(items).map(([name, a]) => ({ key: `${cat}/${name}`, name: `${cat} · ${name}`, values: { amount: a } })),
  );
}

export function diffReports(a: DiffSide, b: DiffSide): ReportDiff {
  const shift = b.report.year - a.report.year;
  const tables = b.report.set.layouts
    .filter((l) => a.report.tables[l.id] && b.report.tables[l.id])
    .map((l) =>
      diffTable(l, { report: a.report, model: a.tables.find((t) => t.id === l.id)! }, { report: b.report, model: b.tables.find((t) => t.id === l.id)! }),
    );

  const figures: FigureChange[] = [];
  for (const def of b.report.set.figures) {
    const before = figureText(a.report.figures[def.id], def.unit);
    const after = figureText(b.report.figures[def.id], def.unit);
    if (before !== after) figures.push({ id: def.id, label: def.label, before, after });
  }
  const projects = diffRows(projectRows(a.report), projectRows(b.report), [{ id: 'amount', label: '金额' }], false);

  const parts: PartDiff[] = b.parts.map((pb) => {
    const pa = a.parts.find((p) => p.id === pb.id);
    const paragraphs = paragraphDiff(pa ? partParagraphs(pa) : [], partParagraphs(pb), shift);
    return { id: pb.id, label: pb.label, title: pb.title, paragraphs, changes: realChanges(paragraphs).length, yearShifts: yearShifts(paragraphs) };
  });

  const side = (s: DiffSide) => ({ slug: s.report.slug, unit: s.report.unit, year: s.report.year, title: s.title, unresolved: s.unresolved });
  return { a: side(a), b: side(b), tables, figures, projects, parts };
}

/** True when the two reports differ in anything but the year moving forward. */
export function hasChanges(d: ReportDiff): boolean {
  return d.tables.some(tableChanged) || d.figures.length > 0 || d.projects.length > 0 || d.parts.some((p) => p.changes > 0);
}
