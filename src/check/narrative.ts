// Narrative against data. Figures that restate data are references, so they cannot
// disagree with the tables; what is left to check is the text around them:
//
//   narrative-amounts   a literal amount (a number before 万元, or in a narrative
//                       table's 万元 column) that equals no value of the report;
//   narrative-wording   增加/增长 written right before a change that is a decrease,
//                       减少 before an increase, 持平 where the amount changed;
//   narrative-rows      a reference pointed at the wrong row or column: the words
//                       right before it name another row (or column) of the same table.
//
// All three read the rendered pieces of each text (RenderedPart.texts[].pieces) and
// place findings with the source offsets of those pieces.

import { renderPart, type RenderedPart, type RenderedText } from '../derive/narrative.ts';
import { findRow, type LocatedReferenceError, parseTemplate, positionInText, type EvalContext, type Segment, type Value } from '../derive/reference.ts';
import { fillTitle } from '../derive/titles.ts';
import { error, warning, type Finding, type SourcePos } from '../errors.ts';
import { formatText, parseCents } from '../model/money.ts';
import type { Report, SourceText } from '../model/report.ts';
import type { ColumnNode } from '../schema/table-set.ts';
import { columnLabels, type Cell } from './cells.ts';
import { segmentsText, type Rule } from './rules.ts';

/** One run of literal text or one reference, with its offset in the source text. */
interface Atom {
  kind: 'text' | 'value';
  text: string;
  /** Offset in the source text where the atom starts. */
  start: number;
  /** Paragraph number within the source text. */
  para: number;
  value?: Value;
  /** The path a reference reads (this year's; empty for prior-year references). */
  segments?: Segment[];
  /** The reference as it could be written again: `prior.…`, `change(…) | amount`. */
  expr?: string;
  /** Offset of the reference in the source (for value atoms). */
  refStart?: number;
}

export interface NarrativeText {
  source: SourceText;
  atoms: Atom[];
  /** For a cell of a narrative table: the text of its row's first cell. */
  rowHeader?: string;
  /** For a cell of a narrative table: the header of its column. */
  columnHeader?: string;
}

export interface RenderedNarrative {
  parts: RenderedPart[];
  texts: NarrativeText[];
  findings: Finding[];
}

/** Renders every part, collecting reference errors as findings. */
export function renderNarrative(report: Report, prior?: Report): RenderedNarrative {
  const ctx: EvalContext = prior ? { report, prior } : { report };
  const errors: LocatedReferenceError[] = [];
  const parts = report.narrative.map((_, i) => renderPart(report, ctx, i, errors));
  // A reference to a value not yet filled in is listed once, at the value (待填写).
  const findings = errors.filter((e) => !/ is empty$/.test(e.english)).map((e) => error('引用', 'reference', e.message, e.at, e.english));
  const bySource = new Map<SourceText, RenderedText>();
  for (const p of parts) for (const t of p.texts) bySource.set(t.source, t);
  const texts: NarrativeText[] = [];
  for (const part of report.narrative) {
    for (const b of part.blocks) {
      if (b.kind === 'markdown') {
        const r = bySource.get(b.source);
        if (r) texts.push({ source: b.source, atoms: atomsOf(r) });
        continue;
      }
      const headers = b.columns.map((c) => bySource.get(c)?.text ?? c.text);
      for (const row of b.rows) {
        const header = bySource.get(row[0]!)?.text ?? row[0]?.text ?? '';
        row.forEach((cell, j) => {
          const r = bySource.get(cell);
          if (!r) return;
          const t: NarrativeText = { source: cell, atoms: atomsOf(r) };
          if (j > 0) {
            t.rowHeader = header;
            t.columnHeader = headers[j] ?? '';
          }
          texts.push(t);
        });
      }
    }
  }
  return { parts, texts, findings };
}

function atomsOf(r: RenderedText): Atom[] {
  const parts = parseTemplate(r.source.text);
  const atoms: Atom[] = [];
  let para = 0;
  r.pieces.forEach((piece, i) => {
    const p = parts[i]!;
    if (piece.kind === 'value' && p.kind === 'ref') {
      const a: Atom = { kind: 'value', text: piece.text, start: p.ref.start, para, refStart: p.ref.start };
      if (piece.value) a.value = piece.value;
      const e = p.ref.expr;
      a.segments = e.type === 'path' ? (e.scope === 'current' ? e.segments : []) : e.path.segments;
      a.expr = e.type === 'path' ? `${e.scope === 'prior' ? 'prior.' : ''}${segmentsText(e.segments)}` : `change(${segmentsText(e.path.segments)}) | amount`;
      atoms.push(a);
      return;
    }
    if (p.kind !== 'text') return;
    // Split literal text into paragraphs (blank lines), keeping offsets.
    const re = /\n[ \t]*\n/g;
    let from = 0;
    for (const m of p.text.matchAll(re)) {
      if (m.index > from) atoms.push({ kind: 'text', text: p.text.slice(from, m.index), start: p.start + from, para });
      para++;
      from = m.index + m[0].length;
    }
    if (from < p.text.length) atoms.push({ kind: 'text', text: p.text.slice(from), start: p.start + from, para });
  });
  return atoms;
}

// ------------------------------------------------------------ literal amounts

const LITERAL = /(?<![\d.,A-Za-z])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?=\s*万元)/g;
const WAN = /\s*万元/y;
const CELL_AMOUNT = /^\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*$/;

export function checkNarrativeAmounts(_report: Report, rule: Rule, name: string, n: RenderedNarrative, cells: readonly Cell[]): Finding[] {
  const out: Finding[] = [];
  const thresholds = rule.def.thresholds ?? [];
  // Every value the report states, and every value its references print.
  // 0 万元 states that there is nothing; it needs no value to match.
  const known = new Map<number, string>([[0, '']]);
  for (const c of cells) if (c.kind === 'amount' && c.value !== null && !known.has(c.value)) known.set(c.value, c.path);
  for (const t of n.texts) {
    for (const a of t.atoms) {
      const v = a.value;
      if (v?.type === 'amount' && !known.has(v.cents)) known.set(v.cents, a.expr ?? '');
      if (v?.type === 'change' && !known.has(Math.abs(v.current - v.prior))) known.set(Math.abs(v.current - v.prior), a.expr ?? '');
    }
  }
  const judge = (written: string, at: SourcePos) => {
    const cents = parseCents(written.replace(/\s+/g, ''));
    if (cents === null) {
      out.push(
        error(
          name,
          rule.def.id,
          `文字中的金额“${written}万元”超过两位小数，与表中数据都不相符：请改为引用表中的数，如 {{ expenditure-summary.total.total }}`,
          at,
          'literal amount with more than two decimals',
        ),
      );
      return;
    }
    const path = known.get(cents);
    if (path === undefined) {
      out.push(
        error(
          name,
          rule.def.id,
          `文字中的金额“${written}万元”与本报告任何数据都不相符：请核对；表中的数请写成引用，如 {{ expenditure-summary.total.total }}，上年数写在 report.yaml 的 prior.stated 中再引用 {{ prior.… }}`,
          at,
          `literal amount ${written} matches no value of the report`,
        ),
      );
    } else if (cents !== 0) {
      out.push(
        warning(
          name,
          rule.def.id,
          `文字中直接写了金额“${written}万元”：建议写成引用 {{ ${path} }}，数据改动时文字会随之改动`,
          at,
          `literal amount; write it as the reference {{ ${path} }}`,
        ),
      );
    }
  };
  for (const t of n.texts) {
    if (t.columnHeader !== undefined) {
      // A cell of a narrative table: literal amounts in a 万元 column.
      if (!t.columnHeader.includes('万元')) continue;
      if (t.atoms.length === 1 && t.atoms[0]!.kind === 'text') {
        const m = CELL_AMOUNT.exec(t.atoms[0]!.text);
        if (m) judge(`${m[1]}${m[2] ?? ''}`, positionInText(t.source, t.atoms[0]!.start + m.index + (m[0].length - m[0].trimStart().length)));
      }
      continue;
    }
    for (const a of t.atoms) {
      if (a.kind !== 'text') continue;
      for (const m of a.text.matchAll(LITERAL)) {
        // The words right after “万元”, read in place (no copy of the rest of the text).
        WAN.lastIndex = m.index + m[0].length;
        WAN.exec(a.text);
        if (thresholds.some((w) => a.text.startsWith(w, WAN.lastIndex))) continue;
        judge(m[0], positionInText(t.source, a.start + m.index));
      }
    }
  }
  return out;
}

// ------------------------------------------------------------ wording

function startsWith(segments: readonly Segment[], prefix: readonly Segment[]): boolean {
  return prefix.every((p, i) => {
    const s = segments[i];
    if (!s || s.kind !== p.kind) return false;
    return s.kind === 'key' ? s.name === (p as { name: string }).name : s.key === (p as { key: string }).key;
  });
}

export function checkNarrativeWording(_report: Report, rule: Rule, name: string, n: RenderedNarrative): Finding[] {
  const out: Finding[] = [];
  const up = rule.def.increase ?? [];
  const down = rule.def.decrease ?? [];
  const flat = rule.def.unchanged ?? [];
  const signed = rule.signed ?? [];
  const deltaOf = (a: Atom): number | null => {
    const v = a.value;
    if (!v) return null;
    if (v.type === 'change') return v.current - v.prior;
    if (v.type === 'amount' && a.segments && signed.some((p) => startsWith(a.segments!, p))) return v.cents;
    return null;
  };
  const direction = (d: number) => (d > 0 ? '增加' : d < 0 ? '减少' : '没有变化');
  for (const t of n.texts) {
    const { atoms } = t;
    const judged = new Set<number>();
    const deltas = atoms.map(deltaOf);
    // For each atom, the nearest change before it and after it in its paragraph: one pass each way.
    const nearestBefore: (number | null)[] = [];
    const nearestAfter: (number | null)[] = new Array(atoms.length).fill(null);
    for (let i = 0, last: number | null = null; i < atoms.length; i++) {
      if (i > 0 && atoms[i]!.para !== atoms[i - 1]!.para) last = null;
      nearestBefore.push(last);
      if (deltas[i] !== null) last = i;
    }
    for (let i = atoms.length - 1, next: number | null = null; i >= 0; i--) {
      if (i < atoms.length - 1 && atoms[i]!.para !== atoms[i + 1]!.para) next = null;
      nearestAfter[i] = next;
      if (deltas[i] !== null) next = i;
    }
    atoms.forEach((a, i) => {
      const delta = deltas[i] ?? null;
      if (delta === null) return;
      const prev = atoms[i - 1];
      if (prev?.kind !== 'text' || prev.para !== a.para) return;
      const text = prev.text.trimEnd();
      const word = [...up, ...down, ...flat].filter((w) => text.endsWith(w)).sort((x, y) => y.length - x.length)[0];
      if (!word) return;
      const wrong = (up.includes(word) && delta < 0) || (down.includes(word) && delta > 0) || (flat.includes(word) && delta !== 0);
      const offset = prev.start + text.length - word.length;
      judged.add(offset);
      if (wrong) {
        out.push(
          error(
            name,
            rule.def.id,
            `文字写“${word}”，但 ${segmentsText(a.segments ?? [])} 实际${direction(delta)}${delta ? ` ${formatText(Math.abs(delta))}` : ''}：请改用 {{ change(…) | dir }} 自动得出增减方向`,
            positionInText(t.source, offset),
            `"${word}" contradicts the change (${delta > 0 ? 'increase' : delta < 0 ? 'decrease' : 'none'})`,
          ),
        );
      }
    });
    // 持平 elsewhere in a paragraph: the nearest change before it (else after it) must be zero.
    atoms.forEach((a, i) => {
      if (a.kind !== 'text') return;
      for (const w of flat) {
        for (const m of a.text.matchAll(new RegExp(w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'))) {
          const offset = a.start + m.index;
          if (judged.has(offset)) continue;
          const k = nearestBefore[i] ?? nearestAfter[i];
          if (k === null || k === undefined) continue;
          const near = atoms[k]!;
          const delta = deltas[k]!;
          if (delta !== 0) {
            out.push(
              error(
                name,
                rule.def.id,
                `文字写“${w}”，但 ${segmentsText(near.segments ?? [])} 实际${direction(delta)} ${formatText(Math.abs(delta))}：请核对`,
                positionInText(t.source, offset),
                `"${w}" but the amount changed by ${formatText(Math.abs(delta))}`,
              ),
            );
          }
        }
      }
    });
  }
  return out;
}

// ------------------------------------------------------------ rows and columns named

const SEPARATORS = /[。；;，,：:、！!？?\n]/;

function normalize(s: string): string {
  return s.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');
}

/** A name the text may use, and what it stands for. */
interface Name {
  text: string;
  /** Row keys (or column ids) it names. */
  targets: Set<string>;
}

function addName(list: Name[], text: string, target: string) {
  const t = normalize(text);
  if (!t) return;
  const known = list.find((n) => n.text === t);
  if (known) known.targets.add(target);
  else list.push({ text: t, targets: new Set([target]) });
}

const NO_NAMES: readonly Name[] = [];

/**
 * The text of a paragraph read piece by piece, answering after each piece: which name
 * stands closest before the end, with no clause break between? Each list of names
 * keeps the best match found so far and reads only the text added since it was last
 * asked (plus the length of its longest name), so a paragraph of any length is read a
 * bounded number of times — the check stays linear in the text.
 */
class ClauseReader {
  private chunks: { start: number; text: string }[] = [];
  private length = 0;
  /** Offset (normalised) of the last clause break, -1 for none. */
  private lastBreak = -1;
  private readonly lists = new Map<readonly Name[], { readTo: number; best: { name: Name; end: number } | null }>();
  /** Nothing but white space so far. */
  blank = true;

  reset(): void {
    this.chunks = [];
    this.length = 0;
    this.lastBreak = -1;
    this.lists.clear();
    this.blank = true;
  }

  append(words: string): void {
    if (this.blank && words.trim()) this.blank = false;
    const text = normalize(words);
    if (!text) return;
    for (let i = text.length - 1; i >= 0; i--) {
      if (SEPARATORS.test(text[i]!)) {
        this.lastBreak = this.length + i;
        break;
      }
    }
    this.chunks.push({ start: this.length, text });
    this.length += text.length;
  }

  /** The normalised text from `from` to the end. */
  private textFrom(from: number): string {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid]!.start <= from) lo = mid;
      else hi = mid - 1;
    }
    const parts: string[] = [];
    for (let i = lo; i < this.chunks.length; i++) parts.push(this.chunks[i]!.text);
    return parts.join('').slice(from - (this.chunks[lo]?.start ?? 0));
  }

  closest(names: readonly Name[]): Name | null {
    let state = this.lists.get(names);
    if (!state) {
      state = { readTo: 0, best: null };
      this.lists.set(names, state);
    }
    if (this.length > state.readTo) {
      const longest = names.reduce((m, n) => Math.max(m, n.text.length), 1);
      const from = Math.max(0, state.readTo - longest + 1);
      const text = this.textFrom(from);
      for (const n of names) {
        const i = text.lastIndexOf(n.text);
        if (i < 0) continue;
        const end = from + i + n.text.length;
        const best = state.best;
        if (!best || end > best.end || (end === best.end && n.text.length > best.name.text.length)) state.best = { name: n, end };
      }
      state.readTo = this.length;
    }
    // A clause break after the latest name: the reference stands in another clause.
    return state.best && state.best.end > this.lastBreak ? state.best.name : null;
  }
}

/** The name written closest before the end of `context`, with no clause break between. */
function closestNameIn(context: string, names: readonly Name[]): Name | null {
  const ctx = normalize(context);
  let best: { name: Name; end: number } | null = null;
  for (const n of names) {
    let from = 0;
    for (;;) {
      const i = ctx.indexOf(n.text, from);
      if (i === -1) break;
      const end = i + n.text.length;
      from = i + 1;
      if (SEPARATORS.test(ctx.slice(end))) continue;
      if (!best || end > best.end || (end === best.end && n.text.length > best.name.text.length)) best = { name: n, end };
    }
  }
  return best?.name ?? null;
}

const ORDINAL = /^(?:[一二三四五六七八九十]+、|\d+\.\s*|其中：)/;

export function checkNarrativeRows(report: Report, rule: Rule, name: string, n: RenderedNarrative): Finding[] {
  const out: Finding[] = [];
  const aliases = rule.def.aliases ?? {};
  const rowNames = new Map<string, Name[]>();
  const colNames = new Map<string, Name[]>();
  const rowKeyOf = new Map<string, (key: string) => string | null>();

  for (const layout of report.set.layouts) {
    const data = report.tables[layout.id];
    if (!data) continue;
    const rows: Name[] = [];
    const cols: Name[] = [];
    if (data.kind === 'performance-targets') {
      for (const t of data.tasks) addName(rows, t.name.text, t.name.text);
      rowKeyOf.set(layout.id, (k) => (data.tasks.some((t) => t.name.text === k) ? k : null));
    } else {
      const list = data.kind === 'grid' ? data.rows : data.expenditure;
      // Fixed rows (上年/本年/增减) are named by years the text uses for other things too.
      if (!(layout.kind === 'grid' && layout.rows.kind === 'fixed')) for (const r of list) if (r.name) addName(rows, r.name, r.key);
      rowKeyOf.set(layout.id, (k) => findRow(list, k)?.key ?? null);
    }
    for (const [key, names] of Object.entries(aliases[layout.id] ?? {})) {
      const target = rowKeyOf.get(layout.id)?.(key);
      if (target) for (const a of names) addName(rows, a, target);
    }
    // Column titles of three characters or more (小计, 总计 say nothing).
    if (layout.kind === 'performance-targets') {
      for (const [id, label] of [
        ['total', layout.labels.total],
        ['fiscal', layout.labels.fiscal],
        ['other', layout.labels.other],
      ] as const) {
        const t = label.replace(ORDINAL, '');
        if (t.length >= 3) addName(cols, t, id);
      }
    } else if (layout.kind === 'statement') {
      for (const [group, items] of [
        ['income', layout.income],
        ['footer', layout.footer.flat()],
      ] as const) {
        for (const i of items) {
          const t = i.label.replace(ORDINAL, '');
          if (t.length >= 3) addName(cols, t, `${group}.${i.key}`);
        }
      }
    } else {
      const walk = (nodes: readonly ColumnNode[]): string[] =>
        nodes.flatMap((c) => {
          const ids = c.children?.length ? walk(c.children) : c.id ? [c.id] : [];
          const t = fillTitle(c.title, report).replace(ORDINAL, '');
          if (t.length >= 3) for (const id of ids) addName(cols, t, id);
          return ids;
        });
      walk(layout.columns);
    }
    rowNames.set(layout.id, rows);
    colNames.set(layout.id, cols);
  }
  const projectNames: Name[] = [];
  for (const items of Object.values(report.projects)) for (const item of Object.keys(items)) addName(projectNames, item, item);
  for (const [key, names] of Object.entries(aliases.projects ?? {})) for (const a of names) addName(projectNames, a, key);

  for (const t of n.texts) {
    // The words before each reference in its paragraph, read once as the paragraph goes
    // by; the values printed by other references count as words too ({{ year }}年),
    // without their thousands commas.
    const before = new ClauseReader();
    let para = -1;
    t.atoms.forEach((a) => {
      if (a.para !== para) {
        para = a.para;
        before.reset();
      }
      judgeReference(a);
      before.append(a.kind === 'value' ? a.text.replace(/,/g, '') : a.text);
    });
    function judgeReference(a: Atom) {
      if (a.kind !== 'value' || !a.segments?.length) return;
      const header = t.rowHeader !== undefined && before.blank ? t.rowHeader : null;
      if (header !== null ? !header.trim() : before.blank) return;
      const closestName = (names: readonly Name[]) => (header !== null ? closestNameIn(header, names) : before.closest(names));
      const segs = a.segments;
      const head = segs[0]?.kind === 'key' ? segs[0].name : '';
      const at = positionInText(t.source, a.refStart ?? a.start);
      const path = segmentsText(segs);
      const flag = (written: string, meant: string, what: string) =>
        out.push(
          error(
            name,
            rule.def.id,
            `文字写的是“${written}”，引用 {{ ${path} }} 取的却是${what}“${meant}”：请核对引用的行和栏`,
            at,
            `the text names "${written}" but the reference reads ${what === '栏' ? 'column' : what === '行' ? 'row' : 'project'} "${meant}"`,
          ),
        );
      if (head === 'projects') {
        const item = segs[2]?.kind === 'index' ? segs[2].key : null;
        const named = closestName(projectNames);
        if (item && named && !named.targets.has(item)) flag(named.text, item, '项目');
        return;
      }
      const layout = report.set.layouts.find((l) => l.id === head);
      if (!layout) return;
      const rowSeg = segs[1];
      let column: string | null = null;
      if (rowSeg?.kind === 'index') {
        const key = rowKeyOf.get(head)?.(rowSeg.key) ?? null;
        const named = closestName(rowNames.get(head) ?? NO_NAMES);
        if (key && named && !named.targets.has(key)) {
          flag(named.text, rowSeg.key, '行');
          return;
        }
        column = segs[2]?.kind === 'key' ? segs[2].name : null;
      } else if (rowSeg?.kind === 'key') {
        if (rowSeg.name === 'income' || rowSeg.name === 'footer') column = segs[2]?.kind === 'key' ? `${rowSeg.name}.${segs[2].name}` : null;
        else column = segs[2]?.kind === 'key' ? segs[2].name : null;
      }
      if (!column) return;
      const named = closestName(colNames.get(head) ?? NO_NAMES);
      if (named && !named.targets.has(column)) {
        const label =
          layout.kind === 'statement'
            ? [...layout.income, ...layout.footer.flat()].find((i) => column === `income.${i.key}` || column === `footer.${i.key}`)?.label
            : columnLabels(layout, report).get(column);
        flag(named.text, label ?? column, '栏');
      }
    }
  }
  return out;
}
