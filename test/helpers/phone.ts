// Opens a built page in Debian's Chromium at a phone's width (the shared launcher of
// scripts/lib/chromium.ts: never a downloaded browser), so tests measure what a
// reader sees.

import type { Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.ts';

export const PHONE = { width: 390, height: 844 };

export async function withPhonePage<T>(url: string, fn: (page: Page) => Promise<T>): Promise<T> {
  const browser = await launchChromium({ viewport: PHONE });
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    return await fn(page);
  } finally {
    await browser.close();
  }
}
