// Malformed or hostile input, one test per class: the build refuses it with a clear
// message naming file:line:col and leaves the previous output/ exactly as it was
// (no half-written site or PDF). YAML from one unit must never run code on the
// machine that builds every unit's report. (Exit code and the printed lines of
// `npm run build` itself: the last-but-one test here and test/build-errors-test.ts.)

import assert from 'node:assert/strict';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from '../src/build.ts';
import { formatFinding, InputError } from '../src/errors.ts';
import { ROOT } from './helpers/build.ts';
import { assertOutputUntouched, markPreviousOutput, runScript, tempProject } from './helpers/project.ts';

const dir = await tempProject();
// The rules are edited below: this copy gets its own data/ instead of the link.
await rm(join(dir, 'data'));
await cp(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
const REPORT = 'content/shenzhen-big-data-center/2024';
const out = join(dir, 'output');

/**
 * Builds with `file` changed by `edit`; returns the finding lines (file:line:col …).
 * In-process (the build function the CLI calls) for speed; `cli: true` runs
 * `npm run build`'s script and checks its exit code and closing message too.
 */
async function buildWith(file: string, edit: (text: string) => string, cli = false): Promise<string[]> {
  await markPreviousOutput(out);
  const path = join(dir, file);
  const original = await readFile(path, 'utf8');
  await writeFile(path, edit(original));
  try {
    let lines: string[];
    if (cli) {
      const r = runScript(dir, 'build');
      assert.equal(r.status, 1, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /output\/ 保持不变/);
      lines = r.stderr.split('\n').filter((l) => /^\S+\.yaml:\d+:\d+ /.test(l));
    } else {
      const err = await build({ root: dir, outDir: out, env: {} }).then(
        () => assert.fail('the build succeeded'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof InputError, String(err));
      lines = err.findings.map(formatFinding);
    }
    await assertOutputUntouched(out);
    return lines;
  } finally {
    await writeFile(path, original);
  }
}

test('an alias bomb is refused before anything is expanded', async () => {
  const bomb = ['a: &a ["x", "x"]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [*${'abcdefghij'[i]}, *${'abcdefghij'[i]}]`)].join('\n');
  const lines = await buildWith(`${REPORT}/tables/09-three-public-expenses.yaml`, (t) => `${t}\n${bomb}\n`);
  assert.ok(lines.length >= 2);
  assert.match(lines[0]!, /09-three-public-expenses\.yaml:\d+:\d+ \[格式\] 不支持 YAML 锚点（&a），请删除 \(YAML anchors are not allowed\)/);
  assert.ok(lines.some((l) => /\[格式\] 不支持 YAML 别名（\*名称），请直接写出内容/.test(l)));
});

test('a file over the size limit is refused', async () => {
  const lines = await buildWith(`${REPORT}/narrative.yaml`, (t) => t.replace('glossary: |-', `glossary: |-\n  ${'很长的文字。'.repeat(400_000)}\n`));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /narrative\.yaml:1:1 \[文件\] 文件过大（\d+ 字节，上限 2097152 字节），请检查是否误粘贴了大量内容 \(file too large\)/);
});

test('nesting deep enough to exhaust the stack is refused, not crashed on', async () => {
  const lines = await buildWith(`${REPORT}/report.yaml`, (t) => t.replace('vehicles: 3', `vehicles: ${'['.repeat(50_000)}${']'.repeat(50_000)}`));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /report\.yaml:\d+:\d+ \[格式\] 嵌套层级过深（超过 32 层），请检查括号 \[ \] \{ \} 与缩进 \(nesting too deep\)/);
});

test('an unknown key is named with the keys allowed', async () => {
  const lines = await buildWith(`${REPORT}/tables/07-general-budget-by-function.yaml`, (t) =>
    t.replace('total: {total: 68098.25, basic: 2757.38, project: 65340.87}', 'total: {total: 68098.25, basic: 2757.38, projects: 65340.87}'),
  );
  assert.deepEqual(lines, [
    `${REPORT}/tables/07-general-budget-by-function.yaml:3:8 [格式] “total” 中缺少必填项 “project”，请补上 (missing required key "project")`,
    `${REPORT}/tables/07-general-budget-by-function.yaml:3:42 [格式] 未知的键 “projects”，请检查拼写；可用的键：total、basic、project (unknown key "projects")`,
  ]);
});

test('a wrong type is named with what was expected', async () => {
  const lines = await buildWith(`${REPORT}/report.yaml`, (t) => t.replace('year: 2024', 'year: 二〇二四'));
  assert.deepEqual(lines, [`${REPORT}/report.yaml:4:7 [格式] “year” 应为整数，实际是文字 “二〇二四” (expected integer)`]);
});

test('a duplicate key is refused at the second one', async () => {
  const lines = await buildWith(`${REPORT}/report.yaml`, (t) => t.replace('  vehicles: 3\n', '  vehicles: 3\n  vehicles: 4\n'));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /report\.yaml:\d+:3 \[格式\] 同一层级出现了重复的键，请删除或合并重复的一项/);
});

test('a custom tag (code or objects in YAML) is refused', async () => {
  const lines = await buildWith(`${REPORT}/report.yaml`, (t) =>
    t.replace('assets-as-of: 2023年10月', 'assets-as-of: !!js/function "function () { return process.exit(3) }"'),
  );
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /report\.yaml:\d+:17 \[格式\] 不支持的标签，请删除/);
});

test('a reference that tries to run code is an unknown reference, not code', async () => {
  const lines = await buildWith(`${REPORT}/narrative.yaml`, (t) => t.replace('共6个部门', '共{{ constructor.constructor("return process")() }}个部门'));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /narrative\.yaml:23:\d+ \[引用\] 无法识别的内容 “\("return process"\)\(\)”；引用写作 \{\{ 路径 \| 过滤器 \}\}/);
});

test('numbers that disagree stop the build: nothing is published', async () => {
  const lines = await buildWith(`${REPORT}/tables/02-income-summary.yaml`, (t) => t.replace('total: {total: 68098.25,', 'total: {total: 68089.25,'), true);
  assert.ok(lines.length >= 2, lines.join('\n'));
  assert.ok(
    lines.every((l) => l.startsWith(`${REPORT}/tables/02-income-summary.yaml:3:16 `)),
    lines.join('\n'),
  );
  assert.ok(
    lines.includes(
      `${REPORT}/tables/02-income-summary.yaml:3:16 [表间勾稽] 表2 收入总表 合计 收入总计 68,089.25 ≠ 表1 收支总表 收入总计 68,098.25（差 9.00 万元） (rule t2-t1-income-total: 68,089.25 should equal 68,098.25, difference 9.00)`,
    ),
    lines.join('\n'),
  );
});

test('a mistake in the rules file is reported at its line; no report is built with broken rules', async () => {
  const lines = await buildWith('data/table-sets/shenzhen-2024/rules.yaml', (t) =>
    t.replace(
      'expect: "income-summary.total.total = income-expenditure-summary.footer.income-total"',
      'expect: "income-summary.total.total = income-expenditure-summary.footer.income-totl"',
    ),
  );
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^data\/table-sets\/shenzhen-2024\/rules\.yaml:\d+:\d+ \[规则\] 规则 t2-t1-income-total：“income-expenditure-summary\.footer\.income-totl”：表1 的 footer 中没有 income-totl/,
  );
});
