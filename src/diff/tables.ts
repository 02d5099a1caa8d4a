// Compares the tables of two reports. Rows are matched by classification code, by
// item name where rows have no code, and by their fixed key in fixed tables (表9);
// a row only in the later year is added, only in the earlier one removed. Amounts
// stay integer hundredths throughout; differences and percentages are computed by
// the money module, as the narrative computes them.

import type { LeafColumn } from '../derive/header.ts';
import type { TableModel } from '../derive/table-model.ts';
import type { Cents } from '../model/money.ts';
import { byCodePoint } from '../model/order.ts';
import type { Amount, PerformanceData, Report, TableData, ValueRow } from '../model/report.ts';
import type { TableLayout } from '../schema/table-set.ts';
import { wordDiff, type Piece } from './words.ts';

export interface CellChange {
  /** Column id of the layout (or item key of a statement). */
  column: string;
  /** 总计·一般公共预算 */
  label: string;
  before: Cents | null;
  after: Cents | null;
}

export interface RowDiff {
  key: string;
  code?: string;
  name: string;
  /** The name the row had before, when the same code now has another name. */
  nameBefore?: string;
  status: 'added' | 'removed' | 'changed';
  /** Changed rows: only the changed columns. Added and removed rows: every column. */
  cells: CellChange[];
}

export interface TextChange {
  label: string;
  status: 'added' | 'removed' | 'changed';
  before: string;
  after: string;
  pieces: Piece[];
}

export interface TableDiff {
  id: string;
  number: number;
  title: string;
  /** The table's total row (合计, 收支总计, 金额合计) in every column, changed or not. */
  total: { label: string; cells: CellChange[] } | null;
  rows: RowDiff[];
  /** Text cells that changed (表12: tasks' content, the goal, indicator targets). */
  texts: TextChange[];
}

interface Row {
  key: string;
  code?: string;
  name: string;
  values: Record<string, Amount>;
}

const same = (a: Cents | null, b: Cents | null) => a === b;

function cellsOf(row: Row | undefined, columns: readonly { id: string; label: string }[], other?: Row): CellChange[] {
  return columns.map((c) => ({
    column: c.id,
    label: c.label,
    before: other ? (other.values[c.id]?.cents ?? null) : null,
    after: row ? (row.values[c.id]?.cents ?? null) : null,
  }));
}

/** Matches rows of two years by key and lists what was added, removed or changed. */
export function diffRows(before: readonly Row[], after: readonly Row[], columns: readonly { id: string; label: string }[], byCode: boolean): RowDiff[] {
  const old = new Map(before.map((r) => [r.key, r]));
  const now = new Set(after.map((r) => r.key));
  const out: RowDiff[] = [];
  for (const r of after) {
    const o = old.get(r.key);
    const base = { key: r.key, name: r.name, ...(r.code ? { code: r.code } : {}) };
    if (!o) {
      out.push({ ...base, status: 'added', cells: cellsOf(r, columns) });
      continue;
    }
    const cells = cellsOf(r, columns, o).filter((c) => !same(c.before, c.after));
    const renamed = o.name !== r.name;
    if (cells.length || renamed) out.push({ ...base, ...(renamed ? { nameBefore: o.name } : {}), status: 'changed', cells });
  }
  for (const o of before) {
    if (now.has(o.key)) continue;
    const cells = columns.map((c) => ({ column: c.id, label: c.label, before: o.values[c.id]?.cents ?? null, after: null }));
    out.push({ key: o.key, name: o.name, ...(o.code ? { code: o.code } : {}), status: 'removed', cells });
  }
  // Classified rows read best in code order (类 before its 款 and 项).
  if (byCode) out.sort((x, y) => byCodePoint(x.code ?? x.key, y.code ?? y.key));
  return out;
}

/**
 * Column labels from the header's title paths (总计·一般公共预算), without the
 * group every column shares (表5's “2025年预算”), which would only repeat the year.
 */
function valueColumns(model: TableModel): { id: string; label: string }[] {
  const leaves: LeafColumn[] = model.header.leaves.filter((l) => !l.stub && l.type === 'amount');
  let common = 0;
  while (leaves.length > 1 && leaves.every((l) => l.path.length > common + 1 && l.path[common] === leaves[0]!.path[common])) common++;
  return leaves.map((l) => ({ id: l.id, label: l.path.slice(common).join('·') }));
}

function gridRows(rows: readonly ValueRow[]): Row[] {
  return rows.map((r) => ({ key: r.key, ...(r.code ? { code: r.code } : {}), name: r.name ?? r.label ?? r.key, values: r.values }));
}

function textChange(label: string, before: string | undefined, after: string | undefined): TextChange | null {
  if (before === after) return null;
  const b = before ?? '';
  const a = after ?? '';
  return { label, status: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed', before: b, after: a, pieces: wordDiff(b, a) };
}

function performanceTexts(a: PerformanceData, b: PerformanceData): TextChange[] {
  const out: (TextChange | null)[] = [];
  out.push(textChange('年度总体目标', a.goal.text, b.goal.text));
  const contentA = new Map(a.tasks.map((t) => [t.name.text, t.content.text]));
  const contentB = new Map(b.tasks.map((t) => [t.name.text, t.content.text]));
  for (const name of new Set([...contentB.keys(), ...contentA.keys()])) out.push(textChange(`任务 ${name} · 主要内容`, contentA.get(name), contentB.get(name)));
  const targets = (d: PerformanceData) => {
    const m = new Map<string, string>();
    for (const c of d.indicators) for (const g of c.groups) for (const i of g.indicators) m.set(`${c.name.text}·${g.name.text}·${i.name.text}`, i.target.text);
    return m;
  };
  const ta = targets(a);
  const tb = targets(b);
  for (const k of new Set([...tb.keys(), ...ta.keys()])) out.push(textChange(`指标 ${k}`, ta.get(k), tb.get(k)));
  return out.filter((t): t is TextChange => t !== null);
}

/** Compares one table of two reports (same layout id). */
export function diffTable(layout: TableLayout, a: { report: Report; model: TableModel }, b: { report: Report; model: TableModel }): TableDiff {
  const da = a.report.tables[layout.id] as TableData;
  const db = b.report.tables[layout.id] as TableData;
  const base = { id: layout.id, number: layout.number, title: layout.title };
  if (da.kind === 'grid' && db.kind === 'grid' && layout.kind === 'grid') {
    const columns = valueColumns(b.model);
    const labelOf = (row: ValueRow) => b.model.body.find((r) => r.key === row.key)?.cells.find((c) => c.isHeader)?.text ?? row.label ?? row.key;
    const titled = (rows: readonly ValueRow[]) => rows.map((r) => ({ ...r, label: layout.rows.kind === 'fixed' ? labelOf(r) : r.label }));
    const rows = diffRows(
      gridRows(titled(da.rows)),
      gridRows(titled(db.rows)),
      columns,
      layout.rows.kind === 'function-codes' || layout.rows.kind === 'economic-codes',
    );
    const total = db.total
      ? {
          label: '合计',
          cells: cellsOf(
            { key: 'total', name: '合计', values: db.total.values },
            columns,
            da.total ? { key: 'total', name: '合计', values: da.total.values } : undefined,
          ),
        }
      : null;
    return { ...base, total, rows, texts: [] };
  }
  if (da.kind === 'statement' && db.kind === 'statement' && layout.kind === 'statement') {
    const income = layout.income.map((i) => ({ id: i.key, label: i.label }));
    const amount = [{ id: 'amount', label: '金额' }];
    const incomeRow = (d: typeof da) => income.map((i) => ({ key: `income:${i.id}`, name: `收入 · ${i.label}`, values: { amount: d.income[i.id]! } }));
    const rows = [...diffRows(incomeRow(da), incomeRow(db), amount, false), ...diffRows(gridRows(da.expenditure), gridRows(db.expenditure), amount, true)];
    const footer = layout.footer.flat().map((i) => ({ id: i.key, label: i.label }));
    const total = {
      label: '合计',
      cells: cellsOf({ key: 'footer', name: '合计', values: db.footer }, footer, { key: 'footer', name: '合计', values: da.footer }),
    };
    return { ...base, total, rows, texts: [] };
  }
  if (da.kind === 'performance-targets' && db.kind === 'performance-targets' && layout.kind === 'performance-targets') {
    const L = layout.labels;
    const money = [
      { id: 'total', label: L.total },
      { id: 'fiscal', label: L.fiscal },
      { id: 'other', label: L.other },
    ];
    const tasks = (d: PerformanceData): Row[] => d.tasks.map((t) => ({ key: t.name.text, name: t.name.text, values: t.values }));
    const rows = diffRows(tasks(da), tasks(db), money, false);
    const total = { label: L.sum, cells: cellsOf({ key: 'sum', name: L.sum, values: db.sum }, money, { key: 'sum', name: L.sum, values: da.sum }) };
    return { ...base, total, rows, texts: performanceTexts(da, db) };
  }
  throw new Error(`table ${layout.id} has different kinds in the two reports`);
}

export function tableChanged(t: TableDiff): boolean {
  return t.rows.length > 0 || t.texts.length > 0 || (t.total?.cells.some((c) => !same(c.before, c.after)) ?? false);
}
