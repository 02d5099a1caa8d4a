// The table model: one render-agnostic description of each official table — its
// caption, computed header, body cells with spans, levels and roles, and notes.
// The HTML site, the PDF, the CSV/XLSX downloads all draw from this model.

import { formatPlain, formatTable, type Cents } from '../model/money.ts';
import type { Amount, GridData, PerformanceData, Report, StatementData, ValueRow } from '../model/report.ts';
import type { GridLayout, PerformanceLayout, StatementLayout, TableLayout } from '../schema/table-set.ts';
import { computeHeader, type Header, type HeaderCell, type LeafColumn } from './header.ts';
import { fillTitle } from './titles.ts';

export type CellKind = 'label' | 'code' | 'amount' | 'text' | 'empty';

export interface BodyCell {
  text: string;
  kind: CellKind;
  colSpan: number;
  rowSpan: number;
  /** A row header (`<th scope="row">`), e.g. a classification name or a form label. */
  isHeader: boolean;
  /** Classification level for indentation: 0 类, 1 款, 2 项. */
  level: number;
  /** Exact amount for amount cells; null where not filled in. */
  cents?: Cents | null;
  /** Ids of the header cells (column and row) that describe this cell. */
  headers: string[];
  /** Id of this cell when it is a row header. */
  id?: string;
  /** For classification rows: 类, 款 or 项 (said to screen readers, shown by indentation). */
  rank?: '类' | '款' | '项';
}

export interface BodyRow {
  role: 'total' | 'row' | 'footer' | 'section';
  /** Row key: classification code, item name, fixed key, or a statement item key. */
  key: string;
  cells: BodyCell[];
  /** Column position of each cell (spanned positions are skipped). */
}

export interface TableModel {
  id: string;
  number: number;
  kind: TableLayout['kind'];
  orientation: 'portrait' | 'landscape';
  caption: {
    label: string; // 表 3
    title: string; // 支出总表 / 深圳市…整体支出绩效目标表
    subtitle?: string; // 2024年度
    unitLine?: string; // 部门名称：深圳市大数据资源管理中心
    currency: string; // 单位：万元
  };
  /** The official title (for the 目录 and links). */
  title: string;
  header: Header;
  /** Number of columns in the grid. */
  columnCount: number;
  /** Relative widths of the columns, for layout. */
  widths: number[];
  body: BodyRow[];
  notes: string[];
  /** True when every amount of the table is zero (本年无发生额). */
  empty: boolean;
}

const RANKS = ['类', '款', '项'] as const;

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

export function chineseOrdinal(i: number): string {
  return CN[i] ?? String(i + 1);
}

function amountCell(a: Amount | undefined, headers: string[]): BodyCell {
  const cents = a?.cents ?? null;
  return { text: cents === null ? '' : formatTable(cents), kind: 'amount', colSpan: 1, rowSpan: 1, isHeader: false, level: 0, cents, headers };
}

function labelCell(text: string, headers: string[], level = 0, isHeader = true, id?: string): BodyCell {
  const c: BodyCell = { text, kind: 'label', colSpan: 1, rowSpan: 1, isHeader, level, headers };
  if (id) c.id = id;
  return c;
}

function textCell(text: string, headers: string[], kind: CellKind = 'text'): BodyCell {
  return { text, kind, colSpan: 1, rowSpan: 1, isHeader: false, level: 0, headers };
}

export function buildTableModel(report: Report, layout: TableLayout): TableModel {
  const title = (t: string) => fillTitle(t, report);
  const base = {
    id: layout.id,
    number: layout.number,
    kind: layout.kind,
    orientation: layout.orientation,
    title: layout.title,
  };
  const data = report.tables[layout.id];
  if (!data) throw new Error(`table ${layout.id} missing from report ${report.id}`);
  const layoutNotes = (layout.notes ?? []).map(title);
  const dataNotes = data.notes.map((n) => n.text);
  const notes = [...dataNotes, ...layoutNotes];
  if (layout.kind === 'grid') {
    const m = buildGrid(report, layout, data as GridData, title);
    return {
      ...base,
      ...m,
      notes,
      caption: { label: `表 ${layout.number}`, title: layout.title, unitLine: `${layout.unitLabel}：${report.unit}`, currency: `单位：${report.currency}` },
    };
  }
  if (layout.kind === 'statement') {
    const m = buildStatement(layout, data as StatementData, title);
    return {
      ...base,
      ...m,
      notes,
      caption: { label: `表 ${layout.number}`, title: layout.title, unitLine: `${layout.unitLabel}：${report.unit}`, currency: `单位：${report.currency}` },
    };
  }
  const m = buildPerformance(report, layout, data as PerformanceData);
  return {
    ...base,
    ...m,
    notes,
    caption: { label: `表 ${layout.number}`, title: title(layout.heading), subtitle: title(layout.subtitle), currency: `单位：${report.currency}` },
  };
}

function isEmpty(rows: BodyRow[]): boolean {
  return rows.every((r) => r.cells.every((c) => c.kind !== 'amount' || !c.cents));
}

function leafHeaders(leaf: LeafColumn, rowHeader?: string): string[] {
  return rowHeader ? [...leaf.headerIds, rowHeader] : [...leaf.headerIds];
}

function widthsFor(leaves: LeafColumn[], weights: Partial<Record<string, number>>): number[] {
  return leaves.map((l) => weights[l.id] ?? (l.type === 'amount' ? 1 : l.type === 'code' ? 0.9 : 2.2));
}

function buildGrid(report: Report, layout: GridLayout, data: GridData, title: (t: string) => string) {
  const header = computeHeader(layout.id, layout.stub, layout.columns, title);
  const leaves = header.leaves;
  const stubLeaves = leaves.filter((l) => l.stub);
  const valueLeaves = leaves.filter((l) => !l.stub);
  const body: BodyRow[] = [];
  let rowN = 0;
  const rowId = () => `r-${layout.id}-${++rowN}`;

  const hasUnit = layout.stub.some((s) => s.field === 'unit');
  const labelField = layout.stub.find((s) => s.field === 'name' || s.field === 'label')?.field;
  const levelBase = hasUnit ? 0 : 1;

  const valueCells = (row: ValueRow, rh: string) => valueLeaves.map((l) => amountCell(row.values[l.id], leafHeaders(l, rh)));

  if (data.total) {
    const id = rowId();
    const cells: BodyCell[] = stubLeaves.map((l) => {
      if (l.id === 'unit' || (!hasUnit && l.id === labelField)) return labelCell(report.unit, [...l.headerIds], 0, true, id);
      return textCell('', [...l.headerIds], 'empty');
    });
    body.push({ role: 'total', key: 'total', cells: [...cells, ...valueCells(data.total, id)] });
  }
  const fixed = layout.rows.kind === 'fixed';
  // In a fixed table (表9) the unit's name spans every row and heads each of them.
  const unitId = `r-${layout.id}-unit`;
  data.rows.forEach((row, i) => {
    const id = rowId();
    const cells: BodyCell[] = [];
    for (const l of stubLeaves) {
      if (l.id === 'unit') {
        if (fixed) {
          if (i === 0) cells.push({ ...labelCell(report.unit, [...l.headerIds], 0, true, unitId), rowSpan: data.rows.length });
          // Other rows: covered by the span.
          else continue;
        } else cells.push(textCell('', [...l.headerIds], 'empty'));
      } else if (l.id === 'code') cells.push(textCell(row.code ?? '', [...l.headerIds, id], 'code'));
      else if (l.id === 'label') cells.push(labelCell(title(row.label ?? row.key), fixed ? [...l.headerIds, unitId] : [...l.headerIds], 0, true, id));
      else {
        const cell = labelCell(row.name ?? row.key, [...l.headerIds], (row.code ? row.level : 0) + levelBase, true, id);
        if (row.code) cell.rank = RANKS[row.level];
        cells.push(cell);
      }
    }
    const rh = fixed ? [id, unitId] : [id];
    const vals = valueLeaves.map((l) => amountCell(row.values[l.id], [...l.headerIds, ...rh]));
    body.push({ role: 'row', key: row.key, cells: [...cells, ...vals] });
  });
  const widths = widthsFor(leaves, { unit: hasUnit && layout.stub.length > 1 ? 1.6 : 2.4, code: 0.9, name: 2.6, label: 1.1 });
  return { header, columnCount: leaves.length, widths, body, empty: isEmpty(body) };
}

function buildStatement(layout: StatementLayout, data: StatementData, title: (t: string) => string) {
  const header = computeHeader(layout.id, [], layout.columns, title);
  const [inItem, inAmount, outItem, outAmount] = header.leaves as [LeafColumn, LeafColumn, LeafColumn, LeafColumn];
  const body: BodyRow[] = [];
  let rowN = 0;
  const id = () => `r-${layout.id}-${++rowN}`;

  // Right side: function classification, 类 numbered 一、二、…
  let cat = 0;
  const outRows = data.expenditure.map((r) => ({
    label: r.level === 0 ? `${chineseOrdinal(cat++)}、${r.name}` : (r.name ?? r.key),
    level: r.level,
    amount: r.values.amount,
    key: r.key,
    rank: RANKS[r.level],
  }));
  const inRows = layout.income.map((i) => ({ label: i.label, level: i.level ?? 0, amount: data.income[i.key], key: i.key }));
  const side = (
    r: { label: string; level: number; amount: Amount | undefined; rank?: (typeof RANKS)[number] } | undefined,
    item: LeafColumn,
    amount: LeafColumn,
  ): BodyCell[] => {
    if (!r) return [textCell('', [...item.headerIds], 'empty'), textCell('', [...amount.headerIds], 'empty')];
    const rid = id();
    const label = labelCell(r.label, [...item.headerIds], r.level, true, rid);
    if (r.rank) label.rank = r.rank;
    return [label, amountCell(r.amount, [...amount.headerIds, rid])];
  };
  const n = Math.max(inRows.length, outRows.length);
  for (let i = 0; i < n; i++) {
    const l = inRows[i];
    const r = outRows[i];
    body.push({ role: 'row', key: `${l?.key ?? ''}|${r?.key ?? ''}`, cells: [...side(l, inItem, inAmount), ...side(r, outItem, outAmount)] });
  }
  for (const pair of layout.footer) {
    const [l, r] = pair;
    const mk = (item: typeof l | undefined) => (item ? { label: item.label, level: item.level ?? 0, amount: data.footer[item.key] } : undefined);
    body.push({ role: 'footer', key: `${l?.key ?? ''}|${r?.key ?? ''}`, cells: [...side(mk(l), inItem, inAmount), ...side(mk(r), outItem, outAmount)] });
  }
  const widths = [2.2, 1, 2.8, 1];
  return { header, columnCount: 4, widths, body, empty: isEmpty(body) };
}

function buildPerformance(report: Report, layout: PerformanceLayout, data: PerformanceData) {
  const L = layout.labels;
  const header: Header = { rows: [], depth: 0, leaves: [] };
  const body: BodyRow[] = [];
  let n = 0;
  const hid = () => `h-${layout.id}-${++n}`;
  const th = (text: string, colSpan = 1, rowSpan = 1, headers: string[] = []): BodyCell => ({
    text,
    kind: 'label',
    colSpan,
    rowSpan,
    isHeader: true,
    level: 0,
    headers,
    id: hid(),
  });
  const td = (text: string, kind: CellKind, colSpan = 1, headers: string[] = []): BodyCell => ({
    text,
    kind,
    colSpan,
    rowSpan: 1,
    isHeader: false,
    level: 0,
    headers,
  });

  const unitTh = th(L.unit);
  const deptTh = th(L.department);
  body.push({
    role: 'section',
    key: 'unit',
    cells: [unitTh, td(report.unit, 'text', 2, [unitTh.id!]), deptTh, td(report.department, 'text', 2, [deptTh.id!])],
  });

  const taskTh = th(L.task, 1, 2);
  const contentTh = th(L.content, 2, 2);
  const budgetTh = th(L.budget, 3);
  body.push({ role: 'section', key: 'task-header', cells: [taskTh, contentTh, budgetTh] });
  const totalTh = th(L.total, 1, 1, [budgetTh.id!]);
  const fiscalTh = th(L.fiscal, 1, 1, [budgetTh.id!]);
  const otherTh = th(L.other, 1, 1, [budgetTh.id!]);
  body.push({ role: 'section', key: 'money-header', cells: [totalTh, fiscalTh, otherTh] });

  const moneyCells = (v: Record<'total' | 'fiscal' | 'other', Amount>, rowHeader: string) => [
    amountCell(v.total, [budgetTh.id!, totalTh.id!, rowHeader]),
    amountCell(v.fiscal, [budgetTh.id!, fiscalTh.id!, rowHeader]),
    amountCell(v.other, [budgetTh.id!, otherTh.id!, rowHeader]),
  ];
  for (const t of data.tasks) {
    const name = th(t.name.text, 1, 1, [taskTh.id!]);
    body.push({ role: 'row', key: t.name.text, cells: [name, td(t.content.text, 'text', 2, [contentTh.id!, name.id!]), ...moneyCells(t.values, name.id!)] });
  }
  const sumTh = th(L.sum, 3);
  body.push({ role: 'total', key: 'sum', cells: [sumTh, ...moneyCells(data.sum, sumTh.id!)] });

  const goalTh = th(L.goal);
  body.push({ role: 'section', key: 'goal', cells: [goalTh, td(data.goal.text, 'text', 5, [goalTh.id!])] });

  const count = data.indicators.reduce((s, c) => s + c.groups.reduce((g, x) => g + x.indicators.length, 0), 0);
  const indTh = th(L.indicators, 1, count + 1);
  const l1Th = th(L.level1, 1, 1, [indTh.id!]);
  const l2Th = th(L.level2, 1, 1, [indTh.id!]);
  const l3Th = th(L.level3, 2, 1, [indTh.id!]);
  const tgTh = th(L.target, 1, 1, [indTh.id!]);
  body.push({ role: 'section', key: 'indicator-header', cells: [indTh, l1Th, l2Th, l3Th, tgTh] });
  for (const cat of data.indicators) {
    const catCount = cat.groups.reduce((g, x) => g + x.indicators.length, 0);
    cat.groups.forEach((group, gi) => {
      group.indicators.forEach((ind, ii) => {
        const cells: BodyCell[] = [];
        if (gi === 0 && ii === 0) cells.push({ ...th(cat.name.text, 1, catCount, [l1Th.id!]) });
        if (ii === 0) cells.push({ ...th(group.name.text, 1, group.indicators.length, [l2Th.id!]) });
        const name = th(ind.name.text, 2, 1, [l3Th.id!]);
        cells.push(name, td(ind.target.text, 'text', 1, [tgTh.id!, name.id!]));
        body.push({ role: 'row', key: `${cat.name.text}/${group.name.text}/${ind.name.text}`, cells });
      });
    });
  }
  // Row headers of indicator rows also point at their category and group.
  linkIndicatorHeaders(body);
  const widths = [1.3, 1.3, 1.5, 1.1, 1.1, 1.1];
  return { header, columnCount: 6, widths, body, empty: false };
}

/** Adds the ids of the spanning 一级/二级 cells to the cells of the rows they span. */
function linkIndicatorHeaders(body: BodyRow[]): void {
  const active: { id: string; until: number; col: number }[] = [];
  body.forEach((row, r) => {
    if (row.role !== 'row' || !row.key.includes('/')) return;
    for (let i = active.length - 1; i >= 0; i--) if (active[i]!.until <= r) active.splice(i, 1);
    for (const c of row.cells) {
      if (c.isHeader && c.rowSpan > 1 && c.id) active.push({ id: c.id, until: r + c.rowSpan, col: 0 });
    }
    for (const c of row.cells) {
      if (c.isHeader && c.rowSpan > 1) continue;
      for (const a of active) if (!c.headers.includes(a.id)) c.headers.push(a.id);
    }
  });
}

/** The values of a table as records for open data (CSV, JSON): one per body row. */
export function plainAmount(c: Cents | null | undefined): string {
  return c === null || c === undefined ? '' : formatPlain(c);
}

export type { HeaderCell };
