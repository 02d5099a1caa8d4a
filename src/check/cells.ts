// Every value a report states — table cells, figures, second-level projects, prior-
// year figures — each with its reference path, a label a finance officer recognises
// (表3 支出总表 20103 政府办公厅（室）及相关机构事务 基本支出) and where it was written.
// The checks name values through this one index.

import { formatPos, type SourcePos } from '../errors.ts';
import { fillTitle } from '../derive/titles.ts';
import type { Amount, Report, ValueRow } from '../model/report.ts';
import type { ColumnNode, TableLayout } from '../schema/table-set.ts';

export interface Cell {
  /** Reference path, as the narrative would write it. */
  path: string;
  label: string;
  kind: 'amount' | 'count' | 'text';
  /** Hundredths of 万元 for amounts, the number for counts; null when not filled in. */
  value: number | null;
  at: SourcePos;
  /** Table id, for table cells. */
  table?: string;
  /** Row label within the table (code and name, item name, fixed label, 合计). */
  row?: string;
  /** Column label (header title). */
  column?: string;
}

export function posKey(at: SourcePos): string {
  return formatPos(at);
}

/** Column id → header label: the leaf title, under its group's title when it has one. */
export function columnLabels(layout: TableLayout, report: Report): Map<string, string> {
  const out = new Map<string, string>();
  if (layout.kind === 'performance-targets') {
    out.set('total', layout.labels.total);
    out.set('fiscal', layout.labels.fiscal);
    out.set('other', layout.labels.other);
    return out;
  }
  const all = leafCount(layout.columns);
  const walk = (nodes: readonly ColumnNode[], parent: ColumnNode | null) => {
    for (const n of nodes) {
      if (n.children?.length) {
        // A group over every column (表5 “2024年预算”) says nothing about one column.
        walk(n.children, leafCount(n.children) === all ? null : n);
      } else if (n.id) {
        const leaf = fillTitle(n.title, report);
        out.set(n.id, parent ? `${fillTitle(parent.title, report)}（${leaf}）` : leaf);
      }
    }
  };
  walk(layout.columns, null);
  return out;
}

function leafCount(nodes: readonly ColumnNode[]): number {
  return nodes.reduce((n, c) => n + (c.children?.length ? leafCount(c.children) : 1), 0);
}

export function tableName(layout: TableLayout): string {
  return `表${layout.number} ${layout.title}`;
}

export function rowLabel(row: ValueRow, report: Report): string {
  if (row.key === 'total') return '合计';
  if (row.code) return `${row.code} ${row.name ?? ''}`.trim();
  if (row.label) return fillTitle(row.label, report);
  return row.name ?? row.key;
}

/** Every value of the report, in file order. */
export function cellsOf(report: Report): Cell[] {
  const out: Cell[] = [];
  const amount = (path: string, label: string, a: Amount, extra: Partial<Cell> = {}) =>
    out.push({ path, label, kind: 'amount', value: a.cents, at: a.at, ...extra });

  for (const layout of report.set.layouts) {
    const data = report.tables[layout.id];
    if (!data) continue;
    const t = tableName(layout);
    const cols = columnLabels(layout, report);
    if (data.kind === 'grid') {
      const rows = data.total ? [data.total, ...data.rows] : data.rows;
      for (const row of rows) {
        const rl = rowLabel(row, report);
        const base = row.key === 'total' ? `${layout.id}.total` : `${layout.id}[${row.key}]`;
        for (const [col, a] of Object.entries(row.values)) {
          const cl = cols.get(col) ?? col;
          amount(`${base}.${col}`, `${t} ${rl} ${cl}`, a, { table: layout.id, row: rl, column: cl });
        }
      }
    } else if (data.kind === 'statement' && layout.kind === 'statement') {
      for (const item of layout.income) {
        const a = data.income[item.key];
        if (a) amount(`${layout.id}.income.${item.key}`, `${t} ${item.label}`, a, { table: layout.id, row: item.label, column: '收入' });
      }
      for (const row of data.expenditure) {
        const rl = rowLabel(row, report);
        amount(`${layout.id}[${row.key}].amount`, `${t} ${rl}`, row.values.amount!, { table: layout.id, row: rl, column: '支出' });
      }
      for (const item of layout.footer.flat()) {
        const a = data.footer[item.key];
        if (a) amount(`${layout.id}.footer.${item.key}`, `${t} ${item.label}`, a, { table: layout.id, row: item.label, column: '' });
      }
    } else if (data.kind === 'performance-targets') {
      for (const task of data.tasks) {
        for (const [col, a] of Object.entries(task.values)) {
          const cl = cols.get(col) ?? col;
          amount(`${layout.id}[${task.name.text}].${col}`, `${t} ${task.name.text} ${cl}`, a, { table: layout.id, row: task.name.text, column: cl });
        }
      }
      const sumLabel = layout.kind === 'performance-targets' ? layout.labels.sum : '合计';
      for (const [col, a] of Object.entries(data.sum)) {
        const cl = cols.get(col) ?? col;
        amount(`${layout.id}.sum.${col}`, `${t} ${sumLabel} ${cl}`, a, { table: layout.id, row: sumLabel, column: cl });
      }
    }
  }

  for (const def of report.set.figures) {
    const f = report.figures[def.id];
    if (!f) continue;
    const path = `figures.${def.id}`;
    const label = `report.yaml figures ${def.label}`;
    if (f.type === 'amount') amount(path, label, f.amount);
    else if (f.type === 'count') out.push({ path, label, kind: 'count', value: f.count.count, at: f.count.at });
    else out.push({ path, label, kind: 'text', value: f.text ? 0 : null, at: f.at });
  }
  for (const [cat, items] of Object.entries(report.projects)) {
    for (const [name, a] of Object.entries(items)) amount(`projects[${cat}][${name}]`, `report.yaml 二级项目 ${cat} ${name}`, a);
  }
  for (const [path, f] of report.prior.stated) {
    const label = `report.yaml ${report.prior.year}年数 ${path}`;
    if (f.type === 'amount') amount(`prior.${path}`, label, f.amount);
    else if (f.type === 'count') out.push({ path: `prior.${path}`, label, kind: 'count', value: f.count.count, at: f.count.at });
  }
  return out;
}
