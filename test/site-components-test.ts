// The site's components, GOV.UK Frontend style: each folder under
// templates/_includes/components/ holds a template, its declared parameters
// (params.md) and examples. Every example is rendered with the site's own filters,
// opened in Chromium, and checked: its own expectations, axe-core, and for tables
// a caption and a header for every data cell, computed from the DOM.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import nunjucks from 'nunjucks';
import { parse } from 'yaml';
import { launchChromium, type Chromium } from '../scripts/lib/chromium.ts';
import { siteFilters } from '../src/render/site/plugin.ts';
import { ROOT } from './helpers/build.ts';
import { runAxe } from './helpers/browser.ts';
import { assignHeaders, readTables } from './helpers/table-headers.ts';

const COMPONENTS = join(ROOT, 'templates', '_includes', 'components');
const css = readFileSync(join(ROOT, 'templates', 'assets', 'site.css'), 'utf8');

type Expectation =
  | { selector: string; count: number }
  | { selector: string; text: string }
  | { cell: string; headers: string[] }
  | { role: string; name: string };

interface Example {
  name: string;
  params: Record<string, unknown>;
  /** `table`: the output is table content (a caption) and is shown inside a table. */
  wrap?: 'table';
  expect?: Expectation[];
}

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(join(ROOT, 'templates', '_includes')), { autoescape: true, throwOnUndefined: false });
for (const [name, fn] of Object.entries(siteFilters)) env.addFilter(name, fn as (...args: unknown[]) => unknown);

const macroName = (folder: string) => folder.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function renderExample(component: string, example: Example): string {
  const out = env.renderString(`{% from "components/${component}/template.njk" import ${macroName(component)} %}{{ ${macroName(component)}(params) }}`, {
    params: example.params,
  });
  const body = example.wrap === 'table' ? `<table>${out}<tbody><tr><td>示例</td></tr></tbody></table>` : out;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${example.name}</title><style>${css}</style></head><body><main>${body}</main></body></html>`;
}

const squash = (s: string) => s.replace(/\s+/g, '');
const components = readdirSync(COMPONENTS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let browser: Chromium;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('every component has a template, declared parameters and at least one example', () => {
  assert.ok(components.length >= 5, components.join(', '));
  for (const c of components) {
    const dir = join(COMPONENTS, c);
    assert.ok(existsSync(join(dir, 'template.njk')), `${c}/template.njk`);
    assert.ok(existsSync(join(dir, 'params.md')), `${c}/params.md`);
    assert.ok(readFileSync(join(dir, 'template.njk'), 'utf8').includes(`macro ${macroName(c)}(`), `${c} defines the macro ${macroName(c)}`);
    const examples = existsSync(join(dir, 'examples')) ? readdirSync(join(dir, 'examples')).filter((f) => f.endsWith('.yaml')) : [];
    assert.ok(examples.length > 0, `${c} has examples`);
  }
});

for (const c of components) {
  const dir = join(COMPONENTS, c, 'examples');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const example = parse(readFileSync(join(dir, file), 'utf8')) as Example;
    test(`${c} example “${example.name}” (${file})`, async () => {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (r) => !r.url().startsWith('data:') && !r.url().startsWith('about:') && errors.push(`request ${r.url()}`));
      await page.setContent(renderExample(c, example));
      for (const e of example.expect ?? []) {
        if ('count' in e) assert.equal(await page.locator(e.selector).count(), e.count, `${e.selector} count`);
        else if ('text' in e) {
          const texts = (await page.locator(e.selector).allTextContents()).map(squash);
          assert.ok(
            texts.some((t) => t.includes(squash(e.text))),
            `${e.selector} contains “${e.text}” (has: ${texts.join(' / ')})`,
          );
        } else if ('role' in e) {
          assert.ok((await page.getByRole(e.role as 'img', { name: e.name }).count()) > 0, `a ${e.role} named “${e.name}”`);
        } else {
          const where = await page.locator(e.cell).evaluate((el) => {
            const td = el as HTMLTableCellElement;
            const table = td.closest('table')!;
            return {
              table: Array.from(document.querySelectorAll('table')).indexOf(table),
              row: (td.parentElement as HTMLTableRowElement).rowIndex,
              cell: td.cellIndex,
            };
          });
          const t = (await page.evaluate(readTables))[where.table]!;
          const { headers } = assignHeaders(t);
          const target = t.rows[where.row]!.cells[where.cell]!;
          const placed = [...headers.keys()].find((p) => p.cell === target)!;
          assert.deepEqual(
            headers.get(placed)!.map((h) => h.cell.text),
            e.headers.map(squash),
            `headers of ${e.cell}`,
          );
        }
      }
      // Tables: a caption, and a header for every data cell.
      for (const t of await page.evaluate(readTables)) {
        if (c !== 'budget-table') continue;
        assert.ok(t.caption, 'caption');
        const orphans = [...assignHeaders(t).headers].filter(([p, hs]) => p.cell.tag === 'td' && hs.length === 0);
        assert.deepEqual(
          orphans.map(([p]) => p.cell.text),
          [],
          'data cells without a header',
        );
      }
      const serious = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        serious.map((v) => `${v.id}: ${v.help}`),
        [],
        'axe-core',
      );
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
}
