// The built site in a real browser (Debian's Chromium via playwright-core): every
// page loads cleanly and stays on the site, passes axe-core, never scrolls sideways
// on a phone or at high zoom, keeps its contents within reach, works without
// JavaScript, prints, and every link and download resolves.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildSample } from './helpers/build.ts';
import { openSite, runAxe, visit, type SiteInBrowser } from './helpers/browser.ts';
import { readPdf } from './helpers/pdf.ts';
import { assignHeaders, headerText, readTables, type DomTable } from './helpers/table-headers.ts';
import { placeRows } from '../src/render/data/grid.ts';

const { out, result } = await buildSample();
const report = result.manifest.reports[0]!;
const reportUrl = `/${report.html.replace(/index\.html$/, '')}`;
const unitUrl = reportUrl.replace(/\d+\/$/, '');
const PAGES = ['/', unitUrl, reportUrl, '/schema/'];

let site: SiteInBrowser;
before(async () => {
  site = await openSite(out);
});
after(async () => {
  await site?.close();
});

for (const width of [390, 1280]) {
  test(`at ${width} px every page loads with no console error, no failed request and nothing from outside the site`, async () => {
    for (const path of PAGES) {
      const v = await visit(site, path, width);
      assert.equal(v.status, 200, path);
      assert.deepEqual(v.consoleErrors, [], `${path}: console errors`);
      assert.deepEqual(v.failedRequests, [], `${path}: failed requests`);
      assert.deepEqual(v.outsideRequests, [], `${path}: requests outside the site`);
      assert.equal(await v.page.getAttribute('html', 'lang'), 'zh-CN', path);
      // One script of the site's own, for wide tables; the pages work without it.
      const scripts = await v.page.locator('script').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src.replace(/^.*\/assets\//, 'assets/')));
      assert.deepEqual(scripts, ['assets/tables.js'], `${path}: only the site's table script`);
      assert.equal(await v.page.locator('h1').count(), 1, `${path}: one h1`);
      await v.page.close();
    }
  });
}

for (const width of [390, 1280]) {
  test(`axe-core finds no serious or critical violation at ${width} px`, async () => {
    for (const path of PAGES) {
      const v = await visit(site, path, width);
      const violations = (await runAxe(v.page)).filter((x) => x.impact === 'serious' || x.impact === 'critical');
      assert.deepEqual(
        violations.map(
          (x) =>
            `${x.id} (${x.impact}): ${x.help} — ${x.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(', ')}`,
        ),
        [],
        path,
      );
      await v.page.close();
    }
  });
}

// 390: a phone. 320 and 640: 1280 px at 400% and 200% zoom (WCAG reflow).
for (const width of [320, 390, 640]) {
  test(`at ${width} px the document never scrolls sideways; wide tables scroll in their own box`, async () => {
    for (const path of PAGES) {
      const v = await visit(site, path, width);
      const overflow = await v.page.evaluate(() => {
        const d = document.documentElement;
        const wide = Array.from(document.querySelectorAll('body *'))
          .filter((e) => !e.closest('.table-scroll') && !e.closest('.visually-hidden') && e.getBoundingClientRect().right > d.clientWidth + 1)
          .map((e) => `${e.tagName.toLowerCase()}.${Array.from(e.classList).join('.')}`);
        return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, wide: wide.slice(0, 5) };
      });
      assert.ok(
        overflow.scrollWidth <= overflow.clientWidth,
        `${path} at ${width}px: document ${overflow.scrollWidth} > viewport ${overflow.clientWidth}; wide: ${overflow.wide.join(', ')}`,
      );
      assert.deepEqual(overflow.wide, [], `${path}: elements past the right edge`);
      if (path === reportUrl) {
        const boxes = await v.page.$$eval('.table-scroll', (els) =>
          els.map((e) => ({ id: e.querySelector('table')?.id, scrolls: e.scrollWidth > e.clientWidth, width: e.clientWidth })),
        );
        const table2 = boxes.find((b) => b.id === 'table-2-table');
        assert.ok(table2?.scrolls, '表2 is wider than the screen and scrolls inside its box');
        for (const b of boxes) assert.ok(b.width <= width, `${b.id} box fits the screen`);
        // A scrolling box is reachable by keyboard and named.
        const unnamed = await v.page.$$eval(
          '.table-scroll',
          (els) => els.filter((e) => e.getAttribute('tabindex') !== '0' || !(e.getAttribute('aria-labelledby') || e.getAttribute('aria-label'))).length,
        );
        assert.equal(unnamed, 0);
      }
      await v.page.close();
    }
  });
}

const squash = (s: string) => s.replace(/\s+/g, '');
let domTables: DomTable[] | null = null;
async function tablesOfReport(): Promise<DomTable[]> {
  if (!domTables) {
    const v = await visit(site, reportUrl, 1280);
    domTables = await v.page.evaluate(readTables);
    await v.page.close();
  }
  return domTables;
}

test('every table has a caption (表 N, its title, 单位：万元), never mixes scope and headers, and every data cell has a header', async () => {
  const tables = await tablesOfReport();
  const doc = result.documents[0]!;
  for (const model of doc.tables) {
    const t = tables.find((x) => x.id === `table-${model.number}-table`);
    assert.ok(t, `table ${model.number} on the page`);
    assert.ok(
      t.caption?.includes(`表${model.number}`) && t.caption.includes(squash(model.caption.title)) && t.caption.includes('单位：万元'),
      `表${model.number} caption: ${t.caption}`,
    );
    const cells = t.rows.flatMap((r) => r.cells);
    const usesScope = cells.some((c) => c.scope !== null);
    const usesHeaders = cells.some((c) => c.headers !== null);
    assert.ok(!(usesScope && usesHeaders), `表${model.number} mixes scope and headers`);
    const { headers } = assignHeaders(t);
    const orphans = [...headers].filter(([p, hs]) => p.cell.tag === 'td' && hs.length === 0).map(([p]) => `(${p.x},${p.y}) ${p.cell.text}`);
    assert.deepEqual(orphans, [], `表${model.number}: data cells without a header`);
    // Every amount has a column header and a row header.
    for (const [p, hs] of headers) {
      if (!p.cell.classes.includes('amount')) continue;
      const rowHeaders = hs.filter((h) => h.y === p.y || (h.y < p.y && h.y + h.h > p.y)).filter((h) => h.x < p.x);
      const colHeaders = hs.filter((h) => h.y < p.y && h.x <= p.x && h.x + h.w > p.x);
      assert.ok(colHeaders.length > 0 && rowHeaders.length > 0, `表${model.number} amount at (${p.x},${p.y}) has column and row headers`);
    }
    // Row labels are header cells: <th scope="row"> or <th id> referenced by the row's cells.
    const labels = cells.filter((c) => c.classes.includes('label'));
    assert.ok(
      labels.every((c) => c.tag === 'th' && (c.scope === 'row' || c.id !== null)),
      `表${model.number}: row labels are th`,
    );
  }
});

for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
  test(`表${n}: each cell's headers, computed from the DOM, are the ones the table model gives it`, async () => {
    const model = result.documents[0]!.tables.find((t) => t.number === n)!;
    const t = (await tablesOfReport()).find((x) => x.id === `table-${n}-table`)!;
    const { table, headers } = assignHeaders(t);
    const headRows = model.header.rows.length;
    const textOf = new Map<string, string>();
    for (const row of model.header.rows) for (const h of row) textOf.set(h.id, squash(h.text));
    for (const row of model.body) for (const c of row.cells) if (c.id) textOf.set(c.id, squash(c.text));
    const mismatches: string[] = [];
    let checked = 0;
    placeRows(
      model.body.map((r) => r.cells),
      model.columnCount,
    ).forEach((slots, r) => {
      slots.forEach((s) => {
        if (!s?.anchor || s.cell.isHeader || !s.cell.headers.length) return;
        const dom = table.grid[headRows + r]?.[s.col];
        assert.ok(dom && dom.cell.tag === 'td', `表${n}: a data cell at row ${r + 1}, column ${s.col + 1}`);
        if (s.cell.text === '') return;
        const expected = s.cell.headers.map((id) => textOf.get(id) ?? `?${id}`).sort();
        const actual = headers.get(dom)!.map(headerText).sort();
        // Amounts: exactly the model's headers. Other cells (codes, texts): at least one, and
        // only ones the model gives (scope looks left and up only, and a code sits left of its row label).
        const ok =
          s.cell.kind === 'amount' ? JSON.stringify(expected) === JSON.stringify(actual) : actual.length > 0 && actual.every((a) => expected.includes(a));
        if (!ok) mismatches.push(`row ${r + 1} col ${s.col + 1}: expected ${expected.join('|')} got ${actual.join('|')}`);
        checked++;
      });
    });
    assert.ok(checked > 0);
    assert.deepEqual(mismatches.slice(0, 5), []);
    // Grid tables: the column headers of each amount, top to bottom, are its flattened header path.
    if (model.kind === 'grid') {
      for (const [p, hs] of headers) {
        if (!p.cell.classes.includes('amount')) continue;
        const path = hs.filter((h) => h.section === 'thead').map(headerText);
        assert.deepEqual(path, model.header.leaves[p.x]!.path.map(squash), `表${n} column ${p.x + 1}`);
      }
    }
  });
}

test('tables: amounts right-aligned in tabular figures, hierarchy indented and said to screen readers', async () => {
  const v = await visit(site, reportUrl, 1280);
  const styles = await v.page.$$eval('td.amount', (tds) =>
    tds.map((td) => {
      const s = getComputedStyle(td);
      return { align: s.textAlign, numeric: s.fontVariantNumeric };
    }),
  );
  assert.ok(styles.length > 100);
  for (const s of styles) {
    assert.equal(s.align, 'right');
    assert.match(s.numeric, /tabular-nums/);
  }
  // 表7 is classified by function: 类, 款, 项 rows are indented more at each level.
  const levels = await v.page.$$eval('#table-7-table tbody th', (ths) =>
    ths.map((th) => ({ text: (th.textContent ?? '').trim(), pad: parseFloat(getComputedStyle(th).paddingLeft), cls: th.className })),
  );
  const pad = (rank: string) => levels.find((l) => l.text.startsWith(rank))?.pad ?? NaN;
  assert.ok(pad('类级科目') < pad('款级科目') && pad('款级科目') < pad('项级科目'), JSON.stringify(levels.slice(0, 4)));
  // The rank is in the accessible text, but not shown.
  const hidden = await v.page.$$eval('#table-7-table .visually-hidden', (els) => els.map((e) => e.getBoundingClientRect().width));
  assert.ok(hidden.length > 0 && hidden.every((w) => w <= 1));
  await v.page.close();
});

test('the contents stay within reach while scrolling, on a desktop and on a phone', async () => {
  // Desktop: the contents column stays in view.
  const d = await visit(site, reportUrl, 1280);
  await d.page.locator('#table-12').scrollIntoViewIfNeeded();
  await d.page.evaluate(() => window.scrollBy(0, 400));
  const nav = await d.page.locator('nav.report-contents').boundingBox();
  assert.ok(nav && nav.y >= 0 && nav.y < 50, `contents in view after scrolling (y=${nav?.y})`);
  await d.page.getByRole('navigation', { name: '目录' }).getByRole('link', { name: '表9 财政拨款“三公”经费支出表' }).click();
  assert.equal(new URL(d.page.url()).hash, '#table-9');
  const h9 = await d.page.locator('#table-9-heading').boundingBox();
  assert.ok(h9 && h9.y >= 0 && h9.y < 200, `表9 heading at the top after following the link (y=${h9?.y})`);
  await d.page.close();

  // Phone: a bar at the top links back to the contents; following a link leaves the heading visible below the bar.
  const p = await visit(site, reportUrl, 390, 844);
  await p.page.locator('#table-12').scrollIntoViewIfNeeded();
  await p.page.evaluate(() => window.scrollBy(0, 600));
  const bar = await p.page.locator('.report-bar-link').boundingBox();
  assert.ok(bar && bar.y >= 0 && bar.y < 60, `contents link in view (y=${bar?.y})`);
  await p.page.locator('.report-bar-link').click();
  const contents = await p.page.locator('#contents').boundingBox();
  assert.ok(contents && contents.y >= 0 && contents.y < 844, 'contents shown');
  await p.page.getByRole('navigation', { name: '目录' }).getByRole('link', { name: '表5 项目支出总表' }).click();
  const barBox = await p.page.locator('.report-bar').boundingBox();
  const h5 = await p.page.locator('#table-5-heading').boundingBox();
  assert.ok(
    barBox && h5 && h5.y >= barBox.y + barBox.height - 1 && h5.y < 300,
    `表5 heading below the bar (heading y=${h5?.y}, bar bottom=${barBox ? barBox.y + barBox.height : '?'})`,
  );
  await p.page.close();
});

test('every page works without JavaScript', async () => {
  const noJs = await openSite(out, { javaScriptEnabled: false });
  try {
    for (const path of PAGES) {
      const v = await visit(noJs, path, 390);
      assert.equal(v.status, 200);
      assert.deepEqual(v.failedRequests, []);
      // biome-ignore lint/performance/useDomNodeTextContent: playwright's innerText is the rendered text a reader sees.
      assert.ok((await v.page.locator('main').innerText()).length > 50, path);
      await v.page.close();
    }
    const v = await visit(noJs, reportUrl, 390);
    assert.equal(await v.page.locator('table.budget-table').count(), 12);
    await v.page.locator('.report-bar-link').click();
    await v.page.getByRole('navigation', { name: '目录' }).getByRole('link', { name: '表2 收入总表' }).click();
    assert.equal(new URL(v.page.url()).hash, '#table-2');
    await v.page.close();
  } finally {
    await noJs.close();
  }
});

test('every internal link and download resolves, and every page is reachable from the home page', async () => {
  const v = await visit(site, '/', 1280);
  const request = v.page.request;
  const seen = new Set<string>();
  const queue = ['/'];
  const checked = new Map<string, number>();
  const missingAnchors: string[] = [];
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    await v.page.goto(site.server.origin + path);
    const links = await v.page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    const ids = new Set(await v.page.$$eval('[id]', (els) => els.map((e) => e.id)));
    for (const href of links) {
      const url = new URL(href);
      assert.equal(url.origin, site.server.origin, `link outside the site: ${href} on ${path}`);
      if (url.pathname === path && url.hash) {
        if (!ids.has(decodeURIComponent(url.hash.slice(1)))) missingAnchors.push(`${path}${url.hash}`);
        continue;
      }
      if (!checked.has(url.pathname)) {
        const res = await request.get(site.server.origin + url.pathname);
        checked.set(url.pathname, res.status());
        if (res.status() === 200 && (res.headers()['content-type'] ?? '').startsWith('text/html')) queue.push(url.pathname);
      }
    }
  }
  const broken = [...checked].filter(([, s]) => s !== 200);
  assert.deepEqual(broken, [], 'links that do not resolve');
  assert.deepEqual(missingAnchors, [], 'in-page links without a target');
  for (const p of PAGES) assert.ok(seen.has(p), `${p} is linked from the site`);
  // Every file of the report folder is linked: PDF, JSON, 12 CSV and 12 XLSX.
  const files = [...checked.keys()].filter((p) => p.startsWith(reportUrl) && p !== reportUrl);
  assert.equal(files.filter((f) => f.endsWith('.csv')).length, 12);
  assert.equal(files.filter((f) => f.endsWith('.xlsx')).length, 12);
  assert.equal(files.filter((f) => f.endsWith('.json')).length, 1);
  assert.equal(files.filter((f) => f.endsWith('.pdf')).length, 1);
  assert.ok(checked.has('/schema/budget-report.schema.json'));
  await v.page.close();
});

test('the charts are inline SVG images with a text alternative naming every bar', async () => {
  const v = await visit(site, reportUrl, 390);
  const charts = await v.page.$$eval('figure.bar-chart svg', (svgs) =>
    svgs.map((s) => ({
      role: s.getAttribute('role'),
      desc: s.querySelector('desc')?.textContent ?? '',
      values: Array.from(s.querySelectorAll('.bar-chart-value')).map((t) => t.textContent ?? ''),
    })),
  );
  assert.ok(charts.length >= 1);
  for (const c of charts) {
    assert.equal(c.role, 'img');
    for (const value of c.values) assert.ok(c.desc.includes(value.replace(/（.*$/, '')), `${value} in the text alternative`);
  }
  const img = v.page.getByRole('img', { name: /项目支出按项目类别/ });
  assert.equal(await img.count(), 1);
  await v.page.close();
});

test('printing gives the text and every table on its own pages, landscape tables on landscape pages', async () => {
  const v = await visit(site, reportUrl, 1280);
  await v.page.emulateMedia({ media: 'print' });
  assert.equal(await v.page.locator('nav.report-contents').isVisible(), false);
  assert.equal(await v.page.$eval('.table-scroll', (e) => getComputedStyle(e).overflowX), 'visible');
  const pdf = await v.page.pdf({ preferCSSPageSize: true, printBackground: true });
  const doc = await readPdf(new Uint8Array(pdf));
  assert.ok(doc.pages.length >= 13, `${doc.pages.length} pages`);
  assert.ok(
    doc.pages.some((p) => p.width > p.height),
    'some landscape pages',
  );
  assert.ok(
    doc.pages.some((p) => p.width < p.height),
    'some portrait pages',
  );
  // Digits print in any font; the Chinese text needs a CJK font on the machine.
  const all = doc.pages.map((p) => p.text).join('');
  assert.ok(all.includes('68,098.25') && all.includes('65,340.87'));
  await v.page.close();
});
