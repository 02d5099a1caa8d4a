// Setting Chinese text into lines (src/render/pdf/typeset.ts) with the real fonts:
// the breaking rules, justification to the exact width, even short lines, and the
// cover title's deliberate lines.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DocumentModel } from '../src/derive/document.ts';
import { coverLines } from '../src/render/pdf/document.ts';
import { loadFonts } from '../src/render/pdf/fonts.ts';
import { pieces, setBalanced, setLines, widthForLines, type SetLine } from '../src/render/pdf/typeset.ts';
import { ROOT } from './helpers/build.ts';

const fonts = await loadFonts(ROOT);
const text = (l: SetLine) => l.runs.map((r) => r.text).join('');
const paragraph =
  '2024年深圳市大数据资源管理中心部门预算收入68,098.25万元，较2023年年初预算减少26,195.48万元，下降27.8%。预算收支减少主要原因：是2024年年初预算未安排政府投资项目经费，政府投资项目预算较2023年度减少（详见“表1”）。';

test('no line starts with closing punctuation, and amounts are never split', () => {
  for (const width of [120, 150, 200, 260, 330]) {
    const lines = setLines(fonts, [{ text: paragraph, role: 'body' }], { size: 16, width, indent: 32, justify: true });
    assert.equal(lines.map(text).join(''), paragraph, 'nothing lost or added');
    for (const l of lines.slice(1)) assert.doesNotMatch(text(l), /^[。，、；：）”％%]/u, `line starts with punctuation at width ${width}: ${text(l)}`);
    for (const l of lines.slice(0, -1)) assert.doesNotMatch(text(l), /[（“]$/u, `line ends with an opening mark: ${text(l)}`);
    const amounts = lines.flatMap((l) => text(l).match(/\d[\d,.]*\d/g) ?? []);
    for (const a of ['68,098.25', '26,195.48']) assert.ok(amounts.includes(a), `${a} split at width ${width}`);
  }
});

test('justified lines end exactly at the width; the last line is not spread; amounts are not spaced', () => {
  const width = 442;
  const lines = setLines(fonts, [{ text: paragraph, role: 'body' }], { size: 16, width, indent: 32, justify: true });
  assert.ok(lines.length >= 3);
  lines.slice(0, -1).forEach((l, i) => {
    const gaps = pieces(l.runs).reduce((s, p) => s + (p.spaced ? p.text.length - 1 : 0), 0);
    const end = l.indent + l.natural + l.spacing * gaps;
    assert.ok(Math.abs(end - width) < 0.05, `line ${i} ends at ${end}`);
    // Spread by at most 10% of the size, or tightened by at most 2% rather than left loose.
    assert.ok(l.spacing >= -0.02 * 16 - 1e-9 && l.spacing <= 0.1 * 16, `line ${i} spacing ${l.spacing}`);
  });
  assert.equal(lines.at(-1)!.spacing, 0);
  const digits = pieces(lines[1]!.runs).filter((p) => /\d/.test(p.text));
  assert.ok(digits.length > 0 && digits.every((p) => !p.spaced), 'digits carry no spacing');
  assert.equal(lines[0]!.indent, 32);
});

test('short text is set in even lines, never with one character alone', () => {
  for (const [t, width] of [
    ['增减变化金额', 50],
    ['上年结余、结转', 34],
    ['其中：面向中小企业政府采购项目', 50],
    ['深圳市大数据资源管理中心', 60],
  ] as const) {
    const lines = setBalanced(fonts, [{ text: t, role: 'bodyBold' }], { size: 10.5, width });
    assert.equal(lines.map(text).join(''), t);
    assert.ok(lines.length >= 2, t);
    for (const l of lines) assert.ok(Array.from(text(l)).length >= 2, `${t}: ${lines.map(text).join(' / ')}`);
    for (const l of lines) assert.ok(l.natural <= width, `${t}: ${text(l)} is wider than ${width}`);
  }
});

test('the width a text needs for n lines gives n lines', () => {
  const runs = [{ text: '其中：面向小型、微型企业政府采购项目', role: 'bodyBold' as const }];
  for (const n of [1, 2, 3, 4]) {
    const w = widthForLines(fonts, runs, { size: 10.5 }, n);
    assert.ok(setLines(fonts, runs, { size: 10.5, width: w }).length <= n, `${n} lines at ${w}`);
    assert.ok(setLines(fonts, runs, { size: 10.5, width: w - 1 }).length > n || n === 1, `${w} is the narrowest for ${n}`);
  }
  assert.ok(
    widthForLines(fonts, [{ text: '68,098.25', role: 'body' }], { size: 10.5 }, 3) >= fonts.width('body', '68,098.25', 10.5),
    'an amount is never broken to fit',
  );
});

test('the cover breaks the title as year / unit / kind, and a long unit name into even lines', () => {
  const doc = (unit: string) => ({ title: `2024年${unit}部门预算`, report: { unit } }) as unknown as DocumentModel;
  assert.deepEqual(coverLines(doc('深圳市大数据资源管理中心'), fonts, 440, 32), ['2024年', '深圳市大数据资源管理中心', '部门预算']);
  const long = '深圳市前海深港现代服务业合作区管理局综合服务中心';
  const lines = coverLines(doc(long), fonts, 440, 32);
  assert.equal(lines.join(''), `2024年${long}部门预算`);
  assert.ok(lines.length >= 4);
  for (const l of lines) {
    assert.ok(Array.from(l).length > 1, `one character alone: ${lines.join(' / ')}`);
    assert.ok(fonts.width('title', l, 32) <= 440, `${l} is too wide`);
  }
});
