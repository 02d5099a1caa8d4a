// Mutation test of the checker: single corruptions of the bundled report — an
// amount changed by 0.01 or by 100, two digits swapped, a row dropped, duplicated,
// recoded or renamed, a narrative reference pointed at the wrong cell, a literal
// amount, contradicting wording, a placeholder, … — each applied alone to a
// temporary copy, each required to be reported at its file and line.
// MUTATIONS=all runs every amount of every table instead of a sample.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkReport, tightCells } from '../src/check/check.ts';
import { InputError, formatFinding, type Finding } from '../src/errors.ts';
import { loadReport } from '../src/load/report.ts';
import { ROOT } from './helpers/build.ts';
import { copyContent, loadSample, REPORT } from './helpers/sample.ts';
import { allCells, cellMutations, rowMutations, sampleCells, textMutations, type Mutation } from './helpers/mutations.ts';

const { sets, rules, seed } = await loadSample();
const dir = await copyContent('budget-mutations-');

async function findingsOf(): Promise<Finding[]> {
  try {
    const report = await loadReport(join(dir, REPORT), sets, { root: dir });
    return checkReport(report, rules);
  } catch (e) {
    if (e instanceof InputError) return e.findings;
    throw e;
  }
}

async function run(m: Mutation): Promise<{ caught: boolean; findings: Finding[] }> {
  const path = join(dir, m.file);
  const original = await readFile(path, 'utf8');
  await writeFile(path, m.apply(original));
  try {
    const findings = (await findingsOf()).filter((f) => f.severity === 'error');
    const caught = findings.some((f) => f.at?.file === m.expect.file && m.expect.lines.includes(f.at.line));
    return { caught, findings };
  } finally {
    await writeFile(path, original);
  }
}

const cells = process.env.MUTATIONS === 'all' ? allCells(seed) : sampleCells(seed);
const tight = tightCells(seed, rules);
const mutations: Mutation[] = [...cells.flatMap((c) => cellMutations(c, tight)), ...rowMutations(seed, ROOT), ...textMutations(seed, ROOT)];

test('the unmutated copy is clean', async () => {
  assert.deepEqual((await findingsOf()).map(formatFinding), []);
});

test(`every single corruption is reported at its file and line`, async () => {
  assert.ok(mutations.length >= 50, `only ${mutations.length} mutations`);
  const missed: string[] = [];
  for (const m of mutations) {
    const r = await run(m);
    if (!r.caught) {
      missed.push(
        `${m.name}\n    expected ${m.expect.file}:${m.expect.lines.join('|')}\n${r.findings.map((f) => `    got ${formatFinding(f)}`).join('\n') || '    got nothing'}`,
      );
    }
  }
  const caught = mutations.length - missed.length;
  const kinds = new Map<string, number>();
  for (const m of mutations) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
  console.log(`mutations: ${mutations.length}, caught at the right file and line: ${caught} (${((caught / mutations.length) * 100).toFixed(1)}%)`);
  console.log(`  ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  assert.deepEqual(missed, []);
});
