// Print quality of the official PDF, judged from the file read back (pdfjs-dist):
// justification (the spacing set between glyphs), punctuation set closer, widows,
// amounts and 表12 targets on one line, header lines broken between words, tables
// across pages (parent rows with their first child, no near-empty last page,
// heading rows repeated, split rows of the text part's table marked), padding.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableModel } from '../src/derive/table-model.ts';
import { loadFonts } from '../src/render/pdf/fonts.ts';
import { CONTINUED } from '../src/render/pdf/grid.ts';
import { MM, TABLE_MARGINS_LANDSCAPE, TABLE_MARGINS_PORTRAIT, TEXT_MARGINS } from '../src/render/pdf/page.ts';
import { planTable } from '../src/render/pdf/table.ts';
import { buildSample, ROOT, samplePdf } from './helpers/build.ts';
import { glyphRuns } from './helpers/glyphs.ts';
import { readPdf, type PdfPage } from './helpers/pdf.ts';

const { result } = await buildSample();
const doc = result.documents[0]!;
const rendered = result.pdfs.get(doc.report.id)!;
const bytes = await samplePdf();
const pdf = await readPdf(bytes);
const runs = await glyphRuns(bytes);
const fonts = await loadFonts(ROOT);

const tableOf = (page: PdfPage): number | null => {
  const label = page.items.find((i) => /^表\s*\d+$/.test(i.str.trim()));
  return label ? Number(label.str.replace(/\D/g, '')) : null;
};
const tablePages = new Map<number, PdfPage[]>();
for (const p of pdf.pages) {
  const n = tableOf(p);
  if (n !== null) tablePages.set(n, [...(tablePages.get(n) ?? []), p]);
}
const firstTablePage = tablePages.get(1)![0]!.number;
const isTextPage = (n: number) => n > rendered.frontPages && n < firstTablePage;
const PUNCT = /[\p{P}\s]/gu;
const CJK = /[\u3400-\u9fff]/u;

test('justified body lines: none stretched over 10% of the type size, measured from the spacing set between glyphs', (t) => {
  // One line: the runs drawn at one baseline of a text page in the body size.
  const lines = new Map<string, typeof runs>();
  for (const r of runs) {
    if (!isTextPage(r.page) || Math.abs(r.size - 16) > 0.01) continue;
    const key = `${r.page}:${r.y.toFixed(2)}`;
    lines.set(key, [...(lines.get(key) ?? []), r]);
  }
  const stretch = (line: typeof runs) =>
    Math.max(0, ...line.filter((r) => Array.from(r.text.replace(PUNCT, '')).length >= 2 && CJK.test(r.text)).map((r) => r.spacing / r.size));
  const all = [...lines.entries()].map(([key, line]) => ({ key, stretch: stretch(line), text: line.map((r) => r.text).join('') }));
  const loose = all.filter((l) => l.stretch > 0.1);
  const worst = all.reduce((a, b) => (b.stretch > a.stretch ? b : a));
  const share = loose.length / all.length;
  t.diagnostic(
    `body lines stretched over 10%: ${loose.length} of ${all.length} (${(100 * share).toFixed(1)}%); widest spacing ${(100 * worst.stretch).toFixed(1)}% of the type size ("${worst.text.slice(0, 16)}…")`,
  );
  assert.ok(all.length > 200, `${all.length} body lines read`);
  assert.deepEqual(
    loose.map((l) => `${l.key} ${(100 * l.stretch).toFixed(1)}% ${l.text}`),
    [],
  );
});

test('adjacent full-width punctuation is set half an em closer (”、“ takes two ems, not three)', () => {
  const pairs = runs.filter((r) => isTextPage(r.page) && /[”’）》」][、，。；：]|[、，。；：”’）][“‘（《「]/u.test(r.text));
  assert.ok(pairs.length > 0, 'the sample has adjacent punctuation');
  for (const r of pairs) {
    assert.ok(r.spacing <= -r.size / 2 + 0.15 * r.size, `page ${r.page}: "${r.text}" is drawn with ${r.spacing.toFixed(2)} pt between its marks`);
  }
});

/** Body lines of the text pages, top to bottom, with where they start. */
const sized = pdf.pages.filter((p) => isTextPage(p.number)).flatMap((p) => p.items.filter((i) => Math.abs(i.height - 16) < 0.1 && i.str.trim()));
const fontUse = new Map<string, number>();
for (const i of sized) fontUse.set(i.fontName, (fontUse.get(i.fontName) ?? 0) + i.str.length);
/** The body face: the one most text of the text pages is set in. */
const bodyFont = [...fontUse.entries()].sort((a, b) => b[1] - a[1])[0]![0];

function bodyLines(page: PdfPage): { x: number; text: string }[] {
  const items = page.items.filter((i) => Math.abs(i.height - 16) < 0.1 && i.fontName === bodyFont && i.str.trim() && !/^—\s*\d+\s*—$/.test(i.str.trim()));
  const ys = [...new Set(items.map((i) => i.y.toFixed(1)))].map(Number).sort((a, b) => b - a);
  return ys.map((y) => {
    const on = items.filter((i) => Math.abs(i.y - y) < 0.1).sort((a, b) => a.x - b.x);
    return { x: on[0]!.x, text: on.map((i) => i.str).join('') };
  });
}

test('widows and orphans: no paragraph ends with one character alone; no page begins or ends with one line of a paragraph', () => {
  const left = TEXT_MARGINS[0];
  const problems: string[] = [];
  const pages = pdf.pages.filter((p) => isTextPage(p.number));
  const starts = (l: { x: number }) => Math.abs(l.x - left - 32) < 0.5;
  const continues = (l: { x: number }) => Math.abs(l.x - left) < 0.5;
  pages.forEach((page, k) => {
    const lines = bodyLines(page);
    lines.forEach((l, i) => {
      const next = lines[i + 1];
      const ends = !next || !continues(next);
      if (continues(l) && ends && Array.from(l.text.replace(PUNCT, '')).length < 2) problems.push(`page ${page.number}: last line "${l.text}" alone`);
    });
    const first = lines[0];
    const second = lines[1];
    if (first && continues(first) && (!second || !continues(second)))
      problems.push(`page ${page.number} begins with the last line of a paragraph: "${first.text}"`);
    const last = lines[lines.length - 1];
    const following = pages[k + 1] ? bodyLines(pages[k + 1]!)[0] : undefined;
    if (last && starts(last) && following && continues(following)) problems.push(`page ${page.number} ends with the first line of a paragraph: "${last.text}"`);
  });
  assert.deepEqual(problems, []);
});

const onPages = (n: number) => (tablePages.get(n) ?? []).flatMap((p) => p.items.map((i) => i.str.trim()));

test('no amount wraps: every amount of every table stands whole on one line', () => {
  for (const t of doc.tables) {
    const items = new Set(onPages(t.number));
    for (const row of t.body) {
      for (const c of row.cells) {
        if (c.kind === 'amount' && c.text) assert.ok(items.has(c.text), `表${t.number}: ${c.text} (${row.key}) is not printed whole`);
      }
    }
  }
});

test('表12: no target value wraps (widths follow what the columns hold)', () => {
  const form = doc.tables.find((t) => t.kind === 'performance-targets')!;
  const items = new Set(onPages(form.number));
  const targets = form.body.filter((r) => r.role === 'row' && r.key.includes('/')).map((r) => r.cells[r.cells.length - 1]!.text);
  assert.ok(targets.length > 10);
  for (const target of targets) assert.ok(items.has(target), `target "${target}" wraps`);
});

test('header lines never split a word of two or more characters where the cell could hold it', () => {
  const words = new Intl.Segmenter('zh', { granularity: 'word' });
  const split: string[] = [];
  for (const t of doc.tables) {
    const plan = planTable(t, fonts);
    const printed = new Set(onPages(t.number));
    for (const c of plan.spec.cells.filter((x) => x.row < plan.spec.headerRows)) {
      const lines = plan.lines.get(c)!.map((l) => l.runs.map((r) => r.text).join(''));
      for (const l of lines) assert.ok(printed.has(l), `表${t.number}: header line "${l}" is not in the PDF`);
      let at = 0;
      const breaks = new Set(lines.slice(0, -1).map((l) => (at += l.length)));
      const width = plan.widths.slice(c.col, c.col + c.colSpan).reduce((s, w) => s + w, 0);
      for (const w of words.segment(c.text)) {
        const inside = [...breaks].some((b) => b > w.index && b < w.index + w.segment.length);
        if (inside && w.segment.length >= 2 && fonts.width(c.role, w.segment, plan.size) <= width) split.push(`表${t.number}: ${lines.join('/')}`);
      }
    }
  }
  assert.deepEqual(split, []);
});

/** The page (index among the table's pages) where each body row's key first appears. */
function rowPagesOf(t: TableModel): { key: string; level: number | undefined; page: number }[] {
  const pages = tablePages.get(t.number)!;
  return t.body.map((row) => {
    const code = row.cells.find((c) => c.kind === 'code')?.text;
    const label = row.cells.find((c) => c.kind === 'label')?.text ?? '';
    const key = code || label;
    const ranked = row.cells.filter((c) => c.rank);
    const level = ranked.length ? Math.max(...ranked.map((c) => c.level)) : undefined;
    const page = pages.findIndex((p) => p.items.some((i) => i.str.trim() === key));
    return { key, level, page };
  });
}

test('tables across pages: a parent row shares a page with its first child; no last page of one or two rows', () => {
  let multi = 0;
  for (const t of doc.tables) {
    const pages = tablePages.get(t.number)!;
    if (pages.length < 2) continue;
    multi++;
    const rows = rowPagesOf(t).filter((r) => r.page >= 0);
    for (let i = 0; i + 1 < rows.length; i++) {
      const [a, b] = [rows[i]!, rows[i + 1]!];
      if (a.level !== undefined && b.level !== undefined && b.level > a.level) {
        assert.equal(a.page, b.page, `表${t.number}: ${a.key} and its first child ${b.key} are on different pages`);
      }
    }
    if (t.kind !== 'performance-targets') {
      const last = rows.filter((r) => r.page === pages.length - 1).length;
      assert.ok(last >= 3, `表${t.number}: its last page holds ${last} rows`);
    }
  }
  assert.ok(multi >= 2, 'the sample has tables over several pages');
});

test('表12: the heading rows of the indicators repeat on each page they continue on', () => {
  const form = doc.tables.find((t) => t.kind === 'performance-targets')!;
  const heading = form.body.find((r) => r.role === 'section' && r.cells.every((c) => c.isHeader) && r.cells.length >= 4)!;
  const labels = heading.cells.slice(1).map((c) => c.text);
  const pages = tablePages.get(form.number)!;
  const indicators = form.body.filter((r) => r.role === 'row' && r.key.includes('/')).map((r) => r.cells[r.cells.length - 2]!.text);
  const withIndicators = pages.filter((p) => indicators.some((name) => p.items.some((i) => i.str.trim() === name)));
  assert.ok(withIndicators.length >= 2, 'the indicators run over several pages');
  for (const p of withIndicators) {
    for (const l of labels)
      assert.ok(
        p.items.some((i) => i.str.trim() === l),
        `page ${p.number}: ${l} is not repeated`,
      );
  }
});

test('the text part’s table repeats its header on every page, and a row split across pages repeats its label (续) and amount', () => {
  const block = doc.parts.flatMap((p) => p.blocks).find((b) => b.type === 'table');
  assert.ok(block && block.type === 'table');
  const pages = pdf.pages.filter((p) => isTextPage(p.number) && p.items.some((i) => i.str.trim() === block.columns[0]));
  assert.ok(pages.length >= 2, 'the table runs over several pages');
  const continued = pages.flatMap((p) => p.items.filter((i) => i.str.includes(CONTINUED.slice(1, -1))).map((i) => ({ p, i })));
  assert.ok(continued.length >= 1, 'a split row is marked （续）');
  for (const { p } of continued) {
    const amounts = block.rows.map((r) => r.find((c) => /^[\d,]+\.\d{2}$/.test(c))).filter(Boolean) as string[];
    assert.ok(
      p.items.some((i) => amounts.includes(i.str.trim())),
      `page ${p.number}: the continued row repeats its amount`,
    );
  }
});

test('cell padding: 1.5–2 mm between an amount and the rule at the right of its column', () => {
  for (const t of doc.tables.filter((x) => x.kind !== 'performance-targets')) {
    const page = tablePages.get(t.number)![0]!;
    const m = t.orientation === 'landscape' ? TABLE_MARGINS_LANDSCAPE : TABLE_MARGINS_PORTRAIT;
    const rule = page.width - m[2];
    const amounts = page.items.filter((i) => /^-?[\d,]+\.\d{2}$/.test(i.str.trim()));
    const right = Math.max(...amounts.map((i) => i.x + i.width));
    const gap = (rule - right) / MM;
    assert.ok(gap >= 1.5 && gap <= 2, `表${t.number}: ${gap.toFixed(2)} mm`);
  }
});
