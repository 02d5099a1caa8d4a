// Where the money goes: bar charts drawn at build time as inline SVG, so nothing
// runs in the reader's browser. This module computes what each chart shows and
// where every bar and label sits; the bar-chart component turns it into markup.
// Which charts a report gets is listed below by table and column id; a table set
// without those tables simply gets no chart.

import type { DocumentModel } from '../../derive/document.ts';
import { formatPercentTenths, formatTable, shareTenths, type Cents } from '../../model/money.ts';
import type { GridData } from '../../model/report.ts';

export interface ChartSpec {
  id: string;
  /** Table id in the table set and the column of that table to chart. */
  table: string;
  column: string;
  /** Only rows of this classification level (0 = 类); all rows when absent. */
  level?: number;
  title: string;
}

export const CHARTS: ChartSpec[] = [
  { id: 'chart-projects', table: 'project-expenditure', column: 'total', title: '项目支出按项目类别' },
  { id: 'chart-economic', table: 'general-budget-by-economic', column: 'total', level: 0, title: '一般公共预算支出按经济分类（类级科目）' },
];

export interface ChartBar {
  label: string;
  amount: string;
  share: string;
  /** Label lines with their baselines. */
  lines: { text: string; y: number }[];
  barY: number;
  barWidth: number;
  valueX: number;
  valueY: number;
}

export interface BarChart {
  id: string;
  title: string;
  /** The text alternative: every bar in words, largest first. */
  summary: string;
  total: string;
  source: { label: string; href: string };
  width: number;
  height: number;
  fontSize: number;
  barHeight: number;
  bars: ChartBar[];
}

// SVG units; the SVG is drawn at 100% of the text column up to 34rem, so on a
// 390 px phone one unit is about 0.9 px and the 16-unit text reads at about 14 px.
const WIDTH = 400;
const FONT = 16;
const LINE = 22;
const BAR = 18;
const GAP = 14;

/** Approximate advance of a text in em: CJK and full-width forms are square, the rest narrower. */
export function textEm(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F“”‘’（）：；，。、]/.test(ch) ? 1 : 0.6;
  return w;
}

/** Wraps a label to lines no wider than `maxEm`; Chinese may break between any two characters. */
export function wrapLabel(s: string, maxEm: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of s) {
    if (line && textEm(line + ch) > maxEm && !/^[，。、；：）”]$/.test(ch)) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

export function buildChart(doc: DocumentModel, spec: ChartSpec): BarChart | null {
  const model = doc.tables.find((t) => t.id === spec.table);
  const data = doc.report.tables[spec.table] as GridData | undefined;
  if (!model || !data || data.kind !== 'grid' || !model.header.leaves.some((l) => l.id === spec.column)) return null;
  const rows = data.rows
    .filter((r) => spec.level === undefined || r.level === spec.level)
    .map((r, i) => ({ label: r.name ?? r.label ?? r.key, cents: r.values[spec.column]?.cents ?? null, i }))
    .filter((r): r is { label: string; cents: Cents; i: number } => r.cents !== null && r.cents > 0)
    .sort((a, b) => b.cents - a.cents || a.i - b.i);
  if (!rows.length) return null;
  const total = data.total?.values[spec.column]?.cents ?? rows.reduce((s, r) => s + r.cents, 0);
  const max = rows[0]!.cents;
  // A share that rounds to 0.0% but is not nothing reads 不足0.1%, never 0%.
  const share = (c: Cents) => (shareTenths(c, total) === 0 ? '不足0.1%' : formatPercentTenths(shareTenths(c, total)));
  const shaped = rows.map((r) => ({ ...r, amount: formatTable(r.cents), share: share(r.cents) }));
  const valueText = (r: (typeof shaped)[number]) => `${r.amount}（${r.share}）`;
  const reserve = Math.ceil(Math.max(...shaped.map((r) => textEm(valueText(r)))) * FONT) + 8;
  const barMax = WIDTH - reserve;
  let y = 0;
  const bars: ChartBar[] = shaped.map((r) => {
    const lines = wrapLabel(r.label, WIDTH / FONT).map((text, k) => ({ text, y: y + FONT + k * LINE }));
    const barY = y + lines.length * LINE + 4;
    const barWidth = Math.max(1, Math.round((r.cents / max) * barMax));
    const bar = { label: r.label, amount: r.amount, share: r.share, lines, barY, barWidth, valueX: barWidth + 6, valueY: barY + BAR - 4 };
    y = barY + BAR + GAP;
    return bar;
  });
  const source = `表${model.number} ${model.title}`;
  const summary = `${spec.title}，合计${formatTable(total)}万元：${shaped.map((r) => `${r.label}${r.amount}万元，占${r.share}`).join('；')}。`;
  return {
    id: spec.id,
    title: spec.title,
    summary,
    total: formatTable(total),
    source: { label: source, href: `#table-${model.number}` },
    width: WIDTH,
    height: y - GAP + 4,
    fontSize: FONT,
    barHeight: BAR,
    bars,
  };
}

export function buildCharts(doc: DocumentModel): BarChart[] {
  return CHARTS.map((s) => buildChart(doc, s)).filter((c): c is BarChart => c !== null);
}
