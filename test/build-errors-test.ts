// Broken input stops the build with one line per problem — file:line:col, what is
// wrong, what to do — a non-zero exit, and output/ exactly as it was.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertOutputUntouched, markPreviousOutput, runScript, tempProject } from './helpers/project.ts';

const dir = await tempProject();
const tables = join(dir, 'content/shenzhen-big-data-center/2024/tables');
const t3 = join(tables, '03-expenditure-summary.yaml');
const original = await readFile(t3, 'utf8');

async function withPreviousOutput(): Promise<string> {
  const out = join(dir, 'output');
  await markPreviousOutput(out);
  return out;
}

/** Findings are the lines that start with a file:line:col. */
function findingLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^\S+\.yaml:\d+:\d+ /.test(l));
}

test('bad indentation: one line naming file:line:col, exit 1, output untouched', async () => {
  const out = await withPreviousOutput();
  await writeFile(t3, original.replace('rows:\n  - {code: "201"', 'rows:\n - {code: "201"'));
  const r = runScript(dir, 'build');
  await writeFile(t3, original);
  assert.equal(r.status, 1);
  const lines = findingLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^content\/shenzhen-big-data-center\/2024\/tables\/03-expenditure-summary\.yaml:6:3 \[格式\] 缩进/);
  await assertOutputUntouched(out);
});

test('a string where an amount belongs: the column is named, exit 1, output untouched', async () => {
  const out = await withPreviousOutput();
  await writeFile(t3, original.replace('basic: 1552.08', 'basic: 一千五百'));
  const r = runScript(dir, 'build');
  await writeFile(t3, original);
  assert.equal(r.status, 1);
  const lines = findingLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /03-expenditure-summary\.yaml:5:\d+ \[格式\] “基本支出（basic）” 应为金额.*实际是文字 “一千五百”/);
  await assertOutputUntouched(out);
});

test('an amount with three decimals is refused, not rounded', async () => {
  const out = await withPreviousOutput();
  await writeFile(t3, original.replace('total: {total: 68098.25,', 'total: {total: 68098.255,'));
  const r = runScript(dir, 'build');
  await writeFile(t3, original);
  assert.equal(r.status, 1);
  const lines = findingLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /03-expenditure-summary\.yaml:3:16 \[格式\] 金额 “68098\.255” 无法识别/);
  await assertOutputUntouched(out);
});

test('a missing table: the missing file is named, exit 1, output untouched', async () => {
  const out = await withPreviousOutput();
  const t10 = join(tables, '10-government-fund-expenditure.yaml');
  const saved = await readFile(t10, 'utf8');
  await rm(t10);
  const r = runScript(dir, 'build');
  await writeFile(t10, saved);
  assert.equal(r.status, 1);
  const lines = findingLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /10-government-fund-expenditure\.yaml:1:1 \[完整性\] 缺少表10（政府性基金预算支出表）/);
  await assertOutputUntouched(out);
});

test('a clean build replaces the previous output', async () => {
  const out = await withPreviousOutput();
  const r = runScript(dir, 'build');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!existsSync(join(out, 'marker.txt')));
  assert.ok(existsSync(join(out, 'manifest.json')));
  assert.ok(existsSync(join(out, 'index.html')));
});
