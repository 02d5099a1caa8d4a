// The whole report as open data (JSON): the text with its figures filled in, every
// table, the figures outside the tables and the project budgets. Built from the
// loaded report and the derived document; the format is described by
// src/schema/open-data.ts, which the site also publishes.

import type { DocumentModel } from '../../derive/document.ts';
import { computeHeader } from '../../derive/header.ts';
import { fillTitle } from '../../derive/titles.ts';
import type { Cents } from '../../model/money.ts';
import type { Amount, GridData, PerformanceData, Report, StatementData } from '../../model/report.ts';
import type { TableLayout } from '../../schema/table-set.ts';
import { OPEN_DATA_VERSION, type OpenDataReport, type OpenDataTable } from '../../schema/open-data.ts';
import { columnName } from './csv.ts';

/** Integer hundredths → a JSON number with at most two decimals (68098.25). */
export function amountValue(a: Amount | undefined): number | null {
  const c: Cents | null | undefined = a?.cents;
  return c === null || c === undefined ? null : c / 100;
}

function table(report: Report, layout: TableLayout): OpenDataTable {
  const base = { id: layout.id, number: layout.number, title: fillTitle(layout.title, report) };
  const data = report.tables[layout.id]!;
  const notes = [...data.notes.map((n) => n.text), ...(layout.notes ?? []).map((n) => fillTitle(n, report))];
  if (layout.kind === 'grid') {
    const d = data as GridData;
    const title = (t: string) => fillTitle(t, report);
    const leaves = computeHeader(layout.id, [], layout.columns, title).leaves;
    const row = (r: NonNullable<GridData['total']>, role: 'total' | 'row') => ({
      role,
      key: r.key,
      ...(r.code ? { code: r.code } : {}),
      ...(role === 'total' ? { name: report.unit } : r.name ? { name: r.name } : {}),
      ...(r.label ? { label: title(r.label) } : {}),
      level: r.level,
      values: Object.fromEntries(leaves.map((l) => [l.id, amountValue(r.values[l.id])])),
    });
    return {
      kind: 'grid',
      ...base,
      columns: leaves.map((l) => ({ id: l.id, name: columnName(l.path), path: l.path })),
      rows: [...(d.total ? [row(d.total, 'total')] : []), ...d.rows.map((r) => row(r, 'row'))],
      notes,
    };
  }
  if (layout.kind === 'statement') {
    const d = data as StatementData;
    return {
      kind: 'statement',
      ...base,
      income: layout.income.map((i) => ({ key: i.key, label: i.label, level: i.level ?? 0, amount: amountValue(d.income[i.key]) })),
      expenditure: d.expenditure.map((r) => ({ code: r.code ?? r.key, name: r.name ?? r.key, level: r.level, amount: amountValue(r.values.amount) })),
      footer: layout.footer.flatMap((pair) =>
        pair.map((i, side) => ({
          side: side === 0 ? ('income' as const) : ('expenditure' as const),
          key: i.key,
          label: i.label,
          level: i.level ?? 0,
          amount: amountValue(d.footer[i.key]),
        })),
      ),
      notes,
    };
  }
  const d = data as PerformanceData;
  const money = (v: PerformanceData['sum']) => ({ total: amountValue(v.total), fiscal: amountValue(v.fiscal), other: amountValue(v.other) });
  return {
    kind: 'performance-targets',
    ...base,
    tasks: d.tasks.map((t) => ({ name: t.name.text, content: t.content.text, amounts: money(t.values) })),
    sum: money(d.sum),
    goal: d.goal.text,
    indicators: d.indicators.map((c) => ({
      name: c.name.text,
      groups: c.groups.map((g) => ({ name: g.name.text, indicators: g.indicators.map((i) => ({ name: i.name.text, target: i.target.text })) })),
    })),
    notes,
  };
}

export interface OpenDataLinks {
  /** Path of the schema relative to the JSON file. */
  schema: string;
  /** Path of the PDF relative to the JSON file. */
  pdf: string;
  pdfSha256: string;
}

export function openDataReport(doc: DocumentModel, links: OpenDataLinks): OpenDataReport {
  const r = doc.report;
  return {
    $schema: links.schema,
    formatVersion: OPEN_DATA_VERSION,
    id: r.id,
    unit: r.unit,
    department: r.department,
    year: r.year,
    kind: r.kind,
    title: doc.title,
    currency: '万元',
    tableSet: r.set.id,
    ...(r.published ? { published: r.published } : {}),
    prior: { year: r.prior.year, basis: r.prior.basis },
    pdf: { href: links.pdf, sha256: links.pdfSha256 },
    parts: doc.parts.map((p) => ({
      id: p.id,
      number: p.number,
      label: p.label,
      title: p.title,
      blocks: p.blocks.map((b) =>
        b.type === 'table'
          ? { type: 'table' as const, columns: b.columns, rows: b.rows }
          : b.type === 'heading'
            ? { type: 'heading' as const, level: b.level, text: b.inlines.map((i) => i.text).join('') }
            : { type: 'paragraph' as const, text: b.inlines.map((i) => i.text).join('') },
      ),
    })),
    tables: r.set.layouts.map((l) => table(r, l)),
    figures: r.set.figures.map((def) => {
      const f = r.figures[def.id];
      const value = !f ? null : f.type === 'amount' ? amountValue(f.amount) : f.type === 'count' ? f.count.count : (f.text?.text ?? null);
      return { id: def.id, label: def.label, type: def.type, ...(def.unit ? { unit: def.unit } : {}), value };
    }),
    projects: Object.entries(r.projects).flatMap(([category, items]) =>
      Object.entries(items).map(([name, amount]) => ({ category, name, amount: amountValue(amount) })),
    ),
  };
}

export function openDataJson(data: OpenDataReport): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
