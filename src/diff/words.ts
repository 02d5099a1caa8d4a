// Word-level comparison of Chinese text. Chinese has no spaces between words, so
// words are found with the ICU dictionary segmenter (Intl.Segmenter 'zh', word
// granularity, in Node's full ICU): 政务综合管理 → 政务|综合|管理, 68,098.25 stays one
// token. Paragraphs are matched first, then the words inside a changed paragraph.

import { diffArrays } from 'diff';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export function words(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * A run of text: the same in both years, or changed (`before` deleted, `after`
 * inserted; either may be empty). `yearShift` marks a change that is only the year
 * moving forward (2024年 → 2025年, 较2023年 → 较2024年): counted, shown, not flagged.
 */
export type Piece = { kind: 'same'; text: string } | { kind: 'changed'; before: string; after: string; yearShift: boolean };

export interface Paragraph {
  /** same: unchanged; changed: edited in place; added / removed: the whole paragraph. */
  status: 'same' | 'changed' | 'added' | 'removed';
  pieces: Piece[];
}

function isYearShift(before: string, after: string, shift: number): boolean {
  if (!shift) return false;
  const a = words(before).filter((w) => w.trim());
  const b = words(after).filter((w) => w.trim());
  if (!a.length || a.length !== b.length) return false;
  return a.every((w, i) => /^\d{4}$/.test(w) && /^\d{4}$/.test(b[i]!) && Number(b[i]) - Number(w) === shift);
}

/** Word diff of two strings; `yearShift` is year B − year A (0: no year classification). */
export function wordDiff(a: string, b: string, yearShift = 0): Piece[] {
  const out: Piece[] = [];
  let before = '';
  let after = '';
  const flush = () => {
    if (before || after) out.push({ kind: 'changed', before, after, yearShift: isYearShift(before, after, yearShift) });
    before = after = '';
  };
  for (const c of diffArrays(words(a), words(b))) {
    const text = c.value.join('');
    if (c.removed) before += text;
    else if (c.added) after += text;
    else {
      flush();
      out.push({ kind: 'same', text });
    }
  }
  flush();
  return out;
}

/** Share of the text (by characters) that is the same in both: 1 for identical. */
export function sameness(pieces: readonly Piece[]): number {
  let same = 0;
  let total = 0;
  for (const p of pieces) {
    if (p.kind === 'same') {
      same += p.text.length;
      total += p.text.length;
    } else total += Math.max(p.before.length, p.after.length);
  }
  return total ? same / total : 1;
}

/**
 * Compares two texts paragraph by paragraph: unchanged paragraphs are matched
 * whole; a run of removed and added paragraphs is paired in order and compared
 * word by word when the pair still shares most of its text, otherwise shown as a
 * paragraph removed and one added.
 */
export function paragraphDiff(a: readonly string[], b: readonly string[], yearShift = 0): Paragraph[] {
  const out: Paragraph[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const n = Math.max(removed.length, added.length);
    const tail: Paragraph[] = [];
    for (let i = 0; i < n; i++) {
      const x = removed[i];
      const y = added[i];
      if (x !== undefined && y !== undefined) {
        const pieces = wordDiff(x, y, yearShift);
        if (sameness(pieces) >= 0.4) {
          out.push({ status: 'changed', pieces });
          continue;
        }
      }
      if (x !== undefined) out.push({ status: 'removed', pieces: [{ kind: 'changed', before: x, after: '', yearShift: false }] });
      if (y !== undefined) tail.push({ status: 'added', pieces: [{ kind: 'changed', before: '', after: y, yearShift: false }] });
    }
    out.push(...tail);
    removed = [];
    added = [];
  };
  for (const c of diffArrays([...a], [...b])) {
    if (c.removed) removed.push(...c.value);
    else if (c.added) added.push(...c.value);
    else {
      flush();
      for (const p of c.value) out.push({ status: 'same', pieces: [{ kind: 'same', text: p }] });
    }
  }
  flush();
  return out;
}

/** Changes that are more than the year moving forward. */
export function realChanges(paragraphs: readonly Paragraph[]): Piece[] {
  return paragraphs.flatMap((p) => p.pieces.filter((x) => x.kind === 'changed' && !x.yearShift));
}

export function yearShifts(paragraphs: readonly Paragraph[]): number {
  return paragraphs.reduce((n, p) => n + p.pieces.filter((x) => x.kind === 'changed' && x.yearShift).length, 0);
}
