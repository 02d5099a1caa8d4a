// The schemas: generated from the table set, exported as JSON Schema where every
// YAML file's yaml-language-server line points, and accepting the bundled sample.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { loadProject } from '../src/build.ts';
import { schemaFiles } from '../src/schema/export.ts';
import { ROOT } from './helpers/build.ts';

test('the bundled 2024 report is accepted', async () => {
  const project = await loadProject(ROOT);
  assert.equal(project.reports.length, 1);
  const r = project.reports[0]!;
  assert.equal(r.unit, '深圳市大数据资源管理中心');
  assert.equal(Object.keys(r.tables).length, 12);
  assert.equal(r.narrative.length, 9);
});

test('data/schema/ is up to date (run npm run schema after changing a table set)', async () => {
  for (const [rel, text] of await schemaFiles(ROOT)) {
    assert.ok(existsSync(join(ROOT, rel)), `${rel} missing`);
    assert.equal(readFileSync(join(ROOT, rel), 'utf8'), text, `${rel} is stale`);
  }
});

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(p)));
    else if (e.name.endsWith('.yaml')) out.push(p);
  }
  return out;
}

test('every YAML source names an existing JSON Schema for the editor', async () => {
  const files = [...(await yamlFiles(join(ROOT, 'content'))), ...(await yamlFiles(join(ROOT, 'data')))];
  assert.ok(files.length >= 27);
  for (const f of files) {
    const first = readFileSync(f, 'utf8').split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    assert.ok(m, `${relative(ROOT, f)} lacks the yaml-language-server line`);
    assert.ok(existsSync(join(dirname(f), m[1]!)), `${relative(ROOT, f)} points at missing ${m[1]}`);
  }
});
