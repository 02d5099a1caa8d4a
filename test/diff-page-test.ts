// The site's comparison page for two consecutive years, built from a throwaway
// project holding the 2024 report and the synthetic 2025 fixture: linked from both
// report pages, every change said in words and signs, and readable on a 390 px phone
// in a real browser. The public project itself never contains the fixture.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { findAll, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { publications, readLog, sourceHash } from '../src/archive/log.ts';
import { discoverReports } from '../src/build.ts';
import { loadPair } from '../src/diff/load.ts';
import { ROOT } from './helpers/build.ts';
import { PHONE, withPhonePage } from './helpers/phone.ts';
import { runScript, tempProject } from './helpers/project.ts';

const unit = 'shenzhen-big-data-center';
const dir = await tempProject();
await cp(join(ROOT, 'test/fixtures/years', unit, '2025'), join(dir, 'content', unit, '2025'), { recursive: true });
const built = runScript(dir, 'build');
const out = join(dir, 'output');
const pagePath = join(out, unit, 'compare', '2024-2025', 'index.html');
const squash = (s: string) => s.replace(/\s+/g, '');

test('the build writes one comparison page for the pair of consecutive years', () => {
  assert.equal(built.status, 0, built.stderr);
  assert.ok(existsSync(pagePath));
});

test('both report pages link to it', async () => {
  for (const [year, label] of [
    ['2024', '与2025年比较'],
    ['2025', '与2024年比较'],
  ] as const) {
    const file = join(out, unit, year, 'index.html');
    const dom = parseDocument(await readFile(file, 'utf8'));
    const link = findAll((e) => e.name === 'a' && squash(textContent(e)) === label, dom.children)[0];
    assert.ok(link, `${year}: link “${label}”`);
    assert.equal(resolve(dirname(file), posix.join(link.attribs.href!, 'index.html')), pagePath);
  }
});

test('changes are stated in words and signs, not by colour alone', async () => {
  const html = await readFile(pagePath, 'utf8');
  const text = squash(textContent(parseDocument(html)));
  for (const s of [
    '表5项目支出总表',
    '信息化运维项目',
    '增加87.35（+0.6%）',
    '减少500.00（−1.6%）',
    '新增数据安全服务项目',
    '删除信息化类',
    '无变化的表：表1收支总表',
    '第一部分部门概况',
  ]) {
    assert.ok(text.includes(s), s);
  }
  const dom = parseDocument(html);
  const dels = findAll((e) => e.name === 'del', dom.children);
  const inss = findAll((e) => e.name === 'ins', dom.children);
  assert.ok(dels.some((e) => squash(textContent(e)) === '删除：−准时'));
  assert.ok(inss.some((e) => squash(textContent(e)) === '新增：+按时'));
  assert.ok(dels.every((e) => textContent(e).startsWith('删除：')) && inss.every((e) => textContent(e).startsWith('新增：')));
});

test('it reads on a phone: nothing wider than 390 px, marks visible without colour', async () => {
  // A string, not a function: the test's compiler would wrap named functions in
  // helpers that do not exist inside the page.
  const measure = `(() => {
    const wide = [...document.querySelectorAll('main *')]
      .filter((e) => !e.closest('.visually-hidden') && !e.closest('details:not([open])'))
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => e.tagName + '.' + e.className);
    const css = (sel) => getComputedStyle(document.querySelector(sel));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      wide,
      del: css('.diff-text del').textDecorationLine,
      ins: css('.diff-text ins').textDecorationLine,
      fontSize: parseFloat(css('.diff-text').fontSize),
      phrase: parseFloat(css('.diff-phrase').fontSize),
    };
  })()`;
  const m = await withPhonePage(
    pathToFileURL(pagePath).href,
    (page) => page.evaluate(measure) as Promise<{ scrollWidth: number; wide: string[]; del: string; ins: string; fontSize: number; phrase: number }>,
  );
  assert.ok(m.scrollWidth <= PHONE.width, `page is ${m.scrollWidth} px wide`);
  assert.deepEqual(m.wide, []);
  assert.equal(m.del, 'line-through');
  assert.equal(m.ins, 'underline');
  assert.ok(m.fontSize >= 16 && m.phrase >= 14, JSON.stringify(m));
});

test('the synthetic fixture is never part of the public project', async () => {
  for (const d of await discoverReports(join(ROOT, 'content'))) {
    for (const f of ['report.yaml', 'narrative.yaml']) assert.doesNotMatch(await readFile(join(d, f), 'utf8'), /合成测试数据/, d);
  }
  // Nothing archived was made from the fixture's sources.
  const fixture = (await loadPair(ROOT, join('content', unit, '2024'), join('test/fixtures/years', unit, '2025')))[1].report;
  const hashes = publications((await readLog(ROOT)).entries).map((e) => e.sourceHash);
  assert.ok(!hashes.includes(sourceHash(fixture)));
});
