// The `hierarchy` rule (层级合计): inside one table, every classification row equals
// the sum of the rows directly below it — function codes 类 (3 digits) → 款 (5) →
// 项 (7), economic codes 类 (3) → 款 (5) — in every amount column, and the unit's
// total row (or, for the 收支总表 tables, the item named by `sum`) equals the sum of
// the 类 rows. For item tables (表5) and 表12 the total is the sum of all rows.
// A row listed twice and a row whose parent is missing are reported too.

import { lookup, ReferencePathError } from '../derive/reference.ts';
import { error, type Finding, type SourcePos } from '../errors.ts';
import { formatTable } from '../model/money.ts';
import type { Amount, Report, ValueRow } from '../model/report.ts';
import { columnLabels, rowLabel } from './cells.ts';
import { segmentsText, type Rule } from './rules.ts';
import { allowance, differenceText, partsOf, withinRounding, type Failure, type Outcome } from './tolerance.ts';

interface Row {
  key: string;
  code?: string;
  label: string;
  values: Record<string, Amount>;
  at: ValueRow['at'];
}

export function evaluateHierarchy(report: Report, rule: Rule, ruleName: string): Outcome & { findings: Finding[] } {
  const failures: Failure[] = [];
  const exact: SourcePos[][] = [];
  const tight: SourcePos[][] = [];
  const findings: Finding[] = [];
  const id = rule.def.table!;
  const layout = report.set.layouts.find((l) => l.id === id)!;
  const data = report.tables[id];
  if (!data) return { failures, exact, tight, findings };
  const cols = columnLabels(layout, report);
  const colLabel = (c: string) => (layout.kind === 'statement' ? '' : `${cols.get(c) ?? c} `);

  let rows: Row[];
  let total: { label: string; values: Record<string, Amount> } | null = null;
  let coded = false;
  if (data.kind === 'performance-targets') {
    rows = data.tasks.map((t) => ({ key: t.name.text, label: t.name.text, values: t.values, at: t.at }));
    total = { label: layout.kind === 'performance-targets' ? layout.labels.sum : '合计', values: data.sum };
  } else {
    const list = data.kind === 'grid' ? data.rows : data.expenditure;
    coded = list.some((r) => r.code);
    rows = list.map((r) => ({ key: r.key, label: rowLabel(r, report), values: r.values, at: r.at, ...(r.code ? { code: r.code } : {}) }));
    if (data.kind === 'grid' && data.total) total = { label: '合计', values: data.total.values };
  }
  if (rule.sum) {
    try {
      const v = lookup(report, rule.sum, segmentsText(rule.sum));
      if (v.type === 'amount' && v.at) {
        const item = layout.kind === 'statement' ? layout.footer.flat().find((i) => `${id}.footer.${i.key}` === segmentsText(rule.sum!)) : undefined;
        total = { label: item?.label ?? segmentsText(rule.sum), values: { amount: { cents: v.cents, at: v.at } } };
      }
    } catch (e) {
      if (!(e instanceof ReferencePathError)) throw e;
      // An empty total is listed by the to-fill rule.
    }
  }

  // Rows listed twice.
  const first = new Map<string, Row>();
  for (const row of rows) {
    const prev = first.get(row.key);
    if (prev) {
      findings.push(
        error(
          '重复行',
          rule.def.id,
          `${row.label} 在本表中出现了两次（第 ${prev.at.line} 行已有），请删除重复的一行`,
          row.at,
          `row ${row.key} is listed twice (first at line ${prev.at.line})`,
        ),
      );
    } else first.set(row.key, row);
  }
  const unique = [...first.values()];

  // Parents and children by code.
  const byCode = new Map(unique.filter((r) => r.code).map((r) => [r.code!, r]));
  const parentOf = (code: string) => (code.length > 3 ? code.slice(0, code.length - 2) : null);
  if (coded) {
    for (const row of unique) {
      const p = row.code ? parentOf(row.code) : null;
      if (p && !byCode.has(p)) {
        findings.push(
          error(
            ruleName,
            rule.def.id,
            `${row.label} 的上级科目 ${p} 不在本表中：请补上 ${p} 这一行，或检查编码是否写错`,
            row.at,
            `parent ${p} of ${row.code} is missing`,
          ),
        );
      }
    }
  }
  const compare = (parentLabel: string, parent: Record<string, Amount>, children: Row[], what: string, whatEn: string) => {
    for (const [col, a] of Object.entries(parent)) {
      if (a.cents === null) continue;
      const parts = children.map((c) => c.values[col]);
      if (parts.some((x) => !x || x.cents === null)) continue;
      const sum = parts.reduce((s, x) => s + x!.cents!, 0);
      const diff = a.cents - sum;
      if (diff === 0) exact.push([a.at, ...parts.map((x) => x!.at)]);
      if (allowance(partsOf(1 + parts.length)) === 0) tight.push([a.at, ...parts.map((x) => x!.at)]);
      if (withinRounding(diff, partsOf(1 + parts.length))) continue;
      failures.push({
        rule: ruleName,
        ruleId: rule.def.id,
        message: `${parentLabel} ${colLabel(col)}${formatTable(a.cents)} ≠ ${what} ${formatTable(sum)}（${differenceText(diff)}）`,
        english: `${parentLabel === '合计' ? 'total row' : parentLabel.split(' ')[0]} ${col}: ${formatTable(a.cents)} is not the ${whatEn} ${formatTable(sum)}`,
        cells: [a.at, ...parts.map((x) => x!.at)],
        anchored: true,
      });
    }
  };
  if (coded) {
    for (const row of unique) {
      if (!row.code) continue;
      const children = unique.filter((c) => c.code && parentOf(c.code) === row.code);
      if (children.length) compare(row.label, row.values, children, '下级合计', 'sum of its sub-items');
    }
  }
  if (total) {
    const tops = coded ? unique.filter((r) => r.code && r.code.length === 3) : unique;
    const what = coded ? '各类合计' : data.kind === 'performance-targets' ? '各任务合计' : '各项合计';
    compare(total.label, total.values, tops, what, coded ? 'sum of the 类 rows' : 'sum of the rows');
  }
  return { failures, exact, tight, findings };
}
