import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPercentTenths, formatPlain, formatTable, formatText, parseCents, percentTenths, sum } from '../src/model/money.ts';

test('amounts are read digit for digit into hundredths', () => {
  assert.equal(parseCents('68098.25'), 6809825);
  assert.equal(parseCents('68,098.25'), 6809825);
  assert.equal(parseCents('0'), 0);
  assert.equal(parseCents('183.5'), 18350);
  assert.equal(parseCents('-12.05'), -1205);
  assert.equal(parseCents('0.1'), 10);
  for (const bad of ['68098.255', '1e3', '68,09.25', '', 'abc', '1,2345.00']) assert.equal(parseCents(bad), null, bad);
});

test('sums are exact where floats drift', () => {
  assert.notEqual(0.1 + 0.2, 0.3);
  assert.equal(sum([parseCents('0.1')!, parseCents('0.2')!]), parseCents('0.3'));
  // 表3: 1,552.08 + 65,340.87 = 66,892.95 as published parts, total printed 66,892.94.
  assert.equal(formatTable(sum([155208, 6534087])), '66,892.95');
});

test('table style and text style, as published', () => {
  assert.equal(formatTable(6809825), '68,098.25');
  assert.equal(formatTable(0), '0.00');
  assert.equal(formatTable(1115680), '11,156.80');
  assert.equal(formatText(1115680), '11,156.8');
  assert.equal(formatText(270000), '2,700');
  assert.equal(formatText(0), '0');
  assert.equal(formatPlain(6809825), '68098.25');
  assert.equal(formatPlain(-5), '-0.05');
});

test('percentages: one decimal, half up, 100% from zero', () => {
  // The seed's own figures.
  assert.equal(formatPercentTenths(percentTenths(6809825, 9429373)), '27.8%');
  assert.equal(formatPercentTenths(percentTenths(3077888, 3341634)), '7.9%');
  assert.equal(formatPercentTenths(percentTenths(923032, 348776)), '164.6%');
  assert.equal(formatPercentTenths(percentTenths(1115680, 0)), '100%');
  assert.equal(formatPercentTenths(percentTenths(0, 0)), '0%');
  assert.equal(formatPercentTenths(percentTenths(8735, 540117)), '98.4%');
  // Half up: 1/8 = 12.5% exactly → 12.5%; 1/16 = 6.25% → 6.3%.
  assert.equal(formatPercentTenths(percentTenths(900, 800)), '12.5%');
  assert.equal(formatPercentTenths(percentTenths(1700, 1600)), '6.3%');
});
