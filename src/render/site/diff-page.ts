// The site page comparing two consecutive years of a unit, and the links to it from
// both report pages. Everything the template prints is prepared here as words and
// signs (增加/减少, +/−, 新增/删除), so no change is told by colour alone.

import { amountText, changePhrase, MINUS, rowTitle, shownCells, shownTotalCells, STATUS_WORD } from '../../diff/format.ts';
import type { DocumentModel } from '../../derive/document.ts';
import { diffReports, sideFromDocument, type ReportDiff } from '../../diff/report-diff.ts';
import { tableChanged, type CellChange, type RowDiff } from '../../diff/tables.ts';
import type { Paragraph, Piece } from '../../diff/words.ts';
import { reportPath, type ReportPage, type SiteData } from './site-data.ts';

export interface DiffCell {
  label: string;
  before: string;
  after: string;
  /** 增加 87.35（+0.6%） */
  phrase: string;
  /** up, down, same, filled, emptied: for styling only, the phrase says it in words. */
  direction: 'up' | 'down' | 'same' | 'none';
}

export interface DiffRow {
  status: RowDiff['status'];
  /** 新增 / 删除 / 变化 */
  statusWord: string;
  title: string;
  cells: DiffCell[];
}

export interface DiffTableSection {
  anchor: string;
  heading: string;
  changed: boolean;
  total: DiffCell[];
  rows: DiffRow[];
  texts: { statusWord: string; label: string; html: string }[];
}

export interface DiffPartSection {
  anchor: string;
  heading: string;
  /** 2 处改动；另有 2 处年份随年度顺延 */
  summary: string;
  /** `html`: the changes with some context; `full`: the whole paragraph, when cut. */
  paragraphs: { status: Paragraph['status']; statusWord: string; html: string; full?: string }[];
}

export interface DiffPage {
  url: string;
  slug: string;
  unit: string;
  title: string;
  yearA: number;
  yearB: number;
  reportA: { url: string; title: string };
  reportB: { url: string; title: string };
  summary: string[];
  tables: DiffTableSection[];
  data: DiffRow[];
  parts: DiffPartSection[];
}

export function diffPath(slug: string, yearA: number, yearB: number): string {
  return `/${slug}/compare/${yearA}-${yearB}/`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function direction(c: CellChange): DiffCell['direction'] {
  if (c.before === null || c.after === null) return 'none';
  return c.after > c.before ? 'up' : c.after < c.before ? 'down' : 'same';
}

function changedCell(c: CellChange): DiffCell {
  return { label: c.label, before: amountText(c.before), after: amountText(c.after), phrase: changePhrase(c.before, c.after), direction: direction(c) };
}

function rowOf(r: RowDiff): DiffRow {
  const cells = shownCells(r).map((c): DiffCell => {
    if (r.status === 'changed') return changedCell(c);
    const v = r.status === 'added' ? c.after : c.before;
    return {
      label: c.label,
      before: r.status === 'added' ? '—' : amountText(v),
      after: r.status === 'added' ? amountText(v) : '—',
      phrase: r.status === 'added' ? '新增' : '删除',
      direction: 'none',
    };
  });
  return { status: r.status, statusWord: STATUS_WORD[r.status], title: rowTitle(r), cells };
}

function changeHtml(before: string, after: string): string {
  const del = before ? `<del><span class="visually-hidden">删除：</span><span class="sign" aria-hidden="true">${MINUS}</span>${escapeHtml(before)}</del>` : '';
  const ins = after ? `<ins><span class="visually-hidden">新增：</span><span class="sign" aria-hidden="true">+</span>${escapeHtml(after)}</ins>` : '';
  return del + ins;
}

/** Text between changes: a year that only moved forward reads as the new text. */
function runs(pieces: readonly Piece[]): ({ text: string } | { before: string; after: string })[] {
  const out: ({ text: string } | { before: string; after: string })[] = [];
  for (const p of pieces) {
    const text = p.kind === 'same' ? p.text : p.yearShift ? p.after : null;
    const last = out[out.length - 1];
    if (text === null) out.push({ before: (p as { before: string }).before, after: (p as { after: string }).after });
    else if (last && 'text' in last) last.text += text;
    else out.push({ text });
  }
  return out;
}

/**
 * A run of text with its changes marked: <del>/<ins>, a visible sign and a spoken
 * word. With `context`, long unchanged stretches are cut to that many characters
 * around each change (…), so a phone shows the change, not the whole paragraph.
 */
export function piecesHtml(pieces: readonly Piece[], context = 0): { html: string; elided: boolean } {
  const list = runs(pieces);
  let elided = false;
  const html = list
    .map((r, i) => {
      if (!('text' in r)) return changeHtml(r.before, r.after);
      const chars = Array.from(r.text);
      const first = i === 0;
      const lastRun = i === list.length - 1;
      const keepHead = first ? 0 : context;
      const keepTail = lastRun ? 0 : context;
      if (!context || chars.length <= keepHead + keepTail + 8) return escapeHtml(r.text);
      elided = true;
      const head = chars.slice(0, keepHead).join('');
      const tail = chars.slice(chars.length - keepTail).join('');
      return `${escapeHtml(head)}<span class="elided" title="省略未改动的文字">……</span>${escapeHtml(tail)}`;
    })
    .join('');
  return { html, elided };
}

/** Characters of unchanged text kept on each side of a change in a long paragraph. */
const PARAGRAPH_CONTEXT = 40;

const PARAGRAPH_WORD: Record<Paragraph['status'], string> = { same: '', changed: '修改', added: '新增段落', removed: '删除段落' };

export function diffPage(d: ReportDiff, urlA: string, urlB: string): DiffPage {
  const tables: DiffTableSection[] = d.tables.map((t) => ({
    anchor: `table-${t.number}`,
    heading: `表${t.number} ${t.title}`,
    changed: tableChanged(t),
    total: shownTotalCells(t).map(changedCell),
    rows: t.rows.map(rowOf),
    texts: t.texts.map((x) => ({ statusWord: `文字${STATUS_WORD[x.status]}`, label: x.label, html: piecesHtml(x.pieces).html })),
  }));
  const data: DiffRow[] = [
    ...d.projects.map((r) => ({ ...rowOf(r), title: `二级项目 ${rowTitle(r)}` })),
    ...d.figures.map((f) => ({
      status: 'changed' as const,
      statusWord: '变化',
      title: f.label,
      cells: [{ label: '数值', before: f.before ?? '（空）', after: f.after ?? '（空）', phrase: '已改变', direction: 'none' as const }],
    })),
  ];
  const parts: DiffPartSection[] = d.parts.map((p) => ({
    anchor: `part-${p.id}`,
    heading: `${p.label} ${p.title}`,
    summary: `${p.changes ? `${p.changes} 处改动` : '无改动'}${p.yearShifts ? `；另有 ${p.yearShifts} 处年份随年度顺延（${d.a.year}→${d.b.year} 等），未逐一标出` : ''}`,
    paragraphs: p.paragraphs
      .filter((x) => x.status !== 'same' && (x.status !== 'changed' || x.pieces.some((y) => y.kind === 'changed' && !y.yearShift)))
      .map((x) => {
        const cut = piecesHtml(x.pieces, x.status === 'changed' ? PARAGRAPH_CONTEXT : 0);
        return { status: x.status, statusWord: PARAGRAPH_WORD[x.status], html: cut.html, ...(cut.elided ? { full: piecesHtml(x.pieces).html } : {}) };
      }),
  }));
  const changedTables = tables.filter((t) => t.changed).map((t) => t.heading.split(' ')[0]);
  const changedParts = parts.filter((p) => p.paragraphs.length).map((p) => p.heading.split(' ')[0]);
  const summary = [
    changedTables.length
      ? `表格部分：${changedTables.length} 张表有变化（${changedTables.join('、')}），其余 ${tables.length - changedTables.length} 张无变化。`
      : '表格部分：各表均无变化。',
    data.length
      ? `表外数据：${[d.projects.length ? `二级项目 ${d.projects.length} 项` : '', d.figures.length ? `其他数据 ${d.figures.length} 项` : ''].filter(Boolean).join('、')}有变化。`
      : '表外数据：无变化。',
    changedParts.length ? `文字部分：${changedParts.join('、')}有改动，其余部分除年份顺延外无改动。` : '文字部分：除年份顺延外无改动。',
  ];
  return {
    url: diffPath(d.b.slug, d.a.year, d.b.year),
    slug: d.b.slug,
    unit: d.b.unit,
    title: `${d.b.unit}部门预算：${d.b.year}年与${d.a.year}年比较`,
    yearA: d.a.year,
    yearB: d.b.year,
    reportA: { url: urlA, title: d.a.title },
    reportB: { url: urlB, title: d.b.title },
    summary,
    tables,
    data,
    parts,
  };
}

/** Adds the comparison pages to the site data and links them from both report pages. */
export function addDiffPages(site: SiteData, pages: readonly DiffPage[]): SiteData {
  const link = (r: ReportPage, p: DiffPage, other: number) => {
    r.compare = [...(r.compare ?? []), { label: `与${other}年比较`, url: p.url }];
  };
  for (const p of pages) {
    const a = site.reports.find((r) => r.slug === p.slug && r.year === p.yearA);
    const b = site.reports.find((r) => r.slug === p.slug && r.year === p.yearB);
    if (a) link(a, p, p.yearB);
    if (b) link(b, p, p.yearA);
  }
  site.diffs = [...pages];
  return site;
}

/** One comparison page for each pair of consecutive years of a unit. */
export function consecutiveYearPages(documents: readonly DocumentModel[]): DiffPage[] {
  const pages: DiffPage[] = [];
  for (const b of documents) {
    const a = documents.find((d) => d.report.slug === b.report.slug && d.report.year === b.report.year - 1);
    if (!a) continue;
    pages.push(
      diffPage(diffReports(sideFromDocument(a), sideFromDocument(b)), reportPath(a.report.slug, a.report.year), reportPath(b.report.slug, b.report.year)),
    );
  }
  return pages;
}
