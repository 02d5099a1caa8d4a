// The PDF as a document: its 目录 (page numbers equal to where each part and table
// really starts, every entry a link there), its bookmarks, its information and
// language, its fonts, its size, and the same bytes from every build.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { creationDate } from '../src/build.ts';
import { chineseOrdinal } from '../src/derive/table-model.ts';
import { renderPdf } from '../src/render/pdf/document.ts';
import { loadFonts } from '../src/render/pdf/fonts.ts';
import { TEXT_MARGINS } from '../src/render/pdf/page.ts';
import { buildSample, ROOT, samplePdf } from './helpers/build.ts';
import { readPdf, squash, type PdfPage } from './helpers/pdf.ts';
import { runScript, tempProject } from './helpers/project.ts';

const { result } = await buildSample();
const doc = result.documents[0]!;
const rendered = result.pdfs.get(doc.report.id)!;
const bytes = await samplePdf();
const pdf = await readPdf(bytes);
const FOOTER = /^—\s*(\d+)\s*—$/;

const printedNumber = (page: PdfPage) => {
  const m = page.items.map((i) => FOOTER.exec(i.str.trim())).find((x) => x);
  return m ? Number(m[1]) : null;
};

/** The 目录 as printed: label → page number, and where each line stands. */
const toc = new Map<string, { page: number; y: number }>();
for (const p of pdf.pages.slice(0, rendered.frontPages)) {
  for (const i of p.items) {
    const m = /^(.+?)\s*\.{3,}\s*(\d+)$/.exec(i.str.trim());
    if (m) toc.set(squash(m[1]!), { page: Number(m[2]), y: i.y });
  }
}

const partLabels = doc.parts.map((p) => `${p.label} ${p.title}`);
const tableLabels = doc.tables.map((t) => `（${chineseOrdinal(t.number - 1)}）${t.title}`);

/** The first page after the 目录 whose text starts a part (its heading) or a table (its caption). */
function startPage(kind: 'part' | 'table', i: number): PdfPage {
  const body = pdf.pages.slice(rendered.frontPages);
  if (kind === 'part') return body.find((p) => p.items.some((it) => squash(it.str) === squash(partLabels[i]!)))!;
  return body.find((p) => p.items.some((it) => /^表\s*\d+$/.test(it.str.trim()) && Number(it.str.replace(/\D/g, '')) === i + 1))!;
}

test('the 目录 lists the 9 parts and the 12 tables, in order, as in the published report', () => {
  assert.deepEqual([...toc.keys()], [...partLabels, ...tableLabels].map(squash));
  const tocText = pdf.pages[1]!.text;
  assert.ok(tocText.indexOf('一、文字部分') < tocText.indexOf('第一部分') && tocText.indexOf('二、表格部分') < tocText.indexOf('（一）收支总表'));
});

test('目录 page numbers are the printed numbers of the pages where each part and table starts', () => {
  const wrong: string[] = [];
  partLabels.forEach((l, i) => {
    const page = startPage('part', i);
    if (toc.get(squash(l))?.page !== printedNumber(page)) wrong.push(`${l}: 目录 ${toc.get(squash(l))?.page}, starts on page numbered ${printedNumber(page)}`);
  });
  tableLabels.forEach((l, i) => {
    const page = startPage('table', i);
    if (toc.get(squash(l))?.page !== printedNumber(page)) wrong.push(`${l}: 目录 ${toc.get(squash(l))?.page}, starts on page numbered ${printedNumber(page)}`);
  });
  assert.deepEqual(wrong, []);
});

test('目录 leaders fill each line: every page number ends at the right margin', () => {
  const page = pdf.pages[1]!;
  const [, , right] = TEXT_MARGINS;
  const lines = page.items.filter((i) => /\.{3,}\s*\d+$/.test(i.str.trim()));
  assert.equal(lines.length, partLabels.length + tableLabels.length);
  for (const i of lines) assert.ok(Math.abs(i.x + i.width - (page.width - right)) < 0.5, `${i.str.slice(0, 12)} ends at ${(i.x + i.width).toFixed(1)}`);
});

test('every 目录 entry links to its page', () => {
  const links = pdf.pages.slice(0, rendered.frontPages).flatMap((p) => p.links);
  [...partLabels.map((l, i) => [l, startPage('part', i)] as const), ...tableLabels.map((l, i) => [l, startPage('table', i)] as const)].forEach(
    ([label, page]) => {
      const line = toc.get(squash(label))!;
      const onLine = links.filter((k) => k.rect[1]! <= line.y + 1 && k.rect[3]! >= line.y);
      assert.ok(onLine.length > 0, `${label}: no link`);
      for (const k of onLine) assert.equal(k.page, page.number, `${label} links to page ${k.page}`);
    },
  );
});

test('the bookmarks hold the 9 parts and the 12 tables, each opening its page', () => {
  const top = pdf.outlineTree.map((o) => o.title);
  assert.deepEqual(top, ['目录', '一、文字部分', '二、表格部分']);
  const parts = pdf.outlineTree[1]!.items;
  const tables = pdf.outlineTree[2]!.items;
  assert.deepEqual(
    parts.map((o) => o.title),
    partLabels,
  );
  assert.deepEqual(
    tables.map((o) => o.title),
    doc.tables.map((t) => `表${t.number} ${t.title}`),
  );
  parts.forEach((o, i) => {
    assert.equal(o.page, startPage('part', i).number, o.title);
  });
  tables.forEach((o, i) => {
    assert.equal(o.page, startPage('table', i).number, o.title);
  });
});

test('document information: title, author (the unit), subject, keywords, creation date from the data; language zh-CN', () => {
  assert.equal(pdf.info.Title, doc.title);
  assert.equal(pdf.info.Author, doc.report.unit);
  assert.match(String(pdf.info.Subject), new RegExp(`${doc.report.year}年.*${doc.report.kind}`));
  for (const k of [doc.report.unit, doc.report.department, doc.report.kind]) assert.ok(String(pdf.info.Keywords).includes(k), `keywords lack ${k}`);
  const expected = creationDate(doc.report, {});
  const d = expected.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  assert.ok(String(pdf.info.CreationDate).startsWith(`D:${d}`), `CreationDate ${pdf.info.CreationDate} ≠ ${d}`);
  const raw = Buffer.from(bytes).toString('latin1');
  assert.match(raw, /\/Lang \(zh-CN\)/);
  assert.match(raw, /\/DisplayDocTitle true/);
});

test('the creation date comes from the report or SOURCE_DATE_EPOCH, never the clock', () => {
  const r = doc.report;
  assert.equal(creationDate({ ...r, published: undefined }, { SOURCE_DATE_EPOCH: '1706745600' }).toISOString(), '2024-02-01T00:00:00.000Z');
  assert.equal(creationDate({ ...r, published: '2024-02-08' }, { SOURCE_DATE_EPOCH: '1706745600' }).toISOString(), '2024-02-07T16:00:00.000Z');
  assert.equal(creationDate({ ...r, published: undefined }, {}).toISOString(), `${r.year - 1}-12-31T16:00:00.000Z`);
});

test('every font is embedded as a subset, with Unicode maps; the file is under 1 MB', async () => {
  assert.ok(bytes.length < 1024 * 1024, `${bytes.length} bytes`);
  const dir = await mkdtemp(join(tmpdir(), 'budget-pdf-'));
  const file = join(dir, 'report.pdf');
  await writeFile(file, bytes);
  const r = spawnSync('pdffonts', [file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdffonts (poppler-utils) is needed: ${r.error?.message ?? r.stderr}`);
  const rows = r.stdout.trim().split('\n').slice(2);
  assert.ok(rows.length >= 2, r.stdout);
  for (const row of rows) {
    const [name, ...rest] = row.trim().split(/\s+/);
    const flags = rest.slice(-5, -2);
    assert.deepEqual(flags, ['yes', 'yes', 'yes'], `${name}: emb/sub/uni ${flags.join('/')}`);
    assert.match(name!, /^[A-Z]{6}\+/, `${name} is a subset`);
  }
});

test('rendering again in the same process (fonts and measurements shared) gives the same bytes', async () => {
  const fonts = await loadFonts(ROOT);
  const again = await renderPdf(doc, { fonts, creationDate: creationDate(doc.report, {}) });
  assert.ok(Buffer.from(again.bytes).equals(Buffer.from(bytes)), 'the PDFs differ');
});

test('two builds of the same sources give byte-identical PDFs (the second in a fresh process)', async () => {
  const dir = await tempProject();
  const run = runScript(dir, 'build');
  assert.equal(run.status, 0, run.stderr);
  const again = new Uint8Array(await readFile(join(dir, 'output', result.manifest.reports[0]!.pdf)));
  assert.equal(again.length, bytes.length);
  assert.ok(Buffer.from(again).equals(Buffer.from(bytes)), 'the PDFs differ');
});
