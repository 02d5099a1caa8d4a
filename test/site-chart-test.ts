// The charts of where the money goes: what each bar says, in order, and that the
// drawing fits its box — computed from the bundled report, checked against its data.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveAll, loadProject } from '../src/build.ts';
import { shareTenths } from '../src/model/money.ts';
import type { GridData } from '../src/model/report.ts';
import { buildCharts, textEm, wrapLabel } from '../src/render/site/chart.ts';
import { ROOT } from './helpers/build.ts';

const doc = deriveAll(await loadProject(ROOT))[0]!;
const charts = buildCharts(doc);

test('project spending by category (表5): every category, largest first, shares of the 表5 total', () => {
  const c = charts.find((x) => x.id === 'chart-projects')!;
  const data = doc.report.tables['project-expenditure'] as GridData;
  assert.equal(c.bars.length, data.rows.length);
  const amounts = c.bars.map((b) => Number(b.amount.replace(/,/g, '')));
  assert.deepEqual(
    amounts,
    [...amounts].sort((a, b) => b - a),
  );
  assert.equal(c.total, '65,340.87');
  const top = c.bars[0]!;
  assert.equal(top.label, '政务综合管理');
  assert.equal(top.share, '47.1%');
  assert.ok(c.summary.includes('政务综合管理30,778.88万元，占47.1%'));
});

test('spending by economic class (表8): only 类 rows; a share below 0.05% reads 不足0.1%, never 0%', () => {
  const c = charts.find((x) => x.id === 'chart-economic')!;
  const data = doc.report.tables['general-budget-by-economic'] as GridData;
  assert.equal(c.bars.length, data.rows.filter((r) => r.level === 0 && (r.values.total?.cents ?? 0) > 0).length);
  const capital = c.bars.find((b) => b.label === '资本性支出');
  assert.ok(capital, '资本性支出 is charted');
  assert.equal(capital.share, '不足0.1%');
  assert.ok(!c.bars.some((b) => b.share === '0%'));
});

test('bars are proportional and every label and value fits the drawing', () => {
  for (const c of charts) {
    const max = Math.max(...c.bars.map((b) => Number(b.amount.replace(/,/g, ''))));
    for (const b of c.bars) {
      const v = Number(b.amount.replace(/,/g, ''));
      assert.ok(Math.abs(b.barWidth - Math.max(1, Math.round((v / max) * c.bars[0]!.barWidth))) <= 1, `${b.label} bar`);
      assert.ok(b.valueX + textEm(`${b.amount}（${b.share}）`) * c.fontSize <= c.width + 1, `${b.label} value fits`);
      for (const l of b.lines) assert.ok(textEm(l.text) * c.fontSize <= c.width + 1, `${l.text} fits`);
      assert.ok(b.barY + c.barHeight <= c.height);
    }
  }
  assert.deepEqual(wrapLabel('一二三四五六', 4), ['一二三四', '五六']);
  assert.deepEqual(wrapLabel('一二三，四', 3), ['一二三，', '四'], 'no line starts with a comma');
});

test('shares are rounded half up to one decimal, in integers', () => {
  assert.equal(shareTenths(1, 3), 333);
  assert.equal(shareTenths(2, 3), 667);
  assert.equal(shareTenths(1, 2000), 1); // 0.05% rounds up to 0.1%
  assert.equal(shareTenths(1, 2001), 0);
  assert.equal(shareTenths(5, 0), 0);
  assert.equal(shareTenths(3077888, 6534087), 471);
});
