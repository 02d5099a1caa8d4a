// Each official table as CSV open data: UTF-8 with a byte-order mark so that
// Excel opens the Chinese correctly, RFC 4180 quoting, CRLF line ends. The
// multi-row header is flattened into one row, each column named by its path
// from the top of the header (本年收入/财政拨款/一般公共预算拨款/小计); amounts
// are plain decimals in 万元 (68098.25), empty where not filled in.

import { plainAmount, type TableModel } from '../../derive/table-model.ts';
import type { PerformanceData, Report, StatementData } from '../../model/report.ts';
import type { PerformanceLayout, TableLayout } from '../../schema/table-set.ts';
import { bodyGrid } from './grid.ts';

export interface FlatTable {
  header: string[];
  rows: string[][];
}

/** Header titles are set with spaces for the printed layout (收 入); data names drop them. */
export function columnName(path: readonly string[]): string {
  return path.map((p) => p.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '').trim()).join('/');
}

export const CODE_COLUMN = '科目编码';

/**
 * Classified rows whose table shows no code column (表4; the expenditure side of
 * 表1 and 表6) get one in the data, so that the hierarchy survives without the
 * indentation: the code is the row's key.
 */
function addsCodeColumn(layout: TableLayout): boolean {
  return (
    layout.kind === 'grid' && (layout.rows.kind === 'function-codes' || layout.rows.kind === 'economic-codes') && !layout.stub.some((s) => s.field === 'code')
  );
}

/** The table as one header row and one record per body row. */
export function flatTable(t: TableModel, layout: TableLayout, report: Report): FlatTable {
  if (layout.kind === 'performance-targets') return flatPerformance(layout, report.tables[layout.id] as PerformanceData, report);
  const header = t.header.leaves.map((l) => columnName(l.path));
  const grid = bodyGrid(t);
  const withCode = addsCodeColumn(layout);
  const statementCode = layout.kind === 'statement';
  const expenditure = statementCode ? (report.tables[layout.id] as StatementData).expenditure : [];
  const rows = grid.map((slots, r) => {
    const values = slots.map((s) => {
      if (!s) return '';
      // A row label spanning several rows (the unit of 表9) heads each of them.
      if (!s.anchor && !(s.cell.isHeader && s.cell.colSpan === 1)) return '';
      return s.cell.kind === 'amount' ? plainAmount(s.cell.cents) : s.cell.text;
    });
    const row = t.body[r]!;
    if (withCode) return [row.role === 'row' ? row.key : '', ...values];
    if (statementCode) {
      // The expenditure side is classified by function: its code goes before the item.
      // Its rows come first, in the order of the data (the footer rows follow).
      const code = row.role === 'row' ? (expenditure[r]?.code ?? '') : '';
      return [...values.slice(0, 2), code, ...values.slice(2)];
    }
    return values;
  });
  if (withCode) return { header: [CODE_COLUMN, ...header], rows };
  if (statementCode) return { header: [...header.slice(0, 2), columnName([t.header.rows[0]![1]!.text, CODE_COLUMN]), ...header.slice(2)], rows };
  return { header, rows };
}

/** 表12 is a form, not a grid: one record per task, the sum, the goal and each indicator. */
function flatPerformance(layout: PerformanceLayout, data: PerformanceData, report: Report): FlatTable {
  const L = layout.labels;
  const header = [
    '栏目',
    L.level1,
    L.level2,
    `${L.task}/${L.level3}`,
    `${L.content}/${L.target}`,
    `${L.budget}/${L.total}`,
    `${L.budget}/${L.fiscal}`,
    `${L.budget}/${L.other}`,
  ];
  const money = (v: PerformanceData['sum']) => [plainAmount(v.total.cents), plainAmount(v.fiscal.cents), plainAmount(v.other.cents)];
  const rows: string[][] = [
    [L.unit, '', '', '', report.unit, '', '', ''],
    [L.department, '', '', '', report.department, '', '', ''],
    ...data.tasks.map((t) => [L.task, '', '', t.name.text, t.content.text, ...money(t.values)]),
    [L.sum, '', '', '', '', ...money(data.sum)],
    [L.goal, '', '', '', data.goal.text, '', '', ''],
  ];
  for (const cat of data.indicators)
    for (const g of cat.groups)
      for (const ind of g.indicators) rows.push([L.indicators, cat.name.text, g.name.text, ind.name.text, ind.target.text, '', '', '']);
  return { header, rows };
}

/** A number as the CSV writes amounts and counts: it stays a number in a spreadsheet. */
const NUMBER = /^[+-]?\d+(\.\d+)?$/;
/** What a spreadsheet reads as the start of a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
 * leading apostrophe, as OWASP recommends, and is quoted; numbers stay numbers.
 */
export function neutralise(s: string): string {
  return FORMULA_START.test(s) && !NUMBER.test(s) ? `'${s}` : s;
}

function field(value: string): string {
  const s = neutralise(value);
  return /[",\r\n']|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text with a leading byte-order mark. */
export function toCsv(t: FlatTable): string {
  return `\uFEFF${[t.header, ...t.rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
