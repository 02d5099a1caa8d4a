// npm run screenshots — builds the site, serves it on this machine and writes
// screenshots of every page at 390 px (a phone) and 1280 px (a desktop) to
// screenshots/, plus each table, chart and the contents bar, for review by eye.
// Not a test: it judges nothing.

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from '../src/build.ts';
import { formatFinding, InputError } from '../src/errors.ts';
import { startStaticServer } from '../src/serve/static-server.ts';
import { launchChromium } from './lib/chromium.ts';

const root = process.cwd();
const outDir = join(root, 'output');
const shotDir = join(root, 'screenshots');
const skipBuild = process.argv.includes('--no-build');

try {
  if (!skipBuild) await build({ root, env: process.env, log: { info: (m) => console.log(m), error: (m) => console.error(m) } });
} catch (e) {
  if (e instanceof InputError) {
    for (const f of e.findings) console.error(formatFinding(f));
    process.exit(1);
  }
  throw e;
}

const manifest = (await import(join(outDir, 'manifest.json'), { with: { type: 'json' } })).default as { reports: { html: string }[] };
const pages = ['index.html', 'schema/index.html', ...manifest.reports.map((r) => r.html)];
const units = [...new Set(manifest.reports.map((r) => r.html.split('/')[0]!))].map((u) => `${u}/index.html`);
pages.push(...units);

await rm(shotDir, { recursive: true, force: true });
await mkdir(shotDir, { recursive: true });
const server = await startStaticServer(outDir);
const browser = await launchChromium();
let count = 0;
try {
  for (const width of [390, 1280]) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
    for (const p of pages) {
      const name = p.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '_') || 'home';
      await page.goto(`${server.origin}/${p}`);
      await page.screenshot({ path: join(shotDir, `${name}-${width}-top.png`) });
      await page.screenshot({ path: join(shotDir, `${name}-${width}-full.png`), fullPage: true });
      count += 2;
      // Report pages: each chart and table on its own (the sticky bar out of the way), and
      // the screen after jumping to a table.
      const unstick = await page.addStyleTag({ content: '.report-bar { position: static !important; }' });
      for (const el of await page.locator('.bar-chart, .budget-table-section').all()) {
        const id = await el.getAttribute('id');
        await el.screenshot({ path: join(shotDir, `${name}-${width}-${id}.png`) });
        count++;
      }
      await unstick.evaluate((e) => (e as Element).remove());
      if (await page.locator('#table-9').count()) {
        await page.goto(`${server.origin}/${p}#table-9`);
        await page.screenshot({ path: join(shotDir, `${name}-${width}-at-table-9.png`) });
        count++;
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`已写入 ${count} 张截图到 screenshots/`);
