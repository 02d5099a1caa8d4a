// Opens a built page in Debian's Chromium (driven by playwright-core, never a
// downloaded browser) at a phone's width, so tests can measure what a reader sees.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const PHONE = { width: 390, height: 844 };

export async function withPhonePage<T>(url: string, fn: (page: Page) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  let ctx: BrowserContext | null = null;
  try {
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: PHONE,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    });
    const page = await ctx.newPage();
    await page.goto(url);
    return await fn(page);
  } finally {
    await ctx?.close();
    await rm(profile, { recursive: true, force: true });
  }
}
