// Amounts typed in 元 into a document published in 万元: 10,000 times too large. Three
// signs, each compared in integers:
//   - larger than its table's total (合计) by more than ten times, while a ten-thousandth
//     of it would fit under the total;
//   - about 10,000 times (5,000–20,000) the same value a year earlier (the prior year's
//     report, or what report.yaml states for it);
//   - about 10,000 times the largest other amount of its row.
// The message names what was typed and what to write instead.

import { error, type Finding } from '../errors.ts';
import { formatTable, formatText } from '../model/money.ts';
import type { Report } from '../model/report.ts';
import { type Cell, cellsOf } from './cells.ts';

export const UNIT_SCALE_RULE = { id: 'amount-unit', name: '金额单位' } as const;

/** 元 in a 万元. */
const FACTOR = 10_000;
const NEAR_LOW = 5_000;
const NEAR_HIGH = 20_000;
/** Comparisons with less than 1 万元 say nothing. */
const MIN_BASE = 100;

const near = (v: number, base: number) => base >= MIN_BASE && v >= NEAR_LOW * base && v <= NEAR_HIGH * base;

/** `1,552.08`, or `约 1,552.08` when the ten-thousandth is not a whole number of hundredths. */
function inWan(cents: number): string {
  const q = Math.floor((cents + FACTOR / 2) / FACTOR);
  return `${q * FACTOR === cents ? '' : '约 '}${formatTable(q)}`;
}

/** `10,012`: how many times `base` the value is, rounded. */
const times = (v: number, base: number) => formatText(Math.round(v / base) * 100);

/** The column path of a table cell: `table[row].col` → table + col; `table.total.col` is the total. */
function split(path: string): { table: string; row: string; col: string } | null {
  const m = /^([a-z0-9-]+)(?:\[(.+)\]|\.(total|sum))\.([a-z0-9-]+)$/.exec(path);
  if (!m) return null;
  return { table: m[1]!, row: m[2] !== undefined ? `[${m[2]}]` : m[3]!, col: m[4]! };
}

export function checkUnitScale(report: Report, prior?: Report, cells: readonly Cell[] = cellsOf(report)): Finding[] {
  if (report.set.currency !== '万元') return [];
  const byPath = new Map(cells.map((c) => [c.path, c]));
  const before = new Map<string, number>();
  if (prior) for (const c of cellsOf(prior)) if (c.kind === 'amount' && c.value !== null) before.set(c.path, c.value);
  for (const [path, f] of report.prior.stated) if (f.type === 'amount' && f.amount.cents !== null) before.set(path, f.amount.cents);
  // Largest amount of each row, and the one after it (for the row's own largest cell).
  const rowTop = new Map<string, number[]>();
  for (const c of cells) {
    const s = c.kind === 'amount' && c.value !== null && c.value > 0 ? split(c.path) : null;
    if (!s) continue;
    const key = `${s.table}${s.row}`;
    const top = rowTop.get(key) ?? [];
    top.push(c.value!);
    top.sort((a, b) => b - a);
    rowTop.set(key, top.slice(0, 2));
  }

  const findings: Finding[] = [];
  for (const c of cells) {
    const v = c.value;
    if (c.kind !== 'amount' || v === null || v <= 0) continue;
    const typed = formatTable(v);
    const flag = (why: string, english: string) =>
      findings.push(
        error(
          UNIT_SCALE_RULE.name,
          UNIT_SCALE_RULE.id,
          `${c.label} 填的是 ${typed}，${why}，看起来是按“元”填写的。本报告的金额以万元为单位：应写作 ${inWan(v)}（${typed} 元 ÷ 10,000）`,
          c.at,
          `${typed} looks like an amount in yuan (${english}); in 万元 write ${inWan(v).replace('约 ', '')}`,
        ),
      );
    const s = split(c.path);
    if (s?.row.startsWith('[')) {
      const total = byPath.get(`${s.table}.total.${s.col}`) ?? byPath.get(`${s.table}.sum.${s.col}`);
      const t = total?.value ?? null;
      if (t !== null && t >= MIN_BASE && v > 10 * t && v <= FACTOR * t + FACTOR * 100) {
        flag(`是本表合计 ${formatTable(t)} 的 ${times(v, t)} 倍`, `larger than the table total ${formatTable(t)}`);
        continue;
      }
    }
    if (c.path.startsWith('prior.')) continue;
    const p = before.get(c.path) ?? null;
    if (p !== null && near(v, p)) {
      flag(`是上年同一项 ${formatTable(p)} 的约 ${times(v, p)} 倍`, `about ${FACTOR} times the prior year's ${formatTable(p)}`);
      continue;
    }
    if (s) {
      const top = rowTop.get(`${s.table}${s.row}`) ?? [];
      const other = top[0] === v ? top[1] : top[0];
      if (other !== undefined && near(v, other)) {
        flag(`是同一行其他金额（最大 ${formatTable(other)}）的约 ${times(v, other)} 倍`, `about ${FACTOR} times the other amounts of its row`);
      }
    }
  }
  return findings;
}
