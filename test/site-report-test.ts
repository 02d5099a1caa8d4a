// The report page of the built site holds the 9 parts and every table, with the
// published rows: each row label and amount of the seed's tables is in its table.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { findAll, findOne, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { buildSample } from './helpers/build.ts';
import { seedSentences, seedTables } from './helpers/seed.ts';

const { out, result } = await buildSample();
const entry = result.manifest.reports[0]!;
const html = await readFile(join(out, entry.html), 'utf8');
const dom = parseDocument(html);
const squash = (s: string) => s.replace(/\s+/g, '');

test('manifest names the report page, the PDF and its sha256', async () => {
  assert.equal(entry.unit, '深圳市大数据资源管理中心');
  assert.equal(entry.year, 2024);
  assert.match(entry.sha256, /^[0-9a-f]{64}$/);
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest, result.manifest);
});

test('the page has the 9 parts with every sentence of the published text', () => {
  const main = findOne((e) => e.name === 'main', dom.children, true)!;
  const text = squash(textContent(main));
  const missing = seedSentences().filter((s) => !text.includes(s));
  assert.deepEqual(missing, []);
  const headings = findAll((e) => e.name === 'h2' && /^part-\d$/.test(e.attribs.id ?? ''), dom.children);
  assert.equal(headings.length, 9);
});

for (const t of seedTables()) {
  test(`table ${t.number} is an HTML table with the published rows`, () => {
    const table = findOne((e) => e.name === 'table' && e.attribs.id === `table-${t.number}-table`, dom.children, true) as Element | null;
    assert.ok(table, `no <table id="table-${t.number}-table">`);
    const caption = findOne((e) => e.name === 'caption', table.children, true);
    assert.ok(caption && squash(textContent(caption)).includes(`表${t.number}`));
    const cells = findAll((e) => e.name === 'td' || e.name === 'th', table.children).map((c) => squash(textContent(c)));
    const missing: string[] = [];
    const pool = [...cells];
    for (const a of t.amounts) {
      const i = pool.indexOf(a);
      if (i < 0) missing.push(a);
      else pool.splice(i, 1);
    }
    for (const label of t.labels) {
      const l = squash(label).replace(/^[一二三四五六七八九十]+、/, '');
      if (!cells.some((c) => c.replace(/^[类款项]级科目：/, '').includes(l))) missing.push(label);
    }
    assert.deepEqual(missing, []);
  });
}
