// The PDF's layout, judged from the file itself (pdfjs-dist text positions): every
// glyph inside its page's margins, landscape pages exactly for the wide tables, the
// caption and column header on every page of a table, page numbers from the first
// text page, and amounts standing in the row and under the column they belong to.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TableModel } from '../src/derive/table-model.ts';
import { TABLE_MARGINS_LANDSCAPE, TABLE_MARGINS_PORTRAIT, TEXT_MARGINS, type Margins } from '../src/render/pdf/page.ts';
import { cellPositions } from '../src/render/pdf/table.ts';
import { buildSample, samplePdf } from './helpers/build.ts';
import { readPdf, squash, type PdfPage, type TextItem } from './helpers/pdf.ts';

const { result } = await buildSample();
const doc = result.documents[0]!;
const rendered = result.pdfs.get(doc.report.id)!;
const pdf = await readPdf(await samplePdf());
const FOOTER = /^—\s*(\d+)\s*—$/;
const MM = 72 / 25.4;

/** The table whose caption (表 N) heads a page, if any. */
function tableOf(page: PdfPage): number | null {
  const label = page.items.find((i) => /^表\s*\d+$/.test(i.str.trim()));
  return label ? Number(label.str.replace(/\D/g, '')) : null;
}

const tablePages = new Map<number, PdfPage[]>();
for (const p of pdf.pages) {
  const n = tableOf(p);
  if (n !== null) tablePages.set(n, [...(tablePages.get(n) ?? []), p]);
}

function marginsOf(page: PdfPage): Margins {
  const n = tableOf(page);
  if (n === null) return TEXT_MARGINS;
  return doc.tables[n - 1]!.orientation === 'landscape' ? TABLE_MARGINS_LANDSCAPE : TABLE_MARGINS_PORTRAIT;
}

const visible = (i: TextItem) => i.str.trim().length > 0;

test('the PDF has its cover, 目录, text part and 12 tables in order', () => {
  assert.ok(pdf.pages.length >= 20, `only ${pdf.pages.length} pages`);
  assert.ok(pdf.pages[0]!.text.includes(squash(doc.report.unit)), 'the cover names the unit');
  assert.ok(pdf.pages[1]!.text.startsWith('目录'), 'page 2 is the 目录');
  assert.deepEqual(
    [...tablePages.keys()],
    doc.tables.map((t) => t.number),
    'tables appear once each, in order',
  );
  const firstTable = tablePages.get(1)![0]!.number;
  for (const p of pdf.pages.slice(rendered.frontPages, firstTable - 1)) assert.equal(tableOf(p), null, `page ${p.number} is a text page`);
});

test('the cover sets the title in deliberate lines, none of them a single character, without a page number', () => {
  const lines = pdf.pages[0]!.items.filter(visible).map((i) => i.str.trim());
  assert.equal(squash(lines.join('')), squash(doc.title));
  assert.ok(lines.length >= 2, `the title stands on ${lines.length} line(s)`);
  for (const l of lines) assert.ok(Array.from(squash(l)).length > 1, `a line of one character: ${l}`);
  assert.ok(lines.includes(doc.report.unit), 'the unit has a line of its own');
  const size = pdf.pages[0]!.items.find(visible)!.height;
  assert.ok(size >= 26, `title set at ${size} pt`);
});

test('every glyph lies inside its page margins; page numbers under the text block, odd at the right and even at the left, one character in', () => {
  const tol = 0.5;
  const outside: string[] = [];
  for (const page of pdf.pages) {
    const [left, top, right, bottom] = marginsOf(page);
    for (const i of page.items.filter(visible)) {
      // The ideographic em box of a glyph: 0.12 em below the baseline to 0.88 em above.
      const box = { x0: i.x, x1: i.x + i.width, y0: i.y - 0.12 * i.height, y1: i.y + 0.88 * i.height };
      if (FOOTER.test(i.str.trim())) {
        // GB/T 9704 7.5: odd pages at the right, even pages at the left, one character (四号, 14 pt) in.
        const n = Number(FOOTER.exec(i.str.trim())![1]);
        const place = n % 2 === 1 ? page.width - right - 14 - box.x1 : box.x0 - left - 14;
        if (Math.abs(place) > 1 || box.y0 < 10 * MM || box.y1 > bottom + tol) outside.push(`page ${page.number}: page number ${i.str} misplaced`);
        continue;
      }
      if (box.x0 < left - tol || box.x1 > page.width - right + tol || box.y0 < bottom - tol || box.y1 > page.height - top + tol) {
        outside.push(
          `page ${page.number}: "${i.str.slice(0, 20)}" at [${box.x0.toFixed(1)}, ${box.y0.toFixed(1)}, ${box.x1.toFixed(1)}, ${box.y1.toFixed(1)}]`,
        );
      }
    }
  }
  assert.deepEqual(outside, []);
});

test('text pages: 三号 body, line pitch 28–29 pt, two-character indent, justified; part headings centred', () => {
  const [left, , right] = TEXT_MARGINS;
  const firstTable = tablePages.get(1)![0]!.number;
  const textPages = pdf.pages.slice(rendered.frontPages, firstTable - 1);
  let checkedLines = 0;
  for (const page of textPages) {
    const body = page.items.filter((i) => visible(i) && Math.abs(i.height - 16) < 0.1 && !FOOTER.test(i.str.trim()));
    const ys = [...new Set(body.map((i) => i.y.toFixed(1)))].map(Number).sort((a, b) => b - a);
    for (let k = 1; k < ys.length; k++) {
      const pitch = ys[k - 1]! - ys[k]!;
      // Consecutive lines 28.5 pt apart (a heading's extra space above makes more).
      assert.ok(pitch >= 28 - 0.01, `page ${page.number}: lines ${pitch.toFixed(2)} pt apart`);
      if (pitch < 29) checkedLines++;
    }
    // A line may be drawn as several runs (punctuation set closer is a run of its own): one extent per line.
    const byLine = ys.map((y) => {
      const runs = body.filter((i) => Math.abs(i.y - y) < 0.05);
      const x = Math.min(...runs.map((i) => i.x));
      const end = Math.max(...runs.map((i) => i.x + i.width));
      return {
        x,
        y,
        width: end - x,
        str: runs
          .sort((a, b) => a.x - b.x)
          .map((i) => i.str)
          .join(''),
      };
    });
    for (const i of byLine) {
      const x0 = i.x - left;
      // A line starts at the margin, or two characters in (a paragraph's first line), or is centred (a heading).
      const centred = Math.abs(i.x + i.width / 2 - (left + page.width - right) / 2) < 1;
      assert.ok(Math.abs(x0) < 0.5 || Math.abs(x0 - 32) < 0.5 || centred, `page ${page.number}: "${i.str.slice(0, 12)}" starts ${x0.toFixed(1)} pt in`);
    }
    // Justified: a line the paragraph continues after (the next line starts at the margin) ends at the right margin.
    for (let k = 0; k + 1 < byLine.length; k++) {
      const [cur, next] = [byLine[k]!, byLine[k + 1]!];
      if (Math.abs(next.x - left) < 0.5 && cur.y - next.y < 29) {
        assert.ok(
          Math.abs(cur.x + cur.width - (page.width - right)) < 0.5,
          `page ${page.number}: "${cur.str.slice(0, 12)}" ends ${(page.width - right - cur.x - cur.width).toFixed(1)} pt short`,
        );
      }
    }
  }
  assert.ok(checkedLines > 200, `${checkedLines} line pitches checked`);
  for (const p of doc.parts) {
    const heading = pdf.pages.flatMap((pg) => pg.items.map((i) => ({ i, pg }))).find(({ i }) => squash(i.str) === squash(`${p.label} ${p.title}`))!;
    assert.ok(Math.abs(heading.i.x + heading.i.width / 2 - (left + heading.pg.width - right) / 2) < 1, `${p.label} is centred`);
  }
});

test('nothing is drawn outside the margins — rules of the widest tables included (pages rendered by poppler)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'budget-pages-'));
  const file = join(dir, 'report.pdf');
  await writeFile(file, await samplePdf());
  const dpi = 36;
  const r = spawnSync('pdftoppm', ['-r', String(dpi), '-gray', file, join(dir, 'p')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftoppm (poppler-utils) is needed: ${r.error?.message ?? r.stderr}`);
  const px = dpi / 72;
  const outside: string[] = [];
  for (const page of pdf.pages) {
    const name = (await readdir(dir)).find((f) => new RegExp(`^p-0*${page.number}\\.pgm$`).test(f))!;
    const pgm = await readFile(join(dir, name));
    // Binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    const [w, h] = [Number(header[1]), Number(header[2])];
    const data = pgm.subarray(header[0].length);
    const [left, top, right, bottom] = marginsOf(page).map((m) => m * px);
    const slack = 1.5;
    const footer = { x0: left!, x1: w - right!, y0: h - bottom!, y1: h - 10 * MM * px };
    let stray = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (data[y * w + x]! > 160) continue;
        const inside = x >= left! - slack && x <= w - right! + slack && y >= top! - slack && y <= h - bottom! + slack;
        const inFooter = x >= footer.x0 && x <= footer.x1 && y >= footer.y0 && y <= footer.y1;
        if (!inside && !inFooter) stray++;
      }
    }
    if (stray) outside.push(`page ${page.number}: ${stray} dark pixels outside the margins`);
  }
  assert.deepEqual(outside, []);
});

test('pages are numbered — N — from the first text page on; cover and 目录 are not', () => {
  pdf.pages.forEach((page, i) => {
    const numbers = page.items.map((it) => FOOTER.exec(it.str.trim())?.[1]).filter((n): n is string => !!n);
    if (i < rendered.frontPages) assert.deepEqual(numbers, [], `page ${page.number} carries no number`);
    else assert.deepEqual(numbers, [String(i + 1 - rendered.frontPages)], `page ${page.number}`);
  });
});

test('the landscape pages are exactly those of the tables laid out landscape (at least 表2, 3, 4, 5, 9)', () => {
  const wide = doc.tables.filter((t) => t.orientation === 'landscape').map((t) => t.number);
  for (const n of [2, 3, 4, 5, 9]) assert.ok(wide.includes(n), `表${n} is landscape in its layout`);
  for (const page of pdf.pages) {
    const n = tableOf(page);
    const landscape = page.width > page.height;
    assert.equal(landscape, n !== null && wide.includes(n), `page ${page.number} (${n ? `表${n}` : 'text'}) is ${landscape ? 'landscape' : 'portrait'}`);
  }
});

test('every page of a table carries its caption and its column header', () => {
  for (const t of doc.tables) {
    const pages = tablePages.get(t.number)!;
    for (const page of pages) {
      const want = [t.caption.title, t.caption.subtitle, t.caption.unitLine, t.caption.currency, ...t.header.rows.flat().map((h) => h.text)].filter(
        (s): s is string => !!s,
      );
      const missing = want.filter((s) => !page.text.includes(squash(s)));
      assert.deepEqual(missing, [], `表${t.number}, page ${page.number}`);
    }
    if (t.number === 3 || t.number === 8 || t.number === 12) assert.ok(pages.length > 1, `表${t.number} runs over more than one page`);
  }
});

test('notes stand under their tables', () => {
  for (const t of doc.tables) {
    const last = tablePages.get(t.number)!.at(-1)!;
    for (const note of t.notes) assert.ok(last.text.includes(squash(note)), `表${t.number}: ${note}`);
  }
});

/** Where a leaf column's header sits: the centre of its (centred) header text, left to right. */
function headerCentres(t: TableModel, page: PdfPage, below: number): number[] {
  const unitLine = page.items.find((i) => i.str.includes('单位：'))!;
  const band = page.items.filter((i) => visible(i) && i.y < unitLine.y - 1 && i.y > below + 1);
  const centres: number[] = [];
  let after = -Infinity;
  for (const leaf of t.header.leaves) {
    const title = squash(leaf.path[leaf.path.length - 1]!);
    const hit = band.filter((i) => title.includes(squash(i.str)) && i.x + i.width / 2 > after + 1).sort((a, b) => a.x - b.x)[0];
    assert.ok(hit, `表${t.number}: header 「${title}」 not found on page ${page.number}`);
    after = hit.x + hit.width / 2;
    centres.push(after);
  }
  return centres;
}

interface Sample {
  table: number;
  row: string;
  columns: string[];
}

// Rows by key (classification code, item name, statement item), columns by layout id.
const samples: Sample[] = [
  { table: 1, row: 'income-this-year|expenditure-this-year', columns: ['income-amount', 'expenditure-amount'] },
  { table: 3, row: '208', columns: ['total', 'basic', 'project', 'procurement'] },
  { table: 4, row: '30201', columns: ['total', 'general', 'carried-over'] },
  { table: 5, row: '信息化类', columns: ['total', 'general', 'carried-over'] },
  { table: 8, row: '30227', columns: ['total', 'basic', 'project'] },
  { table: 9, row: 'budget-year', columns: ['total-general', 'vehicle-operation-general', 'vehicle-operation-state-capital'] },
];

test('sample amounts sit in the right row (same baseline as the row label) and under their column header', () => {
  for (const s of samples) {
    const t = doc.tables[s.table - 1]!;
    const r = t.body.findIndex((b) => b.key === s.row);
    assert.ok(r >= 0, `表${s.table}: no row ${s.row}`);
    const cells = cellPositions(t.body, t.columnCount).filter((o) => o.row === r);
    const label = cells.find((o) => o.cell.kind === 'label' && o.cell.text && o.cell.rowSpan === 1)!.cell.text;
    let found = false;
    for (const page of tablePages.get(s.table)!) {
      const labelItem = page.items.find((i) => i.str.trim() === label);
      if (!labelItem) continue;
      found = true;
      const centres = headerCentres(t, page, labelItem.y);
      for (const column of s.columns) {
        const k = t.header.leaves.findIndex((l) => l.id === column);
        const amount = cells.find((o) => o.col === k)!.cell.text;
        const lo = k > 0 ? (centres[k - 1]! + centres[k]!) / 2 : -Infinity;
        const hi = k < centres.length - 1 ? (centres[k]! + centres[k + 1]!) / 2 : Infinity;
        const hit = page.items.find((i) => i.str.trim() === amount && Math.abs(i.y - labelItem.y) < 0.3 && i.x + i.width / 2 > lo && i.x + i.width / 2 < hi);
        assert.ok(hit, `表${s.table} 「${label}」 × ${column}: ${amount} is not on the label's baseline under its header (page ${page.number})`);
      }
    }
    assert.ok(found, `表${s.table}: row label 「${label}」 not found on one line`);
  }
});

test('row labels are indented by classification level (类, 款, 项)', () => {
  const t = doc.tables[6]!; // 表7, by function classification
  const page = tablePages.get(7)![0]!;
  const xOf = (code: string) => {
    const row = t.body.find((r) => r.key === code)!;
    const label = row.cells.find((c) => c.kind === 'label')!.text;
    const item = page.items.find((i) => i.str.trim() === label);
    assert.ok(item, `表7 ${code} ${label}`);
    return item.x;
  };
  const [lei, kuan, xiang] = [xOf('208'), xOf('20805'), xOf('2080502')];
  const step = kuan - lei;
  assert.ok(step > 5 && step < 15, `款 indented by ${step}`);
  assert.ok(Math.abs(xiang - kuan - step) < 0.5, `项 indented by ${xiang - kuan}`);
});

test('amounts are printed with thousands separators and two decimals, right-aligned in their columns', () => {
  const amounts = doc.tables.flatMap((t) => t.body.flatMap((r) => r.cells.filter((c) => c.kind === 'amount' && c.text))).map((c) => c.text);
  assert.ok(amounts.length > 300);
  for (const a of amounts) assert.match(a, /^-?\d{1,3}(,\d{3})*\.\d{2}$/);
  // Right-aligned: in every column of 表8, the amounts on a page end at the same x.
  const t = doc.tables[7]!;
  for (const page of tablePages.get(8)!) {
    const first = page.items.find((i) => /^\d{3,7}$/.test(i.str.trim()))!;
    const centres = headerCentres(t, page, first.y);
    for (let k = 0; k < centres.length; k++) {
      if (t.header.leaves[k]!.type !== 'amount') continue;
      const lo = (centres[k - 1]! + centres[k]!) / 2;
      const hi = k < centres.length - 1 ? (centres[k]! + centres[k + 1]!) / 2 : Infinity;
      const column = page.items.filter((i) => /^-?[\d,]+\.\d\d$/.test(i.str.trim()) && i.x + i.width / 2 > lo && i.x + i.width / 2 < hi);
      assert.ok(column.length >= 2, `表8 page ${page.number}, column ${k}`);
      const ends = new Set(column.map((i) => (i.x + i.width).toFixed(1)));
      assert.equal(ends.size, 1, `表8 page ${page.number}, column ${k}: right edges ${[...ends].join(', ')}`);
    }
  }
});
