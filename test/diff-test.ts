// The comparison of the published 2024 report with the synthetic 2025 fixture
// (test/fixtures/years/) reports exactly the fixture's known changes — an added
// project, a removed row, changed amounts, an edited sentence, and what follows
// from them — and nothing else; the terminal text and the JSON say the same.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffJson, formatDiffText } from '../src/diff/format.ts';
import { loadPair } from '../src/diff/load.ts';
import { diffReports } from '../src/diff/report-diff.ts';
import { tableChanged } from '../src/diff/tables.ts';
import { realChanges, wordDiff, words } from '../src/diff/words.ts';
import { formatPlain } from '../src/model/money.ts';
import { ROOT } from './helpers/build.ts';
import { runScript } from './helpers/project.ts';

const A = 'content/shenzhen-big-data-center/2024';
const B = 'test/fixtures/years/shenzhen-big-data-center/2025';
const [a, b] = await loadPair(ROOT, A, B);
const d = diffReports(a, b);

const amounts = (cells: { column: string; before: number | null; after: number | null }[]) =>
  Object.fromEntries(cells.map((c) => [c.column, [c.before === null ? null : formatPlain(c.before), c.after === null ? null : formatPlain(c.after)]]));

test('Chinese text is compared word by word (Intl.Segmenter, zh)', () => {
  assert.ok(Intl.Segmenter.supportedLocalesOf(['zh']).length, 'Node has the Chinese word dictionary (full ICU)');
  const w = words('政务综合管理68,098.25万元，增长27.8%');
  assert.ok(w.length >= 6, w.join('|'));
  assert.ok(w.includes('68,098.25'), 'an amount is one word');
  assert.ok(!w.includes('政务综合管理68,098.25万元，增长27.8%'));
  const pieces = wordDiff('2024年实现短信准时送达', '2025年实现短信按时送达', 1);
  assert.deepEqual(
    pieces.filter((p) => p.kind === 'changed'),
    [
      { kind: 'changed', before: '2024', after: '2025', yearShift: true },
      { kind: 'changed', before: '准时', after: '按时', yearShift: false },
    ],
  );
});

test('only 表5 and 表12 changed; their totals did not', () => {
  assert.deepEqual(
    d.tables.filter(tableChanged).map((t) => t.number),
    [5, 12],
  );
  for (const t of d.tables) assert.ok(t.total === null || t.total.cells.every((c) => c.before === c.after), `表${t.number} total`);
});

test('表5: the added project, the removed row and the changed amounts, exactly', () => {
  const t5 = d.tables.find((t) => t.number === 5)!;
  const rows = t5.rows.map((r) => ({
    status: r.status,
    name: r.name,
    cells: amounts(r.status === 'changed' ? r.cells : r.cells.filter((c) => (c.after ?? c.before) !== 0)),
  }));
  assert.deepEqual(rows, [
    { status: 'changed', name: '信息化运维项目', cells: { total: ['14087.53', '14174.88'], 'carried-over': ['179.85', '267.20'] } },
    {
      status: 'changed',
      name: '政务综合管理',
      cells: { total: ['30778.88', '30278.88'], general: ['30778.88', '30278.88'], 'general-duty': ['30778.88', '30278.88'] },
    },
    { status: 'added', name: '数据安全服务项目', cells: { total: [null, '500.00'], general: [null, '500.00'], 'general-duty': [null, '500.00'] } },
    { status: 'removed', name: '信息化类', cells: { total: ['87.35', null], 'carried-over': ['87.35', null] } },
  ]);
});

test('表12: the same tasks changed, added and removed, and their texts', () => {
  const t12 = d.tables.find((t) => t.number === 12)!;
  assert.deepEqual(
    t12.rows.map((r) => [r.status, r.name]),
    [
      ['changed', '政务综合管理'],
      ['changed', '信息化运维项目'],
      ['added', '数据安全服务项目'],
      ['removed', '信息化类'],
    ],
  );
  assert.deepEqual(amounts(t12.rows[0]!.cells), { total: ['30778.88', '30278.88'], fiscal: ['30778.88', '30278.88'] });
  assert.deepEqual(
    t12.texts.map((x) => [x.status, x.label]),
    [
      ['added', '任务 数据安全服务项目 · 主要内容'],
      ['removed', '任务 信息化类 · 主要内容'],
    ],
  );
});

test('report.yaml: one 二级项目 changed and one added; no figure changed', () => {
  assert.deepEqual(
    d.projects.map((r) => [r.status, r.key, amounts(r.cells).amount]),
    [
      ['changed', '政务综合管理/政务云服务项目工作', ['27486.00', '26986.00']],
      ['added', '数据安全服务项目/数据安全监测与防护服务', [null, '500.00']],
    ],
  );
  assert.deepEqual(d.figures, []);
});

test('the narrative: the edited sentence and what follows from the changes, nothing else', () => {
  const changes = Object.fromEntries(d.parts.map((p) => [p.id, realChanges(p.paragraphs).map((x) => (x.kind === 'changed' ? [x.before, x.after] : []))]));
  assert.deepEqual(changes.overview, [
    ['准时', '按时'],
    ['', '送达率不低于99%，'],
  ]);
  // The prior year is now the 2024 report, whose totals equal 2025's.
  assert.deepEqual(changes['budget-overall'], [
    ['减少26,195.48', '增加0'],
    ['下降27.8', '增长0'],
    ['减少26,195.48', '增加0'],
    ['下降27.8', '增长0'],
  ]);
  const detail = changes['expenditure-detail']!;
  assert.deepEqual(detail.slice(0, 11), [
    ['30,778.88', '30,278.88'],
    ['27,486', '26,986'],
    ['2,637.46', '500'],
    ['7.9', '1.6'],
    ['14,087.53', '14,174.88'],
    ['3,009.25', '87.35'],
    ['27.2', '0.6'],
    ['5,742.56', '0'],
    ['164.6', '0'],
    ['11,156.8', '0'],
    ['100', '0'],
  ]);
  assert.equal(detail.length, 13);
  assert.match(detail[11]![0]!, /^5\.信息化类87\.35万元/);
  assert.equal(detail[11]![1], '');
  assert.equal(detail[12]![0], '');
  assert.match(detail[12]![1]!, /^5\.数据安全服务项目500万元.*该项目为2025年新增项目。$/);
  assert.deepEqual(changes['key-projects']!.slice(0, 2), [
    ['14,087.53', '14,174.88'],
    ['30,778.88', '30,278.88'],
  ]);
  assert.equal(changes['key-projects']!.length, 4);
  for (const id of ['procurement', 'three-public', 'performance-management', 'other', 'glossary']) assert.deepEqual(changes[id], [], id);
  // Every other difference is the year moving forward, and is counted.
  assert.equal(d.parts.find((p) => p.id === 'three-public')!.yearShifts, 13);
});

test('npm run diff: terminal text in words and signs, and --json', () => {
  const text = runScript(ROOT, 'diff', [A, B]);
  assert.equal(text.status, 0, text.stderr);
  assert.equal(text.stdout, formatDiffText(d));
  for (const s of [
    '表5 项目支出总表',
    '变化 政务综合管理',
    '总计：30,778.88 → 30,278.88，减少 500.00（−1.6%）',
    '新增 数据安全服务项目',
    '删除 信息化类',
    '表1 收支总表：无变化',
    '短信[-准时-]{+按时+}送达，{+送达率不低于99%，+}',
  ]) {
    assert.ok(text.stdout.includes(s), s);
  }
  const json = runScript(ROOT, 'diff', [A, B, '--json']);
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), JSON.parse(JSON.stringify(diffJson(d))));
  const t5 = (JSON.parse(json.stdout) as ReturnType<typeof diffJson>).tables[4]!;
  assert.deepEqual(t5.rows[1]!.cells[0], { column: 'total', label: '总计', before: '30778.88', after: '30278.88', difference: '-500.00', percent: '-1.6%' });
});

test('unit and years name the same folders; a missing folder is a clear error', () => {
  const bad = runScript(ROOT, 'diff', ['shenzhen-big-data-center', '2024', '2019']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /content\/shenzhen-big-data-center\/2019:1:1 \[比较\] 找不到报告文件夹/);
  const same = runScript(ROOT, 'diff', ['shenzhen-big-data-center', '2024', '2024']);
  assert.equal(same.status, 0);
  assert.match(same.stdout, /表5 项目支出总表：无变化/);
  const body = same.stdout.split('\n').filter((l) => !l.startsWith('标记：'));
  assert.ok(!body.some((l) => l.includes('[-') || l.includes('{+')), 'a report compared with itself has no marked change');
});
