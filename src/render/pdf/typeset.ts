// Sets text into lines before pdfmake sees it. Break opportunities come from the
// Unicode line breaking algorithm (the linebreak package, the rules pdfmake itself
// uses: no line starts with 。，、；：）” and amounts such as 68,098.25 stay whole);
// lines are filled with the real glyph widths and justified the Chinese way, by
// spreading the slack evenly between characters. Each line then goes to pdfmake as
// one unbreakable run, so
// - heights are known exactly, which merged table cells need to be centred;
// - pdfmake measures and draws a few runs per line instead of one per character,
//   which was most of the time a PDF took to render.

import LineBreaker from 'linebreak';
import type { FontRole, Fonts } from './fonts.ts';

export interface Run {
  text: string;
  role: FontRole;
  /**
   * Adjacent full-width punctuation set closer (CLREQ): each gap inside this run is
   * half an em narrower, so ”、“ takes two ems, not three.
   */
  squeeze?: true;
}

export interface SetLine {
  runs: Run[];
  /** Width of the text as set, without extra spacing. */
  natural: number;
  /** Extra space after every character but the last, in points (justification). */
  spacing: number;
  /** Left indent of this line (the first line of a paragraph). */
  indent: number;
}

export interface SetOptions {
  size: number;
  /** Break only between words (Intl.Segmenter) where the width allows: headers and labels. */
  words?: boolean;
  /** Width available to every line. */
  width: number;
  /** Indent of the first line. */
  indent?: number;
  /** Spread the last bit of each line but the last so lines end flush. */
  justify?: boolean;
}

/** Room kept at the end of a line so that rounding never pushes a run onto a new line. */
const EPSILON = 0.01;

interface Segment {
  /** Runs of one role each. */
  runs: Run[];
  /** Width without trailing spaces. */
  content: number;
  /** Width including trailing spaces. */
  full: number;
  /** A newline ends this segment. */
  required: boolean;
  /** For a word made of several segments: those segments, to break it when it is wider than a line. */
  parts?: Segment[];
  /** Narrowing of the gap to the next segment when both stand on one line (marks set closer across a break). */
  squeezeAfter: number;
}

function splitRuns(runs: readonly Run[], start: number, end: number, starts: number[]): Run[] {
  const out: Run[] = [];
  for (let i = 0; i < runs.length; i++) {
    const a = Math.max(start, starts[i]!);
    const b = Math.min(end, starts[i]! + runs[i]!.text.length);
    if (a < b) out.push(squeezed({ text: runs[i]!.text.slice(a - starts[i]!, b - starts[i]!), role: runs[i]!.role }));
  }
  return out;
}

function measure(fonts: Fonts, runs: readonly Run[], size: number): number {
  let w = 0;
  for (const r of runs) {
    w += fonts.width(r.role, r.text, size);
    if (r.squeeze) w -= (Array.from(r.text).length - 1) * squeezeOf(size);
  }
  return w;
}

/** How much a gap between two adjacent punctuation marks is narrowed. */
export function squeezeOf(size: number): number {
  return size / 2;
}

// Full-width marks whose blank half is on the right in Simplified Chinese fonts
// (their ink sits at the left), and opening marks (ink at the right).
const CLOSING = '，。、；：”’）》」』】〕〉';
const OPENING = '“‘（《「『【〔〈';

/** The gap between two adjacent marks can lose half an em (CLREQ 3.1.6). */
function compressible(a: string, b: string): boolean {
  const punct = (c: string) => CLOSING.includes(c) || OPENING.includes(c);
  if (!punct(a) || !punct(b)) return false;
  return CLOSING.includes(a) || OPENING.includes(b);
}

/** Cuts runs so that each group of adjacent compressible marks is a run of its own, marked squeeze. */
export function compressPunctuation(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (r.squeeze) {
      out.push(r);
      continue;
    }
    const chars = Array.from(r.text);
    let plain = '';
    for (let i = 0; i < chars.length; ) {
      let j = i;
      while (j + 1 < chars.length && compressible(chars[j]!, chars[j + 1]!)) j++;
      if (j > i) {
        if (plain) out.push({ text: plain, role: r.role });
        plain = '';
        out.push({ text: chars.slice(i, j + 1).join(''), role: r.role, squeeze: true });
        i = j + 1;
      } else {
        plain += chars[i];
        i++;
      }
    }
    if (plain) out.push({ text: plain, role: r.role });
  }
  return out;
}

/** A piece of a squeezed run is squeezed only while it still holds a gap. */
function squeezed(r: Run): Run {
  if (r.squeeze && Array.from(r.text).length < 2) return { text: r.text, role: r.role };
  return r;
}

function trimEnd(runs: Run[]): Run[] {
  const out = runs.map((r) => ({ ...r }));
  while (out.length) {
    const last = out[out.length - 1]!;
    last.text = last.text.replace(/\s+$/u, '');
    if (last.text) break;
    out.pop();
  }
  return out;
}

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Joins line-break segments that lie inside one word (一般|公共|预算|拨款, never 基本支|出). */
function joinWords(segs: Segment[], text: string): Segment[] {
  const bounds = new Set<number>();
  for (const w of wordSegmenter.segment(text)) bounds.add(w.index);
  bounds.add(text.length);
  const out: Segment[] = [];
  let at = 0;
  let group: Segment[] = [];
  for (const g of segs) {
    group.push(g);
    at += g.runs.reduce((n, r) => n + r.text.length, 0);
    if (!bounds.has(at) && !g.required) continue;
    if (group.length === 1) out.push(g);
    else {
      const runs = mergeRuns(group.flatMap((x) => x.runs));
      const last = group[group.length - 1]!;
      const full = group.reduce((w, x) => w + x.full, 0);
      const inner = group.slice(0, -1).reduce((w, x) => w + x.squeezeAfter, 0);
      out.push({
        runs,
        full: full - inner,
        content: full - inner - last.full + last.content,
        required: last.required,
        parts: group,
        squeezeAfter: last.squeezeAfter,
      });
    }
    group = [];
  }
  if (group.length) out.push(...group);
  return out;
}

function segments(fonts: Fonts, runs: readonly Run[], size: number, words = false): readonly Segment[] {
  const key = `seg|${size}|${words ? 'w' : ''}|${runs.map((r) => `${r.role}:${r.text}`).join('\u0000')}`;
  return fonts.memo(key, () => {
    const segs = breakSegments(fonts, runs, size);
    return words ? joinWords(segs, runs.map((r) => r.text).join('')) : segs;
  });
}

const IDEOGRAPH = /[\u3400-\u9fff\uf900-\ufaff]/u;

/**
 * Break opportunities: the Unicode line breaking algorithm, tailored for Chinese
 * (CLREQ) where UAX #14 treats the curly quotes as ambiguous (QU, never broken
 * around): “ ‘ open — a line may end before them — and ” ’ close — a line may end
 * after them when a character follows.
 */
function breaksOf(text: string): { position: number; required: boolean }[] {
  const found = new Map<number, boolean>();
  const breaker = new LineBreaker(text);
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) found.set(bk.position, bk.required);
  for (let i = 1; i < text.length; i++) {
    if (found.has(i)) continue;
    const [a, b] = [text[i - 1]!, text[i]!];
    if ((b === '“' || b === '‘') && (IDEOGRAPH.test(a) || CLOSING.includes(a))) found.set(i, false);
    else if ((a === '”' || a === '’') && IDEOGRAPH.test(b)) found.set(i, false);
  }
  return [...found.entries()].sort((x, y) => x[0] - y[0]).map(([position, required]) => ({ position, required }));
}

function breakSegments(fonts: Fonts, runs: readonly Run[], size: number): Segment[] {
  const text = runs.map((r) => r.text).join('');
  const starts: number[] = [];
  let at = 0;
  for (const r of runs) {
    starts.push(at);
    at += r.text.length;
  }
  const out: Segment[] = [];
  const squeeze = (piece: Run[]) => compressPunctuation(piece);
  let last = 0;
  for (const bk of breaksOf(text)) {
    let end = bk.position;
    const required = bk.required;
    if (required) while (end > last && /[\r\n\u2028\u2029]/.test(text[end - 1]!)) end--;
    const piece = squeeze(splitRuns(runs, last, end, starts));
    const full = measure(fonts, piece, size);
    // Only a segment ending in white space (a space between words) hangs some of it past the line.
    const content = /\s$/u.test(text.slice(last, end)) ? measure(fonts, trimEnd(piece), size) : full;
    out.push({ runs: piece, content, full, required, squeezeAfter: 0 });
    last = bk.position;
  }
  let at2 = 0;
  for (let i = 0; i + 1 < out.length; i++) {
    at2 += out[i]!.runs.reduce((n, r) => n + r.text.length, 0);
    if (compressible(text[at2 - 1]!, text[at2]!)) out[i]!.squeezeAfter = squeezeOf(size);
  }
  return out;
}

/** Breaks a segment too wide for any line into pieces that fit, character by character. */
function splitWide(fonts: Fonts, seg: Segment, size: number, width: number): Segment[] {
  const out: Segment[] = [];
  let cur: Run[] = [];
  let w = 0;
  for (const r of seg.runs) {
    for (const ch of r.text) {
      const cw = fonts.width(r.role, ch, size);
      if (w + cw > width - EPSILON && cur.length) {
        out.push({ runs: cur, content: w, full: w, required: false, squeezeAfter: 0 });
        cur = [];
        w = 0;
      }
      const lastRun = cur[cur.length - 1];
      if (lastRun && lastRun.role === r.role) lastRun.text += ch;
      else cur.push({ text: ch, role: r.role });
      w += cw;
    }
  }
  if (cur.length)
    out.push({ runs: trimEnd(cur), content: measure(fonts, trimEnd(cur), size), full: w, required: seg.required, squeezeAfter: seg.squeezeAfter });
  return out;
}

function mergeRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && last.role === r.role && !last.squeeze && !r.squeeze) last.text += r.text;
    else if (r.text) out.push({ ...r });
  }
  return out;
}

/** Sets runs of text into lines of at most `width` points (the first line `indent` less). */
export function setLines(fonts: Fonts, runs: readonly Run[], opts: SetOptions): SetLine[] {
  return fonts.memo(`lines|${optionsKey(opts)}|${runsKey(runs)}`, () => {
    const segs = segments(fonts, runs, opts.size, opts.words);
    if (opts.justify) return fillEven(fonts, segs, opts) ?? fill(fonts, segs, opts);
    return fill(fonts, segs, opts);
  });
}

/** Keys of what was set, for remembering it (set lines are never changed afterwards). */
function optionsKey(opts: SetOptions): string {
  return `${opts.size}|${opts.width.toFixed(3)}|${opts.indent ?? 0}|${opts.justify ? 'j' : ''}|${opts.words ? 'w' : ''}`;
}
function runsKey(runs: readonly Run[]): string {
  return runs.map((r) => `${r.role}:${r.text}`).join('\u0000');
}

/** A finished line: trailing spaces dropped, runs merged, justification spacing computed. */
function finishLine(fonts: Fonts, runs: Run[], size: number, room: number, indent: number, justify: boolean): SetLine {
  // Marks set closer are grouped again over the whole line (a group may join across a break opportunity).
  const lineRuns = compressPunctuation(mergeRuns(trimEnd(runs).map((r) => ({ text: r.text, role: r.role }))));
  const parts = pieces(lineRuns);
  const natural = measure(fonts, parts, size);
  const gaps = gapCount(parts);
  let spacing = 0;
  if (gaps > 0) {
    const slack = room - EPSILON - natural;
    // Never spread a line more than half a character.
    if (justify && slack > 0 && slack / gaps <= size / 2) spacing = slack / gaps;
    // A line a hair too wide (rounding of widths) is tightened to fit.
    if (slack < 0) spacing = slack / gaps;
  }
  return { runs: lineRuns, natural, spacing, indent };
}

/** Gaps that justification spreads: between the characters of each spaced piece. */
function gapCount(parts: readonly (Run & { spaced: boolean })[]): number {
  let n = 0;
  for (const p of parts) if (p.spaced) n += Array.from(p.text).length - 1;
  return n;
}

/** Words wider than the line are given back as their line-break segments. */
function fitWords(segs: readonly Segment[], width: number): readonly Segment[] {
  if (!segs.some((g) => g.parts && g.content > width - 4 * EPSILON)) return segs;
  return segs.flatMap((g) => (g.parts && g.content > width - 4 * EPSILON ? g.parts : [g]));
}

function fill(fonts: Fonts, given: readonly Segment[], opts: SetOptions): SetLine[] {
  const { size, width } = opts;
  const firstIndent = opts.indent ?? 0;
  const lines: SetLine[] = [];
  let cur: Run[] = [];
  let used = 0;
  const avail = () => width - (lines.length === 0 ? firstIndent : 0);
  const flush = (last: boolean) => {
    const indent = lines.length === 0 ? firstIndent : 0;
    // Justify all but a paragraph's last line.
    lines.push(finishLine(fonts, cur, size, width - indent, indent, !!opts.justify && !last));
    cur = [];
    used = 0;
  };
  const all = [...fitWords(given, width - firstIndent)];
  let before = 0;
  for (let i = 0; i < all.length; i++) {
    const seg = all[i]!;
    if (cur.length && used - before + seg.content > avail() - 4 * EPSILON) flush(false);
    if (!cur.length && seg.content > avail() - 4 * EPSILON) {
      const parts = seg.parts ?? splitWide(fonts, seg, size, avail());
      if (parts.length > 1) {
        all.splice(i, 1, ...parts);
        i--;
        continue;
      }
    }
    if (!cur.length) before = 0;
    cur.push(...seg.runs);
    used += seg.full - before;
    before = seg.squeezeAfter;
    if (seg.required) flush(true);
  }
  if (cur.length || !lines.length) flush(true);
  return lines;
}

/** Stretch above which a justified line counts as loose (CLREQ: keep spacing even and small). */
export const LOOSE = 0.1;
/** Most a justified line is tightened, per gap, as a share of the type size: not to be seen. */
const SHRINK = 0.02;

/**
 * Breaks a justified paragraph for the whole paragraph at once (in the manner of
 * Knuth and Plass): where an amount that cannot be broken leaves a line short, the
 * lines before it give up a character each, so no line is stretched by more than
 * LOOSE where a break exists, and the slack is shared evenly. Lines as many as the
 * first-fit setting gives, unless one more avoids a loose line. Returns null where
 * a piece is wider than a line (left to first-fit, which splits it).
 */
function fillEven(fonts: Fonts, given: readonly Segment[], opts: SetOptions): SetLine[] | null {
  const { size, width } = opts;
  const firstIndent = opts.indent ?? 0;
  const segs = fitWords(given, width - firstIndent);
  const m = segs.length;
  if (!m || segs.some((g) => g.content > width - firstIndent - 4 * EPSILON)) return null;
  const full = [0];
  for (const g of segs) full.push(full[full.length - 1]! + g.full - g.squeezeAfter);
  // Segments a..b-1 on one line: the squeeze after the last one does not apply.
  const natural = (a: number, b: number) => full[b - 1]! - full[a]! + segs[b - 1]!.content;
  // Gaps that take spacing (an estimate of what finishLine counts): characters outside
  // amounts and words, less one per run of them (runs of neighbouring segments join),
  // less the line's last character.
  const LATIN = /[\u0021-\u007E\u00A0-\u024F]/u;
  const shape = segs.map((g) => {
    const text = g.runs.map((r) => r.text).join('');
    const runs = text.match(/[^\u0021-\u007E\u00A0-\u024F\s]+/gu) ?? [];
    return {
      chars: runs.reduce((n, r) => n + Array.from(r).length, 0),
      pieces: runs.length,
      startsSpaced: text.length > 0 && !LATIN.test(text[0]!),
      endsSpaced: text.length > 0 && !LATIN.test(text[text.length - 1]!),
    };
  });
  // Prefix sums, so that a line's gaps are counted in constant time.
  const chars = [0];
  const runs = [0];
  const joins = [0, 0];
  shape.forEach((x, i) => {
    chars.push(chars[i]! + x.chars);
    runs.push(runs[i]! + x.pieces);
    if (i > 0) joins.push(joins[i]! + (shape[i - 1]!.endsSpaced && x.startsSpaced ? 1 : 0));
  });
  const gaps = (a: number, b: number) => {
    const count = runs[b]! - runs[a]! - (joins[b]! - joins[a + 1]!);
    return Math.max(0, chars[b]! - chars[a]! - count - (shape[b - 1]!.endsSpaced ? 1 : 0));
  };
  // best[i]: least cost of setting segments 0..i-1 in lines.
  const best = new Array<number>(m + 1).fill(Infinity);
  const from = new Array<number>(m + 1).fill(-1);
  best[0] = 0;
  for (let b = 1; b <= m; b++) {
    const lastLine = b === m || segs[b - 1]!.required;
    for (let a = b - 1; a >= 0; a--) {
      if (best[a] === Infinity) continue;
      // A line never runs across a required break.
      if (a < b - 1 && segs.slice(a, b - 1).some((g) => g.required)) break;
      const room = width - (a === 0 ? firstIndent : 0) - 4 * EPSILON;
      const w = natural(a, b);
      // A line may be set a little tighter (SHRINK of the type size per gap) rather than loose.
      if (w > room + (lastLine ? 0 : gaps(a, b) * size * SHRINK)) {
        if (w > room * (1 + 2 * SHRINK)) break;
        continue;
      }
      let cost = 1000;
      if (!lastLine) {
        // Stretch: the space added between characters, as a share of the type size.
        const n = gaps(a, b);
        const stretch = n > 0 ? Math.abs(room - w) / (n * size) : room - w > size ? 1 : 0;
        cost += stretch <= LOOSE ? (100 * stretch) ** 2 : 1e6 * stretch;
      } else if (a > 0 && b - a <= 2 && lonely(segs.slice(a, b))) {
        // A paragraph never ends with one character (and its punctuation) alone on its last line.
        cost += 5000;
      }
      if (best[a]! + cost < best[b]!) {
        best[b] = best[a]! + cost;
        from[b] = a;
      }
    }
    if (lastLine && b < m && best[b] === Infinity) return null;
  }
  if (best[m] === Infinity) return null;
  const cuts: number[] = [m];
  for (let i = m; i > 0; i = from[i]!) cuts.unshift(from[i]!);
  const lines: SetLine[] = [];
  for (let j = 0; j + 1 < cuts.length; j++) {
    const a = cuts[j]!;
    const b = cuts[j + 1]!;
    const indent = a === 0 ? firstIndent : 0;
    const last = b === m || segs[b - 1]!.required;
    lines.push(
      finishLine(
        fonts,
        segs.slice(a, b).flatMap((g) => g.runs),
        size,
        width - indent,
        indent,
        !last,
      ),
    );
  }
  return lines;
}

/** A last line of one character, punctuation aside (享。). */
function lonely(segs: readonly Segment[]): boolean {
  const text = segs.flatMap((g) => g.runs.map((r) => r.text)).join('');
  return Array.from(text.replace(/[\p{P}\s]/gu, '')).length < 2;
}

/** How many lines `fill` would make (without setting them). */
function countLines(fonts: Fonts, given: readonly Segment[], opts: SetOptions): number {
  const { size, width } = opts;
  const firstIndent = opts.indent ?? 0;
  let lines = 0;
  let open = false;
  let used = 0;
  const avail = () => width - (lines === 0 ? firstIndent : 0);
  const all = [...fitWords(given, width - firstIndent)];
  let before = 0;
  for (let i = 0; i < all.length; i++) {
    const seg = all[i]!;
    if (open && used - before + seg.content > avail() - 4 * EPSILON) {
      lines++;
      open = false;
      used = 0;
    }
    if (!open) before = 0;
    if (!open && seg.content > avail() - 4 * EPSILON) {
      const parts = seg.parts ?? splitWide(fonts, seg, size, avail());
      if (parts.length > 1) {
        all.splice(i, 1, ...parts);
        i--;
        continue;
      }
    }
    open = true;
    used += seg.full - before;
    before = seg.squeezeAfter;
    if (seg.required) {
      lines++;
      open = false;
      used = 0;
    }
  }
  return open || lines === 0 ? lines + 1 : lines;
}

/**
 * Breaks segments into exactly `k` lines no wider than the width, as even as possible
 * (least sum of squared shortfalls, so 上年结/余、/结转 rather than 上年结/余、结/转).
 */
function balance(fonts: Fonts, given: readonly Segment[], opts: SetOptions, k: number): SetLine[] | null {
  const segs = fitWords(given, opts.width);
  const m = segs.length;
  if (m > 80 || opts.indent || segs.some((g) => g.required)) return null;
  const limit = opts.width - 4 * EPSILON;
  const full = [0];
  for (const g of segs) full.push(full[full.length - 1]! + g.full - g.squeezeAfter);
  const lineWidth = (a: number, b: number) => full[b - 1]! - full[a]! + segs[b - 1]!.content;
  const cost: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  const from: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(m + 1).fill(-1));
  cost[0]![0] = 0;
  for (let j = 1; j <= k; j++) {
    for (let i = j; i <= m; i++) {
      for (let a = j - 1; a < i; a++) {
        const w = lineWidth(a, i);
        if (w > limit || cost[j - 1]![a] === Infinity) continue;
        const c = cost[j - 1]![a]! + (limit - w) ** 2;
        if (c < cost[j]![i]!) {
          cost[j]![i] = c;
          from[j]![i] = a;
        }
      }
    }
  }
  if (cost[k]![m] === Infinity) return null;
  const cuts: number[] = [m];
  for (let j = k, i = m; j > 0; j--) {
    i = from[j]![i]!;
    cuts.unshift(i);
  }
  const lines: SetLine[] = [];
  for (let j = 0; j < k; j++) {
    const runs = segs.slice(cuts[j], cuts[j + 1]).flatMap((g) => g.runs);
    lines.push(finishLine(fonts, runs, opts.size, opts.width, 0, false));
  }
  return lines;
}

/**
 * Sets short text (a header, a label) in as few lines as `width` allows, with the
 * lines as even as possible: 增减变化/金额, never 增减变化金/额.
 */
export function setBalanced(fonts: Fonts, runs: readonly Run[], opts: SetOptions): SetLine[] {
  return fonts.memo(`balanced|${optionsKey(opts)}|${runsKey(runs)}`, () => {
    const segs = segments(fonts, runs, opts.size, opts.words);
    const lines = fill(fonts, segs, opts);
    if (lines.length < 2) return lines;
    return balance(fonts, segs, opts, lines.length) ?? lines;
  });
}

/** Width a text needs to fit in at most `maxLines` lines (its widest unbreakable piece at least). */
export function widthForLines(fonts: Fonts, runs: readonly Run[], opts: Omit<SetOptions, 'width'>, maxLines: number): number {
  const key = `wfl|${opts.size}|${opts.indent ?? 0}|${opts.words ? 'w' : ''}|${maxLines}|${runs.map((r) => `${r.role}:${r.text}`).join('\u0000')}`;
  return fonts.memo(key, () => searchWidth(fonts, runs, opts, maxLines));
}

function searchWidth(fonts: Fonts, runs: readonly Run[], opts: Omit<SetOptions, 'width'>, maxLines: number): number {
  const all = segments(fonts, runs, opts.size, opts.words);
  const natural = all.reduce((s, g) => s + g.full, 0) + (opts.indent ?? 0);
  let lo = Math.max(0, ...all.map((g) => g.content));
  let hi = Math.max(lo, natural) + 5 * EPSILON;
  if (countLines(fonts, all, { ...opts, width: hi }) > maxLines) return hi;
  for (let k = 0; k < 14 && hi - lo > 0.05; k++) {
    const mid = (lo + hi) / 2;
    if (countLines(fonts, all, { ...opts, width: mid }) <= maxLines) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The widest piece of a text that no line break may split (an amount, a word, a character with its punctuation). */
export function widestPiece(fonts: Fonts, runs: readonly Run[], size: number): number {
  return Math.max(0, ...segments(fonts, runs, size).map((g) => g.content)) + 5 * EPSILON;
}

export interface LineStyle {
  size: number;
  /** Line pitch as a multiple of the font's line height (pdfmake's lineHeight). */
  lineHeight: number;
  alignment?: 'left' | 'center' | 'right';
  color?: string;
}

/**
 * A line's runs cut where spacing may go: justification spreads Chinese characters
 * and punctuation, never the digits of an amount or the letters of a word. The
 * line's last character stands alone and unspaced, so the line ends exactly at the
 * margin (pdfkit adds the spacing after every character, the last one too).
 */
export function pieces(runs: readonly Run[]): (Run & { spaced: boolean })[] {
  const out: (Run & { spaced: boolean })[] = [];
  for (const r of runs) {
    // A group of squeezed marks is one piece: its gaps carry the squeeze.
    if (r.squeeze) {
      out.push({ ...r, spaced: true });
      continue;
    }
    for (const m of r.text.matchAll(/[\u0021-\u007E\u00A0-\u024F]+|[^\u0021-\u007E\u00A0-\u024F]+/gu)) {
      out.push({ text: m[0], role: r.role, spaced: !/^[\u0021-\u007E\u00A0-\u024F]/u.test(m[0]) });
    }
  }
  const last = out[out.length - 1];
  if (last?.spaced && !last.squeeze) {
    const chars = Array.from(last.text);
    if (chars.length > 1) {
      last.text = chars.slice(0, -1).join('');
      out.push({ text: chars[chars.length - 1]!, role: last.role, spaced: false });
    } else last.spaced = false;
  }
  return out;
}

/** A pdfmake node under construction (pdfmake's own types are too narrow for the extras it accepts). */
export type PdfNode = Record<string, unknown>;

/**
 * Set lines as one pdfmake text node that pdfmake will neither break differently nor
 * re-justify: each line's runs are unbreakable inlines, lines end with a forced
 * break, the first line's indent is pdfmake's leadingIndent.
 */
export function linesNode(fonts: Fonts, lines: readonly SetLine[], style: LineStyle, extra: PdfNode = {}): PdfNode {
  const text: PdfNode[] = [];
  lines.forEach((line, i) => {
    // Only justified lines are cut where spacing may go; others stay whole runs.
    const parts = line.spacing ? pieces(line.runs) : line.runs.map((r) => ({ ...r, spaced: !!r.squeeze }));
    const more = i < lines.length - 1;
    // A line followed by another ends in its last character carrying the line break
    // ("心\n" is one word to pdfmake); an empty line is the line break alone.
    const last = parts[parts.length - 1];
    if (more && last && !last.squeeze && Array.from(last.text).length > 1) {
      const chars = Array.from(last.text);
      last.text = chars.slice(0, -1).join('');
      parts.push({ text: chars[chars.length - 1]!, role: last.role, spaced: false });
    }
    parts.forEach((r, k) => {
      const breaks = more && k === parts.length - 1;
      const inline: PdfNode = { text: breaks ? `${r.text}\n` : r.text, noWrap: !breaks, ...fonts.style(r.role) };
      const spacing = (r.spaced ? line.spacing : 0) - (r.squeeze ? squeezeOf(style.size) : 0);
      if (spacing) inline.characterSpacing = spacing;
      text.push(inline);
    });
    if (more && !parts.length) text.push({ text: '\n', ...fonts.style('body') });
  });
  const node: PdfNode = {
    text: text.length ? text : '',
    fontSize: style.size,
    lineHeight: style.lineHeight,
    alignment: style.alignment ?? 'left',
    ...extra,
  };
  if (lines[0]?.indent) node.leadingIndent = lines[0].indent;
  if (style.color) node.color = style.color;
  return node;
}

/** Height pdfmake gives a set line: its tallest run's line height times the pitch factor. */
export function lineHeightOf(fonts: Fonts, line: SetLine, size: number, lineHeight: number, emptyRole: FontRole = 'body'): number {
  const roles = line.runs.length ? line.runs.map((r) => r.role) : [emptyRole];
  return Math.max(...roles.map((r) => fonts.lineHeight(r, size))) * lineHeight;
}

/** Height of a block of set lines. */
export function blockHeight(fonts: Fonts, lines: readonly SetLine[], size: number, lineHeight: number, emptyRole: FontRole = 'body'): number {
  let h = 0;
  for (const l of lines) h += lineHeightOf(fonts, l, size, lineHeight, emptyRole);
  return h;
}
