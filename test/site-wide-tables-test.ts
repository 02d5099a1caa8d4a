// Wide tables on every screen, in Debian's Chromium: at 1280 px beside the contents
// every table is either wholly visible or its box scrolls and says so; on a phone
// (390 px) the row labels stay in view while the amounts scroll, and a wide table
// can be switched to a stacked view; column headers break between words; the
// open-data reference fits a phone; chart labels are no larger than the chart's title.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSample, ROOT } from './helpers/build.ts';
import { openSite, visit, type SiteInBrowser } from './helpers/browser.ts';

const { out, result } = await buildSample();
const report = result.manifest.reports[0]!;
const reportUrl = `/${report.html.replace(/index\.html$/, '')}`;

let site: SiteInBrowser;
before(async () => {
  site = await openSite(out);
});
after(async () => {
  await site?.close();
});

test('at 1280 px every table is wholly visible, or its box scrolls with a visible hint and a faded edge', async () => {
  const v = await visit(site, reportUrl, 1280, 900);
  const boxes = await v.page.locator('.budget-table-section .table-scroll').evaluateAll((els) =>
    els.map((b) => {
      const box = b as HTMLElement;
      const section = box.closest('.budget-table-section')!;
      const hint = section.querySelector('.table-scroll-hint') as HTMLElement | null;
      return {
        id: section.id,
        overflows: box.scrollWidth > box.clientWidth + 1,
        inWindow: box.getBoundingClientRect().right <= window.innerWidth,
        scrollable: box.classList.contains('is-scrollable'),
        hint: !!hint && hint.offsetHeight > 0,
        faded: getComputedStyle(box).maskImage !== 'none' || getComputedStyle(box).webkitMaskImage !== 'none',
      };
    }),
  );
  assert.equal(boxes.length, 12);
  let scrolling = 0;
  for (const b of boxes) {
    assert.ok(b.inWindow, `${b.id}: the box ends inside the window`);
    if (!b.overflows) continue;
    scrolling++;
    assert.ok(b.scrollable && b.hint && b.faded, `${b.id}: scrolls without saying so (${JSON.stringify(b)})`);
  }
  assert.ok(scrolling >= 2, 'the widest tables scroll at 1280 px');
  await v.page.close();
});

test('at 390 px the row labels (code and name) stay in view while a wide table scrolls sideways', async () => {
  const v = await visit(site, reportUrl, 390, 844);
  const box = v.page.locator('#table-3 .table-scroll');
  await box.scrollIntoViewIfNeeded();
  const labels = async () =>
    box.evaluate((b) => {
      const row = b.querySelectorAll('tbody tr')[3]!;
      const edge = b.getBoundingClientRect().left;
      const code = row.querySelector('.stub-code')!.getBoundingClientRect();
      const name = row.querySelector('.stub-name')!.getBoundingClientRect();
      return { edge, width: b.clientWidth, code: code.left, name: name.right, scrolled: b.scrollLeft };
    });
  const before = await labels();
  await box.evaluate((b) => {
    b.scrollLeft = b.scrollWidth;
  });
  await v.page.waitForTimeout(50);
  const afterScroll = await labels();
  assert.ok(afterScroll.scrolled > 200, 'the table scrolled');
  assert.ok(afterScroll.code >= afterScroll.edge - 1, `the code stays in view (${afterScroll.code} vs ${afterScroll.edge})`);
  assert.ok(afterScroll.name <= afterScroll.edge + afterScroll.width * 0.6 + 1, 'the labels leave the amounts room');
  assert.ok(afterScroll.name > afterScroll.edge, 'the name stays in view');
  assert.ok(Math.abs(afterScroll.code - afterScroll.edge) < Math.abs(before.code - before.edge) + 1);
  assert.equal(await v.page.evaluate(() => document.documentElement.scrollWidth), 390, 'the page itself never scrolls sideways');
  await v.page.close();
});

test('a wide table switches to a stacked view: one block per row, every amount with its column heading, and back', async () => {
  const v = await visit(site, reportUrl, 390, 844);
  const toggle = v.page.locator('#table-3 .table-view-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  const view = await v.page.locator('#table-3').evaluate((s) => {
    const box = s.querySelector('.table-scroll') as HTMLElement;
    const cell = s.querySelector('tbody td.amount[data-label]') as HTMLElement;
    return {
      overflow: box.scrollWidth - box.clientWidth,
      rowDisplay: getComputedStyle(s.querySelector('tbody tr')!).display,
      label: getComputedStyle(cell, '::before').content,
      heading: cell.dataset.label,
    };
  });
  assert.equal(view.overflow, 0, 'nothing to scroll sideways');
  assert.equal(view.rowDisplay, 'block');
  assert.equal(view.label, JSON.stringify(view.heading));
  assert.match(view.heading!, /支出总计|基本支出/);
  await toggle.click();
  assert.equal(
    await v.page
      .locator('#table-3 tbody tr')
      .first()
      .evaluate((r) => getComputedStyle(r).display),
    'table-row',
  );
  await v.page.close();
});

test('column headers break only between words (一般公共/预算拨款, never 基本支/出)', async () => {
  const html = await readFile(join(out, report.html), 'utf8');
  assert.match(html, /一般<wbr>公共<wbr>预算<wbr>拨款/);
  const v = await visit(site, reportUrl, 390, 844);
  const split = await v.page.locator('.budget-table thead th').evaluateAll((ths) => {
    const out: string[] = [];
    for (const th of ths) {
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(n);
        const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        if ((n.textContent ?? '').length >= 2 && lines.size > 1) out.push(`${th.textContent}: ${n.textContent}`);
      }
    }
    return out;
  });
  assert.deepEqual(split, []);
  await v.page.close();
});

test('the open-data reference at 390 px: no sideways scroll, field names whole, descriptions in view', async () => {
  const v = await visit(site, '/schema/', 390, 844);
  const r = await v.page.evaluate(() => {
    const broken: string[] = [];
    for (const code of Array.from(document.querySelectorAll('.schema-table code'))) {
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(n);
        if (new Set(Array.from(range.getClientRects()).map((x) => Math.round(x.top))).size > 1) broken.push(n.textContent ?? '');
      }
    }
    const cut = Array.from(document.querySelectorAll('.schema-table td')).filter((td) => td.getBoundingClientRect().right > window.innerWidth + 1).length;
    return { width: document.documentElement.scrollWidth, broken, cut };
  });
  assert.equal(r.width, 390);
  assert.deepEqual(r.broken, []);
  assert.equal(r.cut, 0);
  await v.page.close();
});

for (const width of [390, 1280]) {
  test(`at ${width} px chart labels are no larger than the chart's title`, async () => {
    const v = await visit(site, reportUrl, width, 900);
    const charts = await v.page.locator('.bar-chart').evaluateAll((els) =>
      els.map((c) => {
        const svg = c.querySelector('svg')!;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const label = Math.max(...Array.from(svg.querySelectorAll('text')).map((t) => Number.parseFloat(getComputedStyle(t).fontSize) * scale));
        const title = Number.parseFloat(getComputedStyle(c.querySelector('.bar-chart-title')!).fontSize);
        return { label, title };
      }),
    );
    assert.ok(charts.length >= 2);
    for (const c of charts) assert.ok(c.label <= c.title + 0.01, `label ${c.label.toFixed(1)} px, title ${c.title} px`);
    await v.page.close();
  });
}

test('one CJK serif and one sans for every system (macOS and iOS, Windows, Android and Linux)', async () => {
  const css = await readFile(join(ROOT, 'templates', 'assets', 'site.css'), 'utf8');
  const stack = (name: string) => new RegExp(`--${name}:([^;]+);`).exec(css)![1]!;
  for (const f of ['Songti SC', 'SimSun', 'Noto Serif CJK SC']) assert.ok(stack('font-body').includes(f), f);
  assert.match(stack('font-body'), /serif\s*$/);
  for (const f of ['PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC']) assert.ok(stack('font-ui').includes(f), f);
  assert.match(stack('font-ui'), /sans-serif\s*$/);
});
