// The values of a report still left empty (待填写): after `new-year` this is every
// amount of the new year; publishing refuses a report that still has any.

import type { SourcePos } from '../errors.ts';
import type { Amount, Report, ValueRow } from '../model/report.ts';
import { leafColumns } from '../schema/report.ts';

export interface PendingValue {
  /** 表3 支出总表 · 201 一般公共服务支出 · 基本支出 */
  label: string;
  at: SourcePos;
}

export function pendingAmounts(report: Report): PendingValue[] {
  const out: PendingValue[] = [];
  const add = (a: Amount | undefined, label: string) => {
    if (a && a.cents === null) out.push({ label, at: a.at });
  };
  for (const def of report.set.figures) {
    const f = report.figures[def.id];
    if (!f) continue;
    const empty = f.type === 'amount' ? f.amount.cents === null : f.type === 'count' ? f.count.count === null : f.text === null;
    if (empty) out.push({ label: `report.yaml figures · ${def.label}`, at: f.type === 'amount' ? f.amount.at : f.type === 'count' ? f.count.at : f.at });
  }
  for (const [cat, items] of Object.entries(report.projects)) {
    for (const [name, a] of Object.entries(items)) add(a, `report.yaml projects · ${cat} · ${name}`);
  }
  for (const layout of report.set.layouts) {
    const data = report.tables[layout.id];
    if (!data) continue;
    const table = `表${layout.number} ${layout.title}`;
    const rowLabel = (r: ValueRow) => (r.key === 'total' ? '合计' : [r.code, r.name ?? r.label ?? r.key].filter(Boolean).join(' '));
    if (data.kind === 'grid') {
      const titles = new Map(leafColumns(layout.kind === 'grid' ? layout.columns : []).map((c) => [c.id!, c.title]));
      for (const r of [...(data.total ? [data.total] : []), ...data.rows]) {
        for (const [col, a] of Object.entries(r.values)) add(a, `${table} · ${rowLabel(r)} · ${titles.get(col) ?? col}`);
      }
    } else if (data.kind === 'statement') {
      for (const [k, a] of Object.entries(data.income)) add(a, `${table} · 收入 · ${k}`);
      for (const r of data.expenditure) add(r.values.amount, `${table} · 支出 · ${rowLabel(r)}`);
      for (const [k, a] of Object.entries(data.footer)) add(a, `${table} · ${k}`);
    } else {
      for (const t of data.tasks) for (const [k, a] of Object.entries(t.values)) add(a, `${table} · ${t.name.text} · ${k}`);
      for (const [k, a] of Object.entries(data.sum)) add(a, `${table} · 金额合计 · ${k}`);
    }
  }
  return out;
}
