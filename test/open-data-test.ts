// The downloads of a report, read back: each table's CSV parsed with an independent
// CSV reader equals the YAML data (amounts exact, compared as integer hundredths);
// each XLSX has the published merged header and the amounts; the JSON validates
// against the published schema and holds the same data; and every file is
// byte-identical when built again, in another time zone.

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import { creationDate } from '../src/build.ts';
import { fillTitle } from '../src/derive/titles.ts';
import { parseCents, type Cents } from '../src/model/money.ts';
import type { GridData, PerformanceData, Report, StatementData, ValueRow } from '../src/model/report.ts';
import { schemaFields } from '../src/schema/open-data.ts';
import type { ColumnNode, StatementItem, TableLayout } from '../src/schema/table-set.ts';
import { buildSample } from './helpers/build.ts';
import { runScript, tempProject } from './helpers/project.ts';

const { out, result } = await buildSample();
const doc = result.documents[0]!;
const report: Report = doc.report;
const base = join(out, report.slug, String(report.year));
const fileOf = (layout: TableLayout, ext: string) =>
  join(base, 'data', `${report.slug}-${report.year}-${String(layout.number).padStart(2, '0')}-${layout.id}.${ext}`);

/** The value columns of a layout with their header paths, walked here independently of header.ts. */
function valueColumns(layout: { columns: readonly ColumnNode[] }): { id: string; name: string }[] {
  const out: { id: string; name: string }[] = [];
  const walk = (nodes: readonly ColumnNode[], path: string[]) => {
    for (const n of nodes) {
      const title = fillTitle(n.title, report).replace(/\s+/g, '');
      if (n.children?.length) walk(n.children, [...path, title]);
      else out.push({ id: n.id!, name: [...path, title].join('/') });
    }
  };
  walk(layout.columns, []);
  return out;
}

/** JSON read back, checked field by field below. */
// biome-ignore lint/suspicious/noExplicitAny: JSON read back from a file is untyped until each field is asserted.
type Json = any;

const cents = (text: string | undefined): Cents | null => (text === undefined || text === '' ? null : parseCents(text));
const amountOf = (row: ValueRow | undefined, id: string) => row?.values[id]?.cents ?? null;

async function readCsv(layout: TableLayout): Promise<{ bytes: Buffer; records: Record<string, string>[]; columns: string[] }> {
  const bytes = await readFile(fileOf(layout, 'csv'));
  const rows = parseCsv(bytes, { bom: true, relax_column_count: false }) as string[][];
  const columns = rows[0]!;
  return { bytes, columns, records: rows.slice(1).map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]!]))) };
}

for (const layout of report.set.layouts) {
  test(`表${layout.number} CSV: UTF-8 with BOM, flattened header, and every value equal to the YAML`, async () => {
    const { bytes, records, columns } = await readCsv(layout);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'byte-order mark');
    assert.ok(bytes.includes('\r\n'), 'CRLF line ends');
    const data = report.tables[layout.id]!;
    if (layout.kind === 'grid') {
      const d = data as GridData;
      const rows = [...(d.total ? [d.total] : []), ...d.rows];
      assert.equal(records.length, rows.length);
      const cols = valueColumns(layout);
      for (const c of cols) assert.ok(columns.includes(c.name), `column ${c.name} in ${columns.join(',')}`);
      rows.forEach((row, i) => {
        const rec = records[i]!;
        for (const c of cols) assert.equal(cents(rec[c.name]), amountOf(row, c.id), `row ${i + 1} ${c.name}`);
        if (row.code) assert.equal(rec.科目编码, row.code);
        const label = row === d.total ? report.unit : (row.name ?? fillTitle(row.label ?? row.key, report));
        assert.ok(Object.values(rec).includes(label), `row ${i + 1} has its label ${label}`);
      });
      if (layout.number === 2) assert.ok(columns.includes('本年收入/财政拨款/一般公共预算拨款/小计'));
    } else if (layout.kind === 'statement') {
      const d = data as StatementData;
      const [inItem, inAmount] = [columns[0]!, columns[1]!];
      const [outCode, outItem, outAmount] = [columns[2]!, columns[3]!, columns[4]!];
      assert.match(outCode, /科目编码$/);
      const n = Math.max(layout.income.length, d.expenditure.length);
      for (let i = 0; i < n; i++) {
        const rec = records[i]!;
        const inc: StatementItem | undefined = layout.income[i];
        if (inc) {
          assert.equal(rec[inItem], inc.label);
          assert.equal(cents(rec[inAmount]), d.income[inc.key]?.cents ?? null);
        }
        const exp = d.expenditure[i];
        if (exp) {
          assert.equal(rec[outCode], exp.code);
          assert.ok(rec[outItem]!.endsWith(exp.name!), `${rec[outItem]} names ${exp.name}`);
          assert.equal(cents(rec[outAmount]), exp.values.amount?.cents ?? null);
        }
      }
      layout.footer.forEach((pair, k) => {
        const rec = records[n + k]!;
        assert.equal(rec[inItem], pair[0]!.label);
        assert.equal(cents(rec[inAmount]), d.footer[pair[0]!.key]?.cents ?? null);
        if (pair[1]) {
          assert.equal(rec[outItem], pair[1].label);
          assert.equal(cents(rec[outAmount]), d.footer[pair[1].key]?.cents ?? null);
        }
      });
      assert.equal(records.length, n + layout.footer.length);
    } else {
      const d = data as PerformanceData;
      const L = layout.labels;
      const tasks = records.filter((r) => r.栏目 === L.task);
      assert.equal(tasks.length, d.tasks.length);
      d.tasks.forEach((t, i) => {
        const rec = tasks[i]!;
        assert.equal(rec[`${L.task}/${L.level3}`], t.name.text);
        assert.equal(rec[`${L.content}/${L.target}`], t.content.text);
        assert.equal(cents(rec[`${L.budget}/${L.total}`]), t.values.total.cents);
        assert.equal(cents(rec[`${L.budget}/${L.fiscal}`]), t.values.fiscal.cents);
        assert.equal(cents(rec[`${L.budget}/${L.other}`]), t.values.other.cents);
      });
      const sum = records.find((r) => r.栏目 === L.sum)!;
      assert.equal(cents(sum[`${L.budget}/${L.total}`]), d.sum.total.cents);
      assert.equal(records.find((r) => r.栏目 === L.goal)![`${L.content}/${L.target}`], d.goal.text);
      const indicators = records.filter((r) => r.栏目 === L.indicators);
      const expected = d.indicators.flatMap((c) => c.groups.flatMap((g) => g.indicators.map((x) => [c.name.text, g.name.text, x.name.text, x.target.text])));
      assert.deepEqual(
        indicators.map((r) => [r[L.level1], r[L.level2], r[`${L.task}/${L.level3}`], r[`${L.content}/${L.target}`]]),
        expected,
      );
    }
  });
}

test('each XLSX has the caption, the merged multi-row header and every amount of its table', async () => {
  for (const model of doc.tables) {
    const layout = report.set.layouts.find((l) => l.id === model.id)!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(fileOf(layout, 'xlsx'))) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    assert.match(String(ws.getCell(1, 1).value), new RegExp(`表\\s*${model.number}`));
    const merges = new Set((ws.model as { merges?: string[] }).merges ?? []);
    const top = model.caption.subtitle ? 4 : 3;
    const col = (n: number) => String.fromCharCode(64 + n);
    for (const row of model.header.rows)
      for (const h of row) {
        if (h.colSpan === 1 && h.rowSpan === 1) continue;
        const range = `${col(h.col + 1)}${top + h.row}:${col(h.col + h.colSpan)}${top + h.row + h.rowSpan - 1}`;
        assert.ok(merges.has(range), `表${model.number}: ${h.text} merged over ${range}`);
        assert.equal(String(ws.getCell(top + h.row, h.col + 1).value).replace(/\s+/g, ''), h.text.replace(/\s+/g, ''));
      }
    if (layout.kind !== 'grid') continue;
    const d = report.tables[layout.id] as GridData;
    const rows = [...(d.total ? [d.total] : []), ...d.rows];
    const first = top + model.header.rows.length;
    const leaves = model.header.leaves;
    rows.forEach((row, i) => {
      leaves.forEach((l, k) => {
        if (l.stub) return;
        const cell = ws.getCell(first + i, k + 1);
        const expected = amountOf(row, l.id);
        if (expected === null) assert.equal(cell.value, null);
        else {
          assert.equal(Math.round(Number(cell.value) * 100), expected, `表${model.number} row ${i + 1} ${l.id}`);
          assert.equal(cell.numFmt, '#,##0.00');
        }
      });
    });
  }
});

test('XLSX files carry the report date, not the clock, and fixed ZIP timestamps', async () => {
  const expected = creationDate(report, {})
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  for (const layout of report.set.layouts) {
    const bytes = new Uint8Array(await readFile(fileOf(layout, 'xlsx')));
    const core = strFromU8(unzipSync(bytes)['docProps/core.xml']!);
    assert.ok(core.includes(`<dcterms:created xsi:type="dcterms:W3CDTF">${expected}</dcterms:created>`), core);
    assert.ok(core.includes(`<dcterms:modified xsi:type="dcterms:W3CDTF">${expected}</dcterms:modified>`), core);
    // Every local file header: DOS time 00:00:00, date 1980-01-01.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let entries = 0;
    for (let i = 0; i + 30 < bytes.length; i++) {
      if (view.getUint32(i, true) !== 0x04034b50) continue;
      assert.equal(view.getUint16(i + 10, true), 0, 'time');
      assert.equal(view.getUint16(i + 12, true), (0 << 9) | (1 << 5) | 1, 'date 1980-01-01');
      entries++;
      i += 29;
    }
    assert.ok(entries >= 5);
  }
});

test('the JSON validates against the published schema and holds the same data as the YAML', async () => {
  const schema = JSON.parse(await readFile(join(out, 'schema', 'budget-report.schema.json'), 'utf8'));
  const text = await readFile(join(base, `${report.slug}-${report.year}.json`), 'utf8');
  const data: Json = JSON.parse(text);
  const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
  const valid = (validate as (d: unknown) => boolean)(data);
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(data.$schema, '../../schema/budget-report.schema.json');
  assert.equal(data.pdf.sha256, result.manifest.reports[0]!.sha256);
  assert.equal(data.parts.length, 9);
  const exact = (v: number | null, c: Cents | null, where: string) => {
    if (c === null) return assert.equal(v, null, where);
    assert.equal(typeof v, 'number', where);
    assert.equal(Math.round(v! * 100), c, where);
    // Written with at most two decimals, as published.
    assert.ok(Math.abs(v! * 100 - c) < 1e-6, where);
  };
  assert.ok(!/\d\.\d{3,}/.test(text.replace(/"[^"]*"/g, '""')), 'no amount with more than two decimals');
  for (const layout of report.set.layouts) {
    const t: Json = data.tables.find((x: { id: string }) => x.id === layout.id);
    assert.ok(t, layout.id);
    const src = report.tables[layout.id]!;
    if (layout.kind === 'grid') {
      const d = src as GridData;
      const rows = [...(d.total ? [d.total] : []), ...d.rows];
      assert.equal(t.rows.length, rows.length);
      assert.deepEqual(
        t.columns.map((c: { name: string }) => c.name),
        valueColumns(layout).map((c) => c.name),
      );
      rows.forEach((row, i) => {
        for (const c of valueColumns(layout)) exact(t.rows[i].values[c.id], amountOf(row, c.id), `${layout.id} row ${i + 1} ${c.id}`);
        if (row.code) assert.equal(t.rows[i].code, row.code);
      });
    } else if (layout.kind === 'statement') {
      const d = src as StatementData;
      layout.income.forEach((it, i) => {
        exact(t.income[i].amount, d.income[it.key]?.cents ?? null, `${layout.id} ${it.key}`);
      });
      d.expenditure.forEach((r, i) => {
        assert.equal(t.expenditure[i].code, r.code);
        exact(t.expenditure[i].amount, r.values.amount?.cents ?? null, `${layout.id} ${r.code}`);
      });
      for (const f of t.footer) exact(f.amount, d.footer[f.key]?.cents ?? null, `${layout.id} ${f.key}`);
    } else {
      const d = src as PerformanceData;
      d.tasks.forEach((task, i) => {
        assert.equal(t.tasks[i].name, task.name.text);
        exact(t.tasks[i].amounts.total, task.values.total.cents, task.name.text);
      });
      exact(t.sum.total, d.sum.total.cents, 'sum');
      assert.equal(t.goal, d.goal.text);
    }
  }
  for (const def of report.set.figures) {
    const f = data.figures.find((x: { id: string }) => x.id === def.id);
    const v = report.figures[def.id]!;
    if (v.type === 'amount') exact(f.value, v.amount.cents, def.id);
    else if (v.type === 'count') assert.equal(f.value, v.count.count);
  }
  const projects = Object.entries(report.projects).flatMap(([cat, items]) => Object.entries(items).map(([name, a]) => [cat, name, a.cents] as const));
  assert.equal(data.projects.length, projects.length);
  projects.forEach(([cat, name, c], i) => {
    assert.deepEqual([data.projects[i].category, data.projects[i].name], [cat, name]);
    exact(data.projects[i].amount, c, name);
  });
});

test('the open-data page documents every field of the schema', async () => {
  const page = await readFile(join(out, 'schema', 'index.html'), 'utf8');
  const fields = schemaFields();
  for (const key of [
    'formatVersion',
    'tables[kind=grid].rows[].values',
    'tables[kind=grid].columns[].name',
    'tables[kind=statement].footer[].side',
    'tables[kind=performance-targets].indicators[].groups[].indicators[].target',
    'figures[].value',
    'projects[].amount',
    'parts[].blocks[type=paragraph].text',
  ]) {
    assert.ok(
      fields.some((f) => f.path === key),
      key,
    );
  }
  for (const f of fields) {
    assert.ok(f.description, `${f.path} is described`);
    // Field names carry <wbr> between their parts, so they break only there on a phone.
    assert.ok(page.replace(/<wbr>/g, '').includes(`<code>${f.path.replace(/&/g, '&amp;')}</code>`), `${f.path} is on the page`);
  }
});

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out.sort();
}

test('building again, in another time zone, gives byte-identical files', async () => {
  const dir = await tempProject();
  const r = runScript(dir, 'build', [], { TZ: 'America/New_York' });
  assert.equal(r.status, 0, r.stderr);
  const again = join(dir, 'output');
  const first = (await files(out)).map((f) => relative(out, f));
  const second = (await files(again)).map((f) => relative(again, f));
  assert.deepEqual(second, first);
  const differ: string[] = [];
  for (const f of first) if (Buffer.compare(await readFile(join(out, f)), await readFile(join(again, f))) !== 0) differ.push(f);
  assert.deepEqual(differ, []);
});
