// The consistency checks: the bundled report passes clean; the rounding tolerance;
// messages that name the file, the line, what was expected and what was found;
// each kind of rule on a targeted corruption; the rules file rejected clearly when
// it is wrong; npm run check and its --json output.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkReport } from '../src/check/check.ts';
import { cellsOf } from '../src/check/cells.ts';
import { ExpressionError, parseExpression } from '../src/check/expression.ts';
import { checkProject } from '../src/check/project.ts';
import { loadRules } from '../src/check/rules.ts';
import { partsOf, withinRounding } from '../src/check/tolerance.ts';
import { LocatedReferenceError, renderTemplate } from '../src/derive/reference.ts';
import { formatFinding, InputError, type Finding } from '../src/errors.ts';
import { loadReport } from '../src/load/report.ts';
import { ROOT } from './helpers/build.ts';
import { copyContent, loadSample, REPORT } from './helpers/sample.ts';
import { runScript, tempProject } from './helpers/project.ts';

const T = (n: string) => `${REPORT}/tables/${n}.yaml`;
const { sets, set, rules, seed } = await loadSample();

// A copy of the content to corrupt, checked in-process.
const dir = await copyContent('budget-check-');

async function checkWith(file: string, edit: (text: string) => string): Promise<Finding[]> {
  const path = join(dir, file);
  const original = await readFile(path, 'utf8');
  const changed = edit(original);
  assert.notEqual(changed, original, `the edit of ${file} changed nothing`);
  await writeFile(path, changed);
  try {
    return checkReport(await loadReport(join(dir, REPORT), sets, { root: dir }), rules);
  } catch (e) {
    if (e instanceof InputError) return e.findings;
    throw e;
  } finally {
    await writeFile(path, original);
  }
}

const lines = (fs: Finding[]) => fs.map(formatFinding);

test('the bundled report passes every rule: no error, no warning', async () => {
  const { reports, findings } = await checkProject(ROOT);
  assert.deepEqual(reports, ['shenzhen-big-data-center/2024']);
  assert.deepEqual(lines(findings), []);
  assert.ok(rules.rules.length >= 90, `${rules.rules.length} rules`);
});

test('rounding: n published cells may miss their total by n × 0.005 万元, no more', () => {
  // 表3 20103: 1,552.08 + 65,340.87 = 66,892.95 against 66,892.94 — published, and fine.
  const row = (code: string) =>
    (seed.tables['expenditure-summary'] as { rows: { code?: string; values: Record<string, { cents: number | null }> }[] }).rows.find((r) => r.code === code)!;
  const v = (code: string, col: string) => row(code).values[col]!.cents!;
  const diff = v('20103', 'total') - (v('20103', 'basic') + v('20103', 'project'));
  assert.equal(diff, -1);
  assert.ok(withinRounding(diff, partsOf(3)));
  // 表1/表3 grand total 68,098.25 against its four 类 68,098.24.
  assert.ok(withinRounding(1, partsOf(5)));
  assert.ok(withinRounding(2, partsOf(5)));
  assert.ok(!withinRounding(3, partsOf(5)));
  // Two parts: one hundredth; a plain equality: none.
  assert.ok(withinRounding(1, partsOf(3)) && !withinRounding(2, partsOf(3)));
  assert.ok(!withinRounding(1, partsOf(2)));
});

test('a child off by 1.00: the message names the row, the column, both sums and the difference', async () => {
  const fs = await checkWith(T('03-expenditure-summary'), (t) =>
    t.replace('{code: "2010350", name: 事业运行, total: 1552.08,', '{code: "2010350", name: 事业运行, total: 1553.07,'),
  );
  // The mistyped cell breaks its parent's sum, its own row and its twin in table 1:
  // every finding points at it (line 7, column 42), each saying what it compared.
  assert.deepEqual(lines(fs), [
    `${T('03-expenditure-summary')}:7:42 [层级合计] 20103 政府办公厅（室）及相关机构事务 支出总计 66,892.94 ≠ 下级合计 66,893.94（差 1.00 万元） (20103 total: 66,892.94 is not the sum of its sub-items 66,893.94)`,
    `${T('03-expenditure-summary')}:7:42 [栏目合计] 2010350 事业运行：支出总计 1,553.07 ≠ 基本支出 等 5 项之和 1,552.08（差 0.99 万元） (rule t3-total: 1,553.07 should equal 1,552.08, difference 0.99)`,
    `${T('03-expenditure-summary')}:7:42 [表间勾稽] 表1 收支总表 2010350 事业运行 1,552.08 ≠ 表3 支出总表 2010350 事业运行 支出总计 1,553.07（差 0.99 万元） (rule t1-t3-rows: 1,552.08 should equal 1,553.07, difference 0.99)`,
  ]);
});

test('beyond the rounding of its parts a total is an error, placed on the total', async () => {
  // 表3 20103 is 0.01 under its two parts in the seed (within rounding); 0.03 is not.
  // Every published cell counts in n, 0.00 included: 13 parts allow 0.06.
  assert.ok(withinRounding(6, partsOf(14)) && !withinRounding(7, partsOf(14)));
  const fs = await checkWith(T('03-expenditure-summary'), (t) =>
    t.replace(
      '{code: "20103", name: 政府办公厅（室）及相关机构事务, total: 66892.94,',
      '{code: "20103", name: 政府办公厅（室）及相关机构事务, total: 66892.92,',
    ),
  );
  assert.ok(
    lines(fs).some((l) => l.startsWith(`${T('03-expenditure-summary')}:6:`) && l.includes('[层级合计]') && l.includes('（差 0.03 万元）')),
    lines(fs).join('\n'),
  );
});

test('across tables: a row missing from one table is named, counted as 0', async () => {
  const fs = await checkWith(T('01-income-expenditure-summary'), (t) => t.replace('  - {code: "2210203", name: 购房补贴, amount: 320.23}\n', ''));
  const l = lines(fs);
  assert.ok(
    l.some((x) => x.includes('[层级合计] 22102 住房改革支出 503.73 ≠ 下级合计 183.50（差 320.23 万元）')),
    l.join('\n'),
  );
  assert.ok(
    l.some(
      (x) =>
        x.startsWith(`${T('03-expenditure-summary')}:20:`) &&
        x.includes('表1 收支总表 2210203（该表无此行，按 0 计） 0.00 ≠ 表3 支出总表 2210203 购房补贴 支出总计 320.23'),
    ),
    l.join('\n'),
  );
});

test('a row listed twice and a code without its parent', async () => {
  const dup = await checkWith(T('08-general-budget-by-economic'), (t) =>
    t.replace(
      '  - {code: "30201", name: 办公费, total: 32.74, basic: 32.74, project: 0}\n',
      '  - {code: "30201", name: 办公费, total: 32.74, basic: 32.74, project: 0}\n  - {code: "30201", name: 办公费, total: 32.74, basic: 32.74, project: 0}\n',
    ),
  );
  assert.ok(
    lines(dup).some((l) => /08-general-budget-by-economic\.yaml:16:5 \[重复行\] 30201 办公费 在本表中出现了两次（第 15 行已有），请删除重复的一行/.test(l)),
    lines(dup).join('\n'),
  );
  const orphan = await checkWith(T('07-general-budget-by-function'), (t) => t.replace('{code: "2101102",', '{code: "2109902",'));
  assert.ok(
    lines(orphan).some((l) => /07-general-budget-by-function\.yaml:16:5 \[层级合计\] 2109902 事业单位医疗 的上级科目 21099 不在本表中/.test(l)),
    lines(orphan).join('\n'),
  );
});

test('a classification named differently in two tables', async () => {
  const fs = await checkWith(T('07-general-budget-by-function'), (t) =>
    t.replace('{code: "2080502", name: 事业单位离退休,', '{code: "2080502", name: 行政单位离退休,'),
  );
  assert.deepEqual(lines(fs), [
    `${T('07-general-budget-by-function')}:11:29 [科目名称] 科目 2080502 在本表名为“行政单位离退休”，在表1、表3、表6中名为“事业单位离退休”：同一科目在各表中的名称应一致，请核对编码和名称 (code 2080502 is named differently in other tables)`,
  ]);
});

test('the narrative: a reference to the wrong row, a literal amount, contradicting wording', async () => {
  const N = `${REPORT}/narrative.yaml`;
  const wrongRow = await checkWith(N, (t) =>
    t.replace('1.政务综合管理{{ project-expenditure[政务综合管理].total }}', '1.政务综合管理{{ project-expenditure[信息化运维项目].total }}'),
  );
  assert.deepEqual(lines(wrongRow), [
    `${N}:57:11 [引用对象] 文字写的是“政务综合管理”，引用 {{ project-expenditure[信息化运维项目].total }} 取的却是行“信息化运维项目”：请核对引用的行和栏 (the text names "政务综合管理" but the reference reads row "信息化运维项目")`,
  ]);
  const literal = await checkWith(N, (t) => t.replace('公用经费{{ basic-expenditure[302].total }}万元，主要包括', '公用经费114.20万元，主要包括'));
  assert.deepEqual(lines(literal), [
    `${N}:51:10 [文字金额] 文字中的金额“114.20万元”与本报告任何数据都不相符：请核对；表中的数请写成引用，如 {{ expenditure-summary.total.total }}，上年数写在 report.yaml 的 prior.stated 中再引用 {{ prior.… }} (literal amount 114.20 matches no value of the report)`,
  ]);
  const same = await checkWith(N, (t) => t.replace('公用经费{{ basic-expenditure[302].total }}万元，主要包括', '公用经费114.02万元，主要包括'));
  assert.equal(same.length, 1);
  assert.equal(same[0]!.severity, 'warning');
  assert.match(formatFinding(same[0]!), /建议写成引用 \{\{ basic-expenditure\[302\]\.total \}\}/);
  const wording = await checkWith(N, (t) =>
    t.replace('较{{ prior.year }}年年初预算{{ change(income-expenditure-summary.footer.income-total) | dir }}', '较{{ prior.year }}年年初预算增加'),
  );
  assert.deepEqual(lines(wording), [
    `${N}:41:107 [增减表述] 文字写“增加”，但 income-expenditure-summary.footer.income-total 实际减少 26,195.48：请改用 {{ change(…) | dir }} 自动得出增减方向 ("增加" contradicts the change (decrease))`,
  ]);
});

test('持平 where the amount changed', async () => {
  const fs = await checkWith(T('09-three-public-expenses'), (t) =>
    t
      .replace(
        /budget-year: \{total-general: 12\.00,([^}]*)vehicles-general: 12\.00,([^}]*)vehicle-operation-general: 12\.00,/,
        'budget-year: {total-general: 13.00,$1vehicles-general: 13.00,$2vehicle-operation-general: 13.00,',
      )
      .replace(
        /change: \{total-general: 0,([^}]*)vehicles-general: 0,([^}]*)vehicle-operation-general: 0,/,
        'change: {total-general: 1.00,$1vehicles-general: 1.00,$2vehicle-operation-general: 1.00,',
      ),
  );
  const l = lines(fs);
  assert.ok(
    l.some(
      (x) =>
        x.startsWith(`${REPORT}/narrative.yaml:79:`) &&
        x.includes('[增减表述] 文字写“持平”，但 three-public-expenses[change].vehicle-operation-general 实际增加 1'),
    ),
    l.join('\n'),
  );
});

test('placeholders, title years, empty tables and their note', async () => {
  const ph = await checkWith(T('12-performance-targets'), (t) => t.replace('{name: 短信送达率, target: ≥98%}', '{name: 短信送达率, target: ××}'));
  assert.deepEqual(lines(ph), [`${T('12-performance-targets')}:64:35 [占位文字] 留有占位文字“××”：请换成实际内容 (placeholder "××" left in)`]);
  const year = await checkWith(`${REPORT}/narrative.yaml`, (t) => t.replace('## 三、{{ year }}年主要工作目标', '## 三、2023年主要工作目标'));
  assert.deepEqual(lines(year), [
    `${REPORT}/narrative.yaml:25:8 [标题年度] 标题“三、2023年主要工作目标”中的年度是 2023 年，本报告是 2024 年：请改正，或写作 {{ year }}年 (title year 2023 is not the report year 2024)`,
  ]);
  const note = await checkWith(T('10-government-fund-expenditure'), (t) => t.replace('notes:\n  - 注：本表本年无发生额。', 'notes: []'));
  assert.deepEqual(lines(note), [
    `${T('10-government-fund-expenditure')}:5:1 [空表说明] 表10 政府性基金预算支出表 本年没有数额（全部为 0），应在 notes 中注明“本表本年无发生额”，如 notes: ["注：本表本年无发生额。"] (empty table needs the note "本表本年无发生额")`,
  ]);
});

test('every value left empty is listed as 待填写, and nothing else is reported', async () => {
  // What a new year's copy looks like before the officer fills it in: every amount
  // and count cleared (`total: ,`), at the positions the loader recorded.
  const filled = cellsOf(seed).filter((c) => c.kind !== 'text' && c.value !== null);
  const byFile = new Map<string, typeof filled>();
  for (const c of filled) byFile.set(c.at.file, [...(byFile.get(c.at.file) ?? []), c]);
  const saved = new Map<string, string>();
  for (const [file, cells] of byFile) {
    const path = join(dir, file);
    const text = await readFile(path, 'utf8');
    saved.set(path, text);
    const ls = text.split('\n');
    // From the end of each line backwards, so earlier columns stay valid.
    for (const c of [...cells].sort((a, b) => b.at.line - a.at.line || b.at.col - a.at.col)) {
      const l = ls[c.at.line - 1]!;
      const token = /^[^,}\s]+/.exec(l.slice(c.at.col - 1))![0];
      ls[c.at.line - 1] = l.slice(0, c.at.col - 1) + l.slice(c.at.col - 1 + token.length);
    }
    await writeFile(path, ls.join('\n'));
  }
  try {
    const report = await loadReport(join(dir, REPORT), sets, { root: dir });
    const empty = cellsOf(report).filter((c) => c.value === null);
    assert.equal(empty.length, filled.length);
    const fs = checkReport(report, rules);
    assert.deepEqual(lines(fs.filter((f) => f.rule !== '待填写')), []);
    assert.equal(fs.length, empty.length);
    assert.ok(
      lines(fs).includes(
        `${T('03-expenditure-summary')}:6:51 [待填写] 表3 支出总表 20103 政府办公厅（室）及相关机构事务 支出总计：尚未填写 (not filled in yet: expenditure-summary[20103].total)`,
      ),
      lines(fs)
        .filter((l) => l.includes('20103'))
        .join('\n'),
    );
  } finally {
    for (const [p, t] of saved) await writeFile(p, t);
  }
});

test('rule expressions are data paths only: nothing else parses', () => {
  for (const bad of [
    'constructor.constructor("return process")() = 1',
    'a = require("fs")',
    'a[*].b[*] = c',
    'a.*.b = c',
    'a = b = c',
    'year | eval = 1',
    'prior.figures.vehicles = 1',
    'change(a.b) = c',
  ]) {
    assert.throws(() => parseExpression(bad), ExpressionError, bad);
  }
  const e = parseExpression('three-public-expenses[change].* = three-public-expenses[budget-year].* - three-public-expenses[prior-year].*');
  assert.equal(e.op, '=');
  assert.deepEqual(
    e.right.map((t) => [t.sign, t.eachColumn]),
    [
      [1, true],
      [-1, true],
    ],
  );
});

test('references cannot reach inherited properties ([constructor], .__proto__)', () => {
  const src = { text: '', file: 'n.yaml', pointer: '/x', at: { file: 'n.yaml', line: 1, col: 1 } };
  for (const bad of [
    '{{ expenditure-summary[201].constructor }}',
    '{{ projects[constructor][name] }}',
    '{{ income-expenditure-summary.income.constructor }}',
    '{{ performance-targets.sum.constructor }}',
    '{{ figures.constructor }}',
    '{{ constructor.name }}',
  ]) {
    assert.throws(() => renderTemplate({ ...src, text: bad }, { report: seed }), LocatedReferenceError, bad);
  }
});

test('a wrong rules file is refused at its line, in Chinese', async () => {
  const rulesDir = await mkdtemp(join(tmpdir(), 'budget-rules-'));
  await mkdir(rulesDir, { recursive: true });
  const tryRules = async (text: string): Promise<string[]> => {
    await writeFile(join(rulesDir, 'rules.yaml'), text);
    try {
      await loadRules({ ...set, dir: rulesDir }, { root: rulesDir });
      return [];
    } catch (e) {
      assert.ok(e instanceof InputError);
      return lines(e.findings);
    }
  };
  assert.deepEqual(await tryRules('rules:\n  - {id: a, kind: across, expect: "expenditure-summary.total.totl = income-summary.total.total"}\n'), [
    'rules.yaml:2:35 [规则] 规则 a：“expenditure-summary.total.totl”：表3 没有栏 totl；可用：total、basic、project、business、subsidiary、remit、procurement、procurement-sme、procurement-small-micro (unknown path)',
  ]);
  assert.deepEqual(await tryRules('rules:\n  - {id: a, kind: hierarchy, table: nonsense}\n'), [
    'rules.yaml:2:37 [规则] 规则 a：没有名为 nonsense 的表；可用：income-expenditure-summary、income-summary、expenditure-summary、basic-expenditure、project-expenditure、fiscal-appropriation-summary、general-budget-by-function、general-budget-by-economic、three-public-expenses、government-fund-expenditure、state-capital-expenditure、performance-targets (unknown table)',
  ]);
  assert.deepEqual(await tryRules('rules:\n  - {id: a, kind: columns, expect: "expenditure-summary.total.total = income-summary.total.total"}\n'), [
    'rules.yaml:2:36 [规则] 规则 a：栏目合计（columns）只能涉及一张表；跨表的关系请用 across (columns rules stay within one table)',
  ]);
  assert.deepEqual(await tryRules('rules:\n  - {id: a, kind: across, expect: "a.b", colour: red}\n'), [
    'rules.yaml:2:42 [格式] 未知的键 “colour”，请检查拼写；可用的键：id、kind、name、table、sum、expect、total、except、note、words、thresholds、increase、decrease、unchanged、signed、aliases (unknown key "colour")',
  ]);
  assert.deepEqual(await tryRules('rules:\n  - {id: a, kind: placeholders}\n  - {id: a, kind: to-fill}\n'), [
    'rules.yaml:2:5 [规则] 规则 a：placeholders 规则需要 words (placeholders needs words)',
    'rules.yaml:3:10 [规则] 规则 a：编号重复（第 1 条已用），请改用不同的编号 (duplicate rule id)',
  ]);
});

test('npm run check: one line per finding, exit 1; --json for machines; exit 0 when clean', async () => {
  const project = await tempProject();
  const clean = runScript(project, 'check');
  assert.equal(clean.status, 0, clean.stderr);
  assert.equal(clean.stdout, '');
  assert.match(clean.stderr, /检查通过：1 份报告，\d+ 条规则。/);

  const t3 = join(project, T('03-expenditure-summary'));
  const text = await readFile(t3, 'utf8');
  await writeFile(t3, text.replace('{code: "2010350", name: 事业运行, total: 1552.08,', '{code: "2010350", name: 事业运行, total: 1553.08,'));
  const bad = runScript(project, 'check');
  assert.equal(bad.status, 1);
  const out = bad.stdout.trim().split('\n');
  assert.ok(out.length >= 3);
  assert.ok(
    out.every((l) => /^content\/\S+\.yaml:\d+:\d+ \[[^\]]+\] /.test(l)),
    bad.stdout,
  );
  assert.match(bad.stderr, /检查未通过：1 份报告，\d+ 条规则，错误 \d+ 处/);

  const json = runScript(project, 'check', ['--json']);
  assert.equal(json.status, 1);
  const data = JSON.parse(json.stdout) as { reports: string[]; rules: number; errors: number; warnings: number; findings: Finding[] };
  assert.deepEqual(data.reports, ['shenzhen-big-data-center/2024']);
  assert.equal(data.rules, rules.rules.length);
  assert.equal(data.errors, out.length);
  assert.equal(data.findings[0]!.at!.file, T('03-expenditure-summary'));
  assert.ok(data.findings.every((f) => f.severity && f.rule && f.ruleId && f.message && f.at?.line));
});
