// The built sample site served on this machine and opened in Debian's Chromium:
// one server and one browser per test file. `visit` records what a reader's
// browser would run into: console errors, failed requests, requests that leave
// the site.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { launchChromium, type Chromium } from '../../scripts/lib/chromium.ts';
import { startStaticServer, type StaticServer } from '../../src/serve/static-server.ts';

export interface SiteInBrowser {
  server: StaticServer;
  browser: Chromium;
  close(): Promise<void>;
}

export async function openSite(outDir: string, options: Parameters<typeof launchChromium>[0] = {}): Promise<SiteInBrowser> {
  const server = await startStaticServer(outDir);
  const browser = await launchChromium(options);
  return {
    server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

export interface Visit {
  page: Page;
  status: number | undefined;
  consoleErrors: string[];
  failedRequests: string[];
  outsideRequests: string[];
}

/** Opens a site path at a given viewport width and records problems while it loads. */
export async function visit(site: SiteInBrowser, path: string, width = 1280, height = 800): Promise<Visit> {
  const page = await site.browser.context.newPage();
  await page.setViewportSize({ width, height });
  const v: Visit = { page, status: undefined, consoleErrors: [], failedRequests: [], outsideRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') v.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => v.consoleErrors.push(String(e)));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${site.server.origin}/`) && !url.startsWith('data:')) v.outsideRequests.push(url);
  });
  page.on('requestfailed', (r) => v.failedRequests.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) v.failedRequests.push(`${r.url()} ${r.status()}`);
  });
  const res = await page.goto(site.server.origin + path, { waitUntil: 'load' });
  v.status = res?.status();
  return v;
}

const require = createRequire(import.meta.url);
let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core inside the page (injected from node_modules: nothing is fetched). */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}
