// Fidelity: the built PDF, parsed back, holds every sentence of the published
// report's 9 parts and every amount and code of its 12 tables (whitespace ignored).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTINUED } from '../src/render/pdf/grid.ts';
import { buildSample, samplePdf } from './helpers/build.ts';
import { readPdf, squash, type PdfPage } from './helpers/pdf.ts';
import { seedSentences, seedTables } from './helpers/seed.ts';

const AMOUNT = /^-?\d{1,3}(,\d{3})*\.\d{2}$/;
const CODE = /^\d{3}(\d{2}){0,2}$/;

const pdf = await readPdf(await samplePdf());
// A table of the text part repeats, at the top of each page it runs onto, its header
// and the label (with （续）) and amounts of a row split there: not part of the reading text.
const { result } = await buildSample();
const repeats = result.documents[0]!.parts.flatMap((p) => p.blocks).flatMap((b) =>
  b.type === 'table'
    ? [
        squash(b.columns.join('')),
        ...b.rows.flatMap((r) => {
          const amounts = r
            .slice(1)
            .filter((c) => AMOUNT.test(c))
            .join('');
          return [squash(`${r[0]}${CONTINUED}${amounts}`), squash(`${CONTINUED}${amounts}`)];
        }),
      ]
    : [],
);
const withoutRepeats = (text: string) => {
  let t = text;
  for (let again = true; again; ) {
    again = false;
    for (const r of repeats) {
      if (r && t.startsWith(r)) {
        t = t.slice(r.length);
        again = true;
      }
    }
  }
  return t;
};
const fullText = pdf.pages.map((p, i) => (i === 0 ? p.text : withoutRepeats(p.text))).join('');

test('every sentence of the 9 text parts is in the PDF', () => {
  const sentences = seedSentences();
  const missing = sentences.filter((s) => !fullText.includes(s));
  console.log(`sentences found: ${sentences.length - missing.length}/${sentences.length}`);
  assert.ok(sentences.length > 100, `expected the seed to yield over 100 sentences, got ${sentences.length}`);
  assert.deepEqual(missing, []);
});

/** Pages of table N: from the page whose caption is 表 N to the page before the next table. */
function tablePages(n: number): PdfPage[] {
  const starts = (p: PdfPage, k: number) => p.text.replace(/^二、表格部分/, '').startsWith(`表${k}`);
  return pdf.pages.filter((p) => starts(p, n));
}

function count(list: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of list) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

for (const t of seedTables()) {
  test(`table ${t.number}: every amount and code of the published table is on its pages`, () => {
    const pages = tablePages(t.number);
    assert.ok(pages.length > 0, `no page carries the caption 表${t.number}`);
    const items = pages.flatMap((p) => p.items.map((i) => i.str.trim()));
    const amounts = count(items.filter((s) => AMOUNT.test(s)));
    const codes = count(items.filter((s) => CODE.test(s)));
    const short: string[] = [];
    for (const [a, n] of count(t.amounts)) if ((amounts.get(a) ?? 0) < n) short.push(`${a} ×${n} (found ${amounts.get(a) ?? 0})`);
    for (const [c, n] of count(t.codes)) if ((codes.get(c) ?? 0) < n) short.push(`code ${c} ×${n} (found ${codes.get(c) ?? 0})`);
    console.log(`table ${t.number}: ${t.amounts.length} amounts, ${t.codes.length} codes checked`);
    assert.deepEqual(short, []);
  });
}
