// How a comparison is stated: in words and signs (增加/减少, +/−, 新增/删除), never
// by colour alone — as terminal text, as JSON for other tools, and the phrases the
// site page uses. Amounts are printed from integer hundredths by the money module.

import { formatPercentTenths, formatPlain, formatTable, percentTenths, type Cents } from '../model/money.ts';
import type { PartDiff, ReportDiff } from './report-diff.ts';
import { tableChanged, type CellChange, type RowDiff, type TableDiff } from './tables.ts';
import type { Paragraph } from './words.ts';

/** U+2212, the minus sign: a hyphen is easy to miss next to digits. */
export const MINUS = '−';

export function amountText(c: Cents | null): string {
  return c === null ? '（空）' : formatTable(c);
}

/** +200.00 / −200.00 / 0.00 */
export function signedAmount(delta: Cents): string {
  if (delta === 0) return formatTable(0);
  return `${delta > 0 ? '+' : MINUS}${formatTable(Math.abs(delta))}`;
}

/** +0.6% / −0.6% / 0%; null when there is nothing to compare against. */
export function signedPercent(before: Cents, after: Cents): string {
  const t = percentTenths(after, before);
  const p = formatPercentTenths(t);
  if (t === 0) return p;
  return `${after > before ? '+' : MINUS}${p}`;
}

/** 增加 200.00（+0.6%） / 减少 200.00（−0.6%） / 无变化 / 新填 / 清空 */
export function changePhrase(before: Cents | null, after: Cents | null): string {
  if (before === null && after === null) return '均为空';
  if (before === null) return `新填 ${formatTable(after!)}`;
  if (after === null) return '改为空（待填写）';
  const d = after - before;
  if (d === 0) return '无变化';
  return `${d > 0 ? '增加' : '减少'} ${formatTable(Math.abs(d))}（${signedPercent(before, after)}）`;
}

export function cellLine(c: CellChange): string {
  return `${c.label}：${amountText(c.before)} → ${amountText(c.after)}，${changePhrase(c.before, c.after)}`;
}

export function rowTitle(r: RowDiff): string {
  const name = r.nameBefore ? `${r.name}（原名：${r.nameBefore}）` : r.name;
  return r.code ? `${r.code} ${name}` : name;
}

export const STATUS_WORD: Record<RowDiff['status'], string> = { added: '新增', removed: '删除', changed: '变化' };

/** Columns worth showing for an added or removed row: the non-zero ones (else the first). */
export function shownCells(r: RowDiff): CellChange[] {
  if (r.status === 'changed') return r.cells;
  const v = (c: CellChange) => (r.status === 'added' ? c.after : c.before);
  const nonZero = r.cells.filter((c) => v(c) !== null && v(c) !== 0);
  return nonZero.length ? nonZero : r.cells.slice(0, 1);
}

/** The total row: its first column always, the others when they changed. */
export function shownTotalCells(t: TableDiff): CellChange[] {
  if (!t.total) return [];
  return t.total.cells.filter((c, i) => i === 0 || c.before !== c.after);
}

/** A paragraph with its changes marked git-style: [-删除的-]{+新增的+}; year shifts shown as the new text. */
export function markedParagraph(p: Paragraph): string {
  return p.pieces
    .map((x) => {
      if (x.kind === 'same') return x.text;
      if (x.yearShift) return x.after;
      return `${x.before ? `[-${x.before}-]` : ''}${x.after ? `{+${x.after}+}` : ''}`;
    })
    .join('');
}

/** Cuts a marked paragraph down to its changes with some context around each. */
export function excerpts(marked: string, context = 24): string[] {
  const spans: [number, number][] = [];
  const re = /\[-[\s\S]*?-\]|\{\+[\s\S]*?\+\}/g;
  for (let m = re.exec(marked); m; m = re.exec(marked)) spans.push([m.index, m.index + m[0].length]);
  const windows: [number, number][] = [];
  for (const [s, e] of spans) {
    const w: [number, number] = [Math.max(0, s - context), Math.min(marked.length, e + context)];
    const last = windows[windows.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else windows.push(w);
  }
  return windows.map(([s, e]) => `${s > 0 ? '…' : ''}${marked.slice(s, e)}${e < marked.length ? '…' : ''}`);
}

function partSummary(p: PartDiff): string {
  const years = p.yearShifts ? `；另有 ${p.yearShifts} 处年份随年度顺延` : '';
  return p.changes ? `${p.changes} 处改动${years}` : `无改动${years}`;
}

/** The comparison as terminal text. */
export function formatDiffText(d: ReportDiff): string {
  const out: string[] = [];
  const same = d.a.unit === d.b.unit;
  out.push(same ? `比较 ${d.a.unit}：${d.a.year}年 → ${d.b.year}年` : `比较 ${d.a.unit} ${d.a.year}年 → ${d.b.unit} ${d.b.year}年`);
  out.push('标记：[-删除的文字-]{+新增的文字+}；金额单位：万元');
  for (const s of [d.a, d.b]) if (s.unresolved) out.push(`注意：${s.year}年有 ${s.unresolved} 处引用尚无法求值（金额待填写），该处按原文显示。`);
  out.push('', '一、表格部分');
  for (const t of d.tables) {
    const head = `表${t.number} ${t.title}`;
    if (!tableChanged(t)) {
      out.push(`${head}：无变化`);
      continue;
    }
    out.push(head);
    for (const c of shownTotalCells(t)) out.push(`  合计 ${cellLine(c)}`);
    for (const r of t.rows) {
      out.push(`  ${STATUS_WORD[r.status]} ${rowTitle(r)}`);
      for (const c of shownCells(r)) {
        if (r.status === 'changed') out.push(`      ${cellLine(c)}`);
        else out.push(`      ${c.label}：${amountText(r.status === 'added' ? c.after : c.before)}`);
      }
      if (r.status === 'changed' && !r.cells.length) out.push('      （仅名称改变）');
    }
    for (const x of t.texts) {
      out.push(`  文字${STATUS_WORD[x.status]} ${x.label}`);
      for (const e of excerpts(markedParagraph({ status: 'changed', pieces: x.pieces }))) out.push(`      ${e}`);
    }
  }
  if (d.projects.length || d.figures.length) {
    out.push('', '二、表外数据（report.yaml）');
    for (const r of d.projects) {
      const c = r.cells[0]!;
      out.push(
        `  二级项目 ${STATUS_WORD[r.status]} ${r.name}：${r.status === 'changed' ? `${amountText(c.before)} → ${amountText(c.after)}，${changePhrase(c.before, c.after)}` : amountText(r.status === 'added' ? c.after : c.before)}`,
      );
    }
    for (const f of d.figures) out.push(`  ${f.label}：${f.before ?? '（空）'} → ${f.after ?? '（空）'}`);
  }
  out.push('', `${d.projects.length || d.figures.length ? '三' : '二'}、文字部分`);
  for (const p of d.parts) {
    out.push(`${p.label} ${p.title}：${partSummary(p)}`);
    for (const para of p.paragraphs) {
      if (para.status === 'same') continue;
      if (para.status === 'added') out.push(`  新增段落：${markedParagraph(para).slice(2, -2)}`);
      else if (para.status === 'removed') out.push(`  删除段落：${markedParagraph(para).slice(2, -2)}`);
      else for (const e of excerpts(markedParagraph(para))) if (/\[-|\{\+/.test(e)) out.push(`  ${e}`);
    }
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- JSON

function cellJson(c: CellChange) {
  const delta = c.before !== null && c.after !== null ? c.after - c.before : null;
  return {
    column: c.column,
    label: c.label,
    before: c.before === null ? null : formatPlain(c.before),
    after: c.after === null ? null : formatPlain(c.after),
    difference: delta === null ? null : formatPlain(delta),
    percent: delta === null || c.before === null || c.after === null ? null : signedPercent(c.before, c.after).replace(MINUS, '-'),
  };
}

function rowJson(r: RowDiff) {
  return {
    status: r.status,
    key: r.key,
    ...(r.code ? { code: r.code } : {}),
    name: r.name,
    ...(r.nameBefore ? { nameBefore: r.nameBefore } : {}),
    cells: r.cells.map(cellJson),
  };
}

/** The comparison as plain data: amounts as decimal strings in 万元 (exact), percentages one decimal. */
export function diffJson(d: ReportDiff) {
  return {
    a: d.a,
    b: d.b,
    unit: '万元',
    tables: d.tables.map((t) => ({
      id: t.id,
      number: t.number,
      title: t.title,
      changed: tableChanged(t),
      total: t.total ? { label: t.total.label, cells: t.total.cells.map(cellJson) } : null,
      rows: t.rows.map(rowJson),
      texts: t.texts.map((x) => ({ label: x.label, status: x.status, before: x.before, after: x.after })),
    })),
    projects: d.projects.map(rowJson),
    figures: d.figures,
    parts: d.parts.map((p) => ({
      id: p.id,
      label: p.label,
      title: p.title,
      changes: p.changes,
      yearShifts: p.yearShifts,
      paragraphs: p.paragraphs
        .filter((x) => x.status !== 'same')
        .map((x) => ({
          status: x.status,
          pieces: x.pieces.map((y) =>
            y.kind === 'same' ? { same: y.text } : { before: y.before, after: y.after, ...(y.yearShift ? { yearShift: true } : {}) },
          ),
        })),
    })),
  };
}
