// Random edits to the bundled report's YAML (fast-check): whatever the edit, the build
// either succeeds with every value of the sources intact in the JSON download, or fails
// with findings at file:line:col — never a stack trace — and output/ exactly as it was.
// A short run by default; PROPERTY_RUNS=200 for a long one, PROPERTY_SEED to vary the
// seed (a failure prints the seed and the path to replay it).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import { build } from '../src/build.ts';
import { describeFailure } from '../src/cli.ts';
import { InputError } from '../src/errors.ts';
import { encodeGb18030 } from './helpers/gb18030.ts';
import { markPreviousOutput, tempProject } from './helpers/project.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10);
const SEED = Number(process.env.PROPERTY_SEED ?? 20240201);

const dir = await tempProject();
const unit = 'shenzhen-big-data-center';
const reportDir = join(dir, 'content', unit, '2024');
const out = join(dir, 'output');
const files = ['report.yaml', 'narrative.yaml', ...(await readdir(join(reportDir, 'tables'))).map((f) => `tables/${f}`)].sort();
const originals = new Map(await Promise.all(files.map(async (f) => [f, await readFile(join(reportDir, f), 'utf8')] as const)));

// ------------------------------------------------------------------ edits

/** Scalars an officer (or a bad paste) might type. */
const SCALARS = [
  '0',
  '-1',
  '-0.01',
  '1,207.85',
  '"1,207.85"',
  '68098.255',
  '1e3',
  '.inf',
  'NaN',
  '0x1F',
  '99999999999999999999',
  '12.50',
  '15520800',
  'null',
  '~',
  '""',
  "''",
  'true',
  'no',
  '2024-02-30',
  '2024',
  '"2024"',
  '二〇二四',
  '[1, 2]',
  '{a: 1}',
  '*a',
  '&a x',
  '!!js/function x',
  '|',
  '"\\e[31m红色"',
  '"\\u202E反转"',
  '"\\uD800"',
  '"a\\u200Bb"',
  '𠮷',
  '😀',
  '<script>alert(1)</script>',
  '=HYPERLINK("x")',
  '"@SUM(A1)"',
  '__proto__',
  'constructor',
  '｛全角｝',
  '"：冒号"',
  '"line\\nbreak"',
  "'单引号'",
  '中文名称',
  '{{ year }}',
  '{{ constructor }}',
  '{{',
  '}}',
];
/** Lines that might be pasted in. */
const LINES = [
  '__proto__: 1',
  'constructor: 2',
  'year： 2024',
  '\tyear: 2024',
  '\u3000\u3000year: 2024',
  'extra: 1',
  '- item',
  '---',
  '...',
  '# 注释',
  '',
  ' ',
  'a: &x [1]',
  'b: *x',
  'total: {total: 1,207.85}',
  'published: 2024-02-30',
  '  - {code: "201", name: 新增, total: 1}',
  'notes: [注：新增]',
];
const CHARS = [
  ':',
  '-',
  ' ',
  '\t',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  '\u0000',
  '\u001b',
  '\u202e',
  '\u200b',
  '\ufeff',
  '中',
  '：',
  '，',
  '\n',
  '\r\n',
];

type Edit =
  | { kind: 'value'; file: number; line: number; scalar: string }
  | { kind: 'insert'; file: number; line: number; text: string }
  | { kind: 'delete'; file: number; line: number }
  | { kind: 'duplicate'; file: number; line: number }
  | { kind: 'swap'; file: number; line: number; other: number }
  | { kind: 'chars'; file: number; at: number; text: string }
  | { kind: 'truncate'; file: number; at: number }
  | { kind: 'comment'; file: number; line: number }
  | { kind: 'han'; file: number; at: number; ch: string }
  | { kind: 'gb18030'; file: number };

const index = fc.nat({ max: 10_000 });
const fileIndex = fc.nat({ max: files.length - 1 });
const hostile = [
  fc.record({ kind: fc.constant('value' as const), file: fileIndex, line: index, scalar: fc.constantFrom(...SCALARS) }),
  fc.record({ kind: fc.constant('insert' as const), file: fileIndex, line: index, text: fc.constantFrom(...LINES) }),
  fc.record({ kind: fc.constant('delete' as const), file: fileIndex, line: index }),
  fc.record({ kind: fc.constant('duplicate' as const), file: fileIndex, line: index }),
  fc.record({ kind: fc.constant('swap' as const), file: fileIndex, line: index, other: index }),
  fc.record({
    kind: fc.constant('chars' as const),
    file: fileIndex,
    at: index,
    text: fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 3 }).map((a) => a.join('')),
  }),
  fc.record({ kind: fc.constant('truncate' as const), file: fileIndex, at: index }),
  fc.record({ kind: fc.constant('gb18030' as const), file: fileIndex }),
];
// Edits that usually keep the report valid, weighted so that the success branch — every
// value intact in the JSON — is exercised in a short run too.
const benign = [
  fc.record({ kind: fc.constant('comment' as const), file: fileIndex, line: index }),
  fc.record({ kind: fc.constant('han' as const), file: fileIndex, at: index, ch: fc.constantFrom('甲', '乙', '丙', '丁') }),
];
const edit: fc.Arbitrary<Edit> = fc.oneof(...hostile.map((arbitrary) => ({ arbitrary, weight: 1 })), ...benign.map((arbitrary) => ({ arbitrary, weight: 4 })));

/** The text (or bytes) of a file after an edit. */
function apply(text: string, e: Edit): string | Uint8Array {
  const lines = text.split('\n');
  const line = 'line' in e ? e.line % lines.length : 0;
  switch (e.kind) {
    case 'value': {
      // The value after the first ": " of the line, or the item after "- ".
      const m = /^(\s*(?:- )?[^:#]*?:\s)(.*)$/.exec(lines[line]!) ?? /^(\s*- )(.*)$/.exec(lines[line]!);
      lines[line] = m ? `${m[1]}${e.scalar}` : `${lines[line]} ${e.scalar}`;
      return lines.join('\n');
    }
    case 'insert':
      lines.splice(line, 0, e.text);
      return lines.join('\n');
    case 'delete':
      lines.splice(line, 1);
      return lines.join('\n');
    case 'duplicate':
      lines.splice(line, 0, lines[line]!);
      return lines.join('\n');
    case 'swap': {
      const o = e.other % lines.length;
      [lines[line], lines[o]] = [lines[o]!, lines[line]!];
      return lines.join('\n');
    }
    case 'chars': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, e.at % (text.length + 1));
    case 'comment':
      lines.splice(line, 0, '# 说明');
      return lines.join('\n');
    case 'han': {
      const hans = [...text.matchAll(/\p{Script=Han}/gu)];
      if (!hans.length) return text;
      const m = hans[e.at % hans.length]!;
      return text.slice(0, m.index) + e.ch + text.slice(m.index + m[0].length);
    }
    case 'gb18030':
      return encodeGb18030(text);
  }
}

// ------------------------------------------------------------------ what must hold

async function outputSnapshot(): Promise<Record<string, string>> {
  const names = existsSync(out) ? await readdir(out) : [];
  return Object.fromEntries(
    await Promise.all(
      names.sort().map(
        async (n) =>
          [
            n,
            createHash('sha256')
              .update(await readFile(join(out, n)))
              .digest('hex'),
          ] as const,
      ),
    ),
  );
}

/** Hundredths of an amount as the YAML states it, read without the project's loader. */
function cents(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(String(v).replace(/,/g, ''));
  return Math.round(n * 100);
}

const jsonCents = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100));

type Json = Record<string, unknown>;

/** Every amount, code and name of the sources, as an independent YAML reading gives them, is in the JSON download. */
async function assertValuesIntact(): Promise<void> {
  const data = JSON.parse(await readFile(join(out, unit, '2024', `${unit}-2024.json`), 'utf8')) as Json;
  const tables = new Map((data.tables as Json[]).map((t) => [t.id as string, t]));
  const report = parse(await readFile(join(reportDir, 'report.yaml'), 'utf8')) as Json;
  assert.equal(data.unit, report.unit);
  assert.equal(data.department, report.department);
  for (const f of data.figures as Json[]) {
    const stated = (report.figures as Json)[f.id as string];
    if (f.type === 'amount') assert.equal(jsonCents(f.value), cents(stated), `figure ${f.id}`);
    else if (f.type === 'count') assert.equal(f.value, stated ?? null, `figure ${f.id}`);
  }
  const projects = Object.entries((report.projects ?? {}) as Record<string, Json>).flatMap(([category, items]) =>
    Object.entries(items).map(([name, v]) => ({ category, name, amount: cents(v) })),
  );
  assert.deepEqual(
    (data.projects as Json[]).map((p) => ({ category: p.category, name: p.name, amount: jsonCents(p.amount) })),
    projects,
  );
  for (const file of files.filter((f) => f.startsWith('tables/'))) {
    const y = parse(await readFile(join(reportDir, file), 'utf8')) as Json;
    const t = tables.get(y.table as string)!;
    assert.ok(t, file);
    if (t.kind === 'grid') {
      const cols = (t.columns as Json[]).map((c) => c.id as string);
      const rows = t.rows as Json[];
      const source: Json[] = [
        ...(y.total ? [y.total as Json] : []),
        ...(Array.isArray(y.rows) ? (y.rows as Json[]) : Object.values((y.rows ?? {}) as Record<string, Json>)),
      ];
      assert.equal(rows.length, source.length, `${file}: rows`);
      rows.forEach((r, i) => {
        const s = source[i]!;
        if (s.code !== undefined) assert.equal(r.code, String(s.code), `${file} row ${i} code`);
        if (s.name !== undefined && r.role === 'row') assert.equal(r.name, s.name, `${file} row ${i} name`);
        for (const c of cols) assert.equal(jsonCents((r.values as Json)[c]), cents(s[c]), `${file} row ${i} ${c}`);
      });
    } else if (t.kind === 'statement') {
      for (const i of t.income as Json[]) assert.equal(jsonCents(i.amount), cents((y.income as Json)[i.key as string]), `${file} income ${i.key}`);
      for (const i of t.footer as Json[]) assert.equal(jsonCents(i.amount), cents((y.footer as Json)[i.key as string]), `${file} footer ${i.key}`);
      const ex = y.expenditure as Json[];
      assert.equal((t.expenditure as Json[]).length, ex.length, `${file}: expenditure rows`);
      (t.expenditure as Json[]).forEach((r, i) => {
        assert.equal(r.code, String(ex[i]!.code));
        assert.equal(r.name, ex[i]!.name);
        assert.equal(jsonCents(r.amount), cents(ex[i]!.amount), `${file} expenditure ${i}`);
      });
    } else {
      const tasks = y.tasks as Json[];
      (t.tasks as Json[]).forEach((task, i) => {
        assert.equal(task.name, tasks[i]!.name);
        for (const k of ['total', 'fiscal', 'other']) assert.equal(jsonCents((task.amounts as Json)[k]), cents(tasks[i]![k]), `${file} task ${i} ${k}`);
      });
      for (const k of ['total', 'fiscal', 'other']) assert.equal(jsonCents((t.sum as Json)[k]), cents((y.sum as Json)[k]), `${file} sum ${k}`);
    }
  }
}

test(`random edits of the bundled YAML: published intact, or refused at file:line:col with output/ untouched (${RUNS} runs, seed ${SEED})`, async () => {
  let built = 0;
  let refusedCount = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 2 }), async (edits) => {
      await markPreviousOutput(out);
      const before = await outputSnapshot();
      const changed = new Set<string>();
      try {
        for (const e of edits) {
          const file = files[e.file]!;
          const path = join(reportDir, file);
          const current = await readFile(path, 'utf8');
          await writeFile(path, apply(current, e));
          changed.add(file);
        }
        let failure: unknown = null;
        try {
          await build({ root: dir, outDir: out, env: {} });
        } catch (e) {
          failure = e;
        }
        if (failure === null) {
          built++;
          await assertValuesIntact();
          return;
        }
        refusedCount++;
        const report = describeFailure(failure, { root: dir });
        assert.ok(failure instanceof InputError, `not a finding but: ${report.lines.join('\n')}`);
        assert.equal(report.exitCode, 1);
        assert.ok(report.lines.length > 0);
        for (const line of report.lines) {
          assert.match(line, /^[^\s:]+(?:\/[^\s:]+)*:\d+:\d+ (警告 )?\[[^\]]+\] /, `not a file:line:col line: ${line}`);
          assert.doesNotMatch(line, /^\s+at |\n/, 'no stack trace');
        }
        assert.deepEqual(await outputSnapshot(), before, 'output/ changed');
        assert.ok(!existsSync(`${out}.staging`) && !existsSync(`${out}.lock`));
      } finally {
        for (const f of changed) await writeFile(join(reportDir, f), originals.get(f)!);
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  console.log(`property: ${built} edits built and published intact, ${refusedCount} refused with positions`);
});
