// The narrative's reference language: what it prints, and what it refuses.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadProject } from '../src/build.ts';
import { LocatedReferenceError, parseTemplate, ReferencePathError, renderTemplate } from '../src/derive/reference.ts';
import type { SourceText } from '../src/model/report.ts';
import { ROOT } from './helpers/build.ts';

const project = await loadProject(ROOT);
const report = project.reports[0]!;
const src = (text: string): SourceText => ({ text, file: 'n.yaml', pointer: '/x', at: { file: 'n.yaml', line: 10, col: 5 }, block: { line: 11, indent: 2 } });
const render = (text: string) => renderTemplate(src(text), { report }).text;

test('lookups print as the published text does', () => {
  assert.equal(render('{{ year }}年{{ unit }}'), '2024年深圳市大数据资源管理中心');
  assert.equal(render('{{ income-expenditure-summary.footer.income-total }}万元'), '68,098.25万元');
  assert.equal(render('{{ project-expenditure[信息化服务类项目（非运维服务部分）].total }}'), '11,156.8');
  assert.equal(render('{{ project-expenditure[信息化服务类项目（非运维服务部分）].total | fixed }}'), '11,156.80');
  assert.equal(render('{{ expenditure-summary[2010350].basic }}'), '1,552.08');
  assert.equal(render('{{ basic-expenditure[301].total }}'), '2,279.19');
  assert.equal(render('{{ project-expenditure.rows | count }}'), '5');
  assert.equal(render('{{ figures.vehicles }}辆'), '3辆');
  assert.equal(render('{{ projects[政务综合管理][政务短信平台服务工作] }}'), '1,035');
});

test('year-over-year change: direction, amount and percentage from the stated prior year', () => {
  const p = 'project-expenditure[政务综合管理].total';
  assert.equal(
    render(`{{ change(${p}) | dir }}{{ change(${p}) | amount }}万元，{{ change(${p}) | dir("增幅", "减幅") }}{{ change(${p}) | pct }}`),
    '减少2,637.46万元，减幅7.9%',
  );
  const q = 'project-expenditure[信息化服务类项目（非运维服务部分）].total';
  assert.equal(render(`{{ change(${q}) | dir("增长", "下降") }}{{ change(${q}) | pct }}`), '增长100%');
  assert.equal(render('{{ three-public-expenses[change].total-general | dir }}{{ three-public-expenses[change].total-general | amount }}'), '增加0');
});

test('change() reads the prior year from the prior report when the project has it', () => {
  const prior = structuredClone({ ...report, set: undefined }) as unknown as typeof report;
  prior.set = report.set;
  prior.year = 2023;
  const row = (prior.tables['project-expenditure'] as { rows: { name?: string; values: Record<string, { cents: number | null }> }[] }).rows.find(
    (r) => r.name === '政务综合管理',
  )!;
  row.values.total!.cents = 3000000;
  const text = renderTemplate(
    src('{{ change(project-expenditure[政务综合管理].total) | dir }}{{ change(project-expenditure[政务综合管理].total) | amount }}'),
    { report, prior },
  ).text;
  assert.equal(text, '增加778.88');
});

test('syntax errors name the line and column inside the block', () => {
  assert.throws(
    () => render('第一行\n收入{{ income-expenditure-summary.footer.income-totl }}'),
    (e: unknown) => {
      assert.ok(e instanceof LocatedReferenceError);
      assert.deepEqual(e.at, { file: 'n.yaml', line: 12, col: 5 });
      assert.match(e.message, /没有 “income-totl”/);
      return true;
    },
  );
  assert.throws(() => parseTemplate('{{ year '), ReferencePathError);
  assert.throws(() => parseTemplate('a }} b'), ReferencePathError);
});

test('nothing but lookups and the fixed filters can be written', () => {
  for (const bad of ['{{ constructor.constructor("return process")() }}', '{{ year | eval }}', '{{ require("fs") }}', '{{ unit.__proto__ }}', '{{ 1 + 1 }}']) {
    assert.throws(() => render(bad), LocatedReferenceError, bad);
  }
});

test('a prior-year figure the report does not state is asked for', () => {
  assert.throws(() => render('{{ change(expenditure-summary.total.basic) | amount }}'), /缺少上年数/);
});
