// Evaluates the `columns` and `across` rules: an equation (or inequality) between
// sums of cells, for every row a [*] selects and every column a .* selects. Values
// are looked up with the narrative's own lookup, so a rule and a sentence read the
// same number from the same place. A row that a table does not list counts as 0 —
// that is how a classification with no money is published — and the message says so.

import { findRow, listRows, lookup, ReferencePathError, type Segment } from '../derive/reference.ts';
import type { SourcePos } from '../errors.ts';
import { formatTable } from '../model/money.ts';
import type { Report, TableData } from '../model/report.ts';
import { posKey, tableName, type Cell } from './cells.ts';
import type { Term } from './expression.ts';
import { columnIds, segmentsText, type Rule } from './rules.ts';
import { allowance, differenceText, partsOf, withinRounding, type Failure, type Outcome } from './tolerance.ts';

interface Resolved {
  term: Term;
  path: string;
  /** null when the cell is not filled in (the instance is skipped). */
  value: number | null;
  kind: 'amount' | 'count';
  at?: SourcePos;
  /** The table does not list the row: counts as 0. */
  missingRow?: { table: string; row: string };
  /** Where the row selected by [*] starts (its code or name). */
  rowAt?: SourcePos;
  cell?: Cell;
}

/** Rows of a table (key, and name), the unit total row excluded. */
function rowKeys(table: TableData): { key: string; name?: string }[] {
  if (table.kind === 'performance-targets') return table.tasks.map((t) => ({ key: t.name.text }));
  return listRows(table).map((r) => (r.name ? { key: r.key, name: r.name } : { key: r.key }));
}

function hasRow(table: TableData, key: string): boolean {
  return rowPosition(table, key) !== null;
}

function rowPosition(table: TableData, key: string): SourcePos | null {
  if (table.kind === 'performance-targets') return table.tasks.find((t) => t.name.text === key)?.at ?? null;
  return findRow(listRows(table), key)?.at ?? null;
}

function totalSegment(table: TableData): Segment | null {
  if (table.kind === 'grid') return table.total ? { kind: 'key', name: 'total' } : null;
  if (table.kind === 'performance-targets') return { kind: 'key', name: 'sum' };
  return null;
}

function tableOf(term: Term): string {
  const s = term.segments[0];
  return s?.kind === 'key' ? s.name : '';
}

export class RuleError extends Error {
  constructor(
    message: string,
    readonly english: string,
  ) {
    super(message);
  }
}

/** Evaluates one rule on a report. Throws RuleError when the rule cannot apply. */
export function evaluateIdentity(report: Report, rule: Rule, cells: Map<string, Cell>, ruleName: string): Outcome {
  const expr = rule.expr!;
  const terms = [...expr.left, ...expr.right];
  const rowTables = [...new Set(terms.filter((t) => t.eachRow).map(tableOf))];
  const except = new Set(rule.def.except ?? []);

  // Rows: the union over every table named with [*], in order of appearance.
  type RowBinding = { key: string; total: boolean };
  const rows: RowBinding[] = [];
  if (rowTables.length) {
    const seen = new Set<string>();
    for (const id of rowTables) {
      const table = report.tables[id];
      if (!table) continue;
      for (const { key, name } of rowKeys(table)) {
        if (seen.has(key) || except.has(key) || (name !== undefined && except.has(name))) continue;
        seen.add(key);
        rows.push({ key, total: false });
      }
    }
    if (rule.def.total) rows.unshift({ key: 'total', total: true });
  } else rows.push({ key: '', total: false });

  // Columns: those of the first table whose term ends in .*.
  const colTerm = terms.find((t) => t.eachColumn);
  let columns: (string | null)[] = [null];
  if (colTerm) {
    const layout = report.set.layouts.find((l) => l.id === tableOf(colTerm));
    columns = layout ? columnIds(layout) : [];
  }

  const failures: Failure[] = [];
  const exact: SourcePos[][] = [];
  const tight: SourcePos[][] = [];
  for (const row of rows) {
    for (const column of columns) {
      const resolved = terms.map((t) => resolve(report, t, row, column, cells));
      if (resolved.some((r) => r.value === null)) continue;
      const kinds = new Set(resolved.map((r) => r.kind));
      if (kinds.size > 1) throw new RuleError(`规则把金额与数量相加：${expr.text}`, 'amounts and counts mixed');
      const sum = (side: Term[]) => resolved.filter((r) => side.includes(r.term)).reduce((s, r) => s + r.term.sign * r.value!, 0);
      const left = sum(expr.left);
      const right = sum(expr.right);
      const diff = left - right;
      const parts = kinds.has('count') ? 0 : partsOf(resolved.length);
      if (expr.op === '=' && allowance(parts) === 0) tight.push(resolved.filter((r) => r.at).map((r) => r.at!));
      const ok = expr.op === '=' ? (parts ? withinRounding(diff, parts) : diff === 0) : expr.op === '<=' ? 2 * diff <= parts : -2 * diff <= parts;
      if (ok) {
        if (diff === 0) exact.push(resolved.filter((r) => r.at).map((r) => r.at!));
        continue;
      }
      failures.push(describe(report, rule, ruleName, resolved, left, right, diff, kinds.has('count')));
    }
  }
  return { failures, exact, tight };
}

function resolve(report: Report, term: Term, row: { key: string; total: boolean }, column: string | null, cells: Map<string, Cell>): Resolved {
  const table = tableOf(term);
  const data = report.tables[table];
  let segments: Segment[] = [...term.segments];
  if (term.eachRow) {
    if (!data) throw new RuleError(`报告中没有表 ${table}`, 'table missing');
    if (row.total) {
      const seg = totalSegment(data);
      if (!seg) throw new RuleError(`表 ${table} 没有合计行，规则不能用 total: true`, 'table has no total row');
      segments[1] = seg;
    } else {
      if (!hasRow(data, row.key)) return { term, path: segmentsText(segments), value: 0, kind: 'amount', missingRow: { table, row: row.key } };
      segments[1] = { kind: 'index', key: row.key };
    }
  } else if (segments[1]?.kind === 'index' && data && !hasRow(data, segments[1].key)) {
    return { term, path: segmentsText(segments), value: 0, kind: 'amount', missingRow: { table, row: segments[1].key } };
  }
  if (term.eachColumn && column !== null) segments = [...segments, { kind: 'key', name: column }];
  const path = segmentsText(segments);
  const rowAt = term.eachRow && !row.total && data ? rowPosition(data, row.key) : null;
  const where = (at: SourcePos | undefined) => ({ ...(at ? { at, cell: cells.get(posKey(at)) } : {}), ...(rowAt ? { rowAt } : {}) });
  try {
    const v = lookup(report, segments, path);
    if (v.type === 'amount') return { term, path, value: v.cents, kind: 'amount', ...where(v.at) };
    if (v.type === 'count') return { term, path, value: v.n, kind: 'count', ...where(v.at) };
    throw new RuleError(`“${path}” 不是金额或数量`, 'not an amount');
  } catch (e) {
    if (e instanceof ReferencePathError) {
      if (e.english === 'referenced amount is empty' || e.english === 'referenced count is empty') return { term, path, value: null, kind: 'amount' };
      throw new RuleError(e.message, e.english);
    }
    throw e;
  }
}

function describe(report: Report, rule: Rule, ruleName: string, resolved: Resolved[], left: number, right: number, diff: number, counts: boolean): Failure {
  const expr = rule.expr!;
  const fmt = (v: number) => (counts ? String(v) : formatTable(v));
  const present = resolved.filter((r) => r.cell);
  const same = <K extends keyof Cell>(k: K) => present.length > 0 && present.every((r) => r.cell![k] === present[0]!.cell![k]);
  const sameTable = same('table') && resolved.every((r) => !r.missingRow || r.missingRow.table === present[0]!.cell!.table);
  const sameRowToo = sameTable && same('row') && resolved.every((r) => !r.missingRow);
  const layoutOf = (id: string) => report.set.layouts.find((l) => l.id === id);
  const labelOf = (r: Resolved): string => {
    if (r.missingRow) {
      const l = layoutOf(r.missingRow.table);
      return `${sameTable ? '' : `${l ? tableName(l) : r.missingRow.table} `}${r.missingRow.row}（该表无此行，按 0 计）`;
    }
    const c = r.cell;
    if (!c) return r.path;
    if (!c.table) return c.label.replace(/^report\.yaml (figures )?/, '');
    if (sameRowToo) return c.column || c.row || c.label;
    if (sameTable) return [c.row, c.column].filter(Boolean).join(' ');
    return c.label;
  };
  const sideText = (side: Term[]): string => {
    const rs = resolved.filter((r) => side.includes(r.term));
    // A row missing from a table is said once, not once per column.
    const once = rs.filter(
      (r, i) => !r.missingRow || rs.findIndex((x) => x.missingRow?.table === r.missingRow!.table && x.missingRow.row === r.missingRow!.row) === i,
    );
    const shown = once.length > 4 ? once.filter((r) => r.value !== 0) : once;
    const text = shown.map((r, i) => `${i === 0 ? (r.term.sign < 0 ? '− ' : '') : r.term.sign < 0 ? ' − ' : ' + '}${labelOf(r)}`).join('');
    return shown.length < once.length ? `${text || '各项'} 等 ${once.length} 项之和` : text;
  };
  let prefix = '';
  if (sameRowToo && present[0]!.cell!.table) {
    const c = present[0]!.cell!;
    prefix = `${c.row ?? ''}：`;
  }
  const l = sideText(expr.left);
  const r = sideText(expr.right);
  const relation = expr.op === '=' ? '≠' : expr.op === '<=' ? '大于' : '小于';
  const tail = counts ? `（差 ${Math.abs(diff)}）` : `（${differenceText(diff)}）`;
  const message = `${prefix}${l} ${fmt(left)} ${relation} ${r} ${fmt(right)}${tail}`;
  const enRel = expr.op === '=' ? 'should equal' : expr.op === '<=' ? 'should not exceed' : 'should not be less than';
  const english = `rule ${rule.def.id}: ${fmt(left)} ${enRel} ${fmt(right)}, difference ${fmt(Math.abs(diff))}`;
  // The left side's cells come first: the figure the rule is about. When a row has
  // no counterpart in another table, the row itself (its code or name) is the point.
  const ordered = [...resolved.filter((x) => expr.left.includes(x.term)), ...resolved.filter((x) => !expr.left.includes(x.term))];
  const unmatched = resolved.some((x) => x.missingRow);
  const rowCells = ordered.filter((x) => x.rowAt).map((x) => x.rowAt!);
  const valueCells = ordered.filter((x) => x.at).map((x) => x.at!);
  // Never without a place: a row the other table lacks falls back to the values.
  const cellsAt = unmatched && rowCells.length ? rowCells : valueCells;
  return { rule: ruleName, ruleId: rule.def.id, message, english, cells: cellsAt };
}
