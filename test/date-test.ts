// Calendar dates: real days only, leap years included; what is wrong is said.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateProblem, isCalendarDate } from '../src/model/date.ts';

test('only days of the calendar are dates', () => {
  for (const d of ['2024-02-29', '2000-02-29', '2023-12-31', '2024-01-01']) assert.ok(isCalendarDate(d), d);
  for (const d of ['2023-02-29', '1900-02-29', '2024-02-30', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-1', '2024/01/01', ' 2024-01-01'])
    assert.ok(!isCalendarDate(d), d);
});

test('the problem is named', () => {
  assert.equal(dateProblem('2023-02-29'), '“2023-02-29” 这一天不存在：2023 年 2 月只有 28 天');
  assert.equal(dateProblem('2024-13-01'), '“2024-13-01” 中的月份 13 不存在（应为 01—12）');
  assert.equal(dateProblem('2024/01/01'), '“2024/01/01” 应写作 YYYY-MM-DD，如 2024-02-01');
});
