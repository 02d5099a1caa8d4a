// The published 2024 report as extracted from its PDF: the reference the bundled
// sample must reproduce. Parsed here into its text part and its 12 tables.

import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build.ts';

export const SEED_PATH = join(ROOT, 'test', 'fixtures', 'references', 'shenzhen-big-data-center-2024.txt');

export function seedText(): string {
  if (!existsSync(SEED_PATH)) throw new Error(`reference document not found at ${SEED_PATH}`);
  return readFileSync(SEED_PATH, 'utf8');
}

/** The 9 text parts, from 第一部分 to the start of 二、表格部分. */
export function seedTextPart(): string {
  const s = seedText();
  const start = s.indexOf('第一部分 部门概况\n\n一、部门职责');
  const end = s.indexOf('二、表格部分\n\n表 1');
  return s.slice(start, end);
}

/** Sentence-sized units of the text part, whitespace removed. */
export function seedSentences(): string[] {
  const text = seedTextPart()
    .split('\n')
    // Table rows of part 7: one unit per cell.
    .flatMap((line) => (line.includes('\t') ? line.split('\t') : [line]))
    .join('\n');
  return text
    .replace(/\s+/g, '')
    .split(/(?<=[。；;！？])/)
    .flatMap((s) => s.split(/(?=第[一二三四五六七八九]部分)/))
    .map((s) => s.trim())
    .filter((s) => s.length >= 2);
}

export interface SeedTable {
  number: number;
  /** Every amount printed in the table body (e.g. "68,098.25"), in order. */
  amounts: string[];
  /** Every classification code in the table body. */
  codes: string[];
  /** Row labels (first non-empty text cell of each data row). */
  labels: string[];
  text: string;
}

const AMOUNT = /^-?\d{1,3}(,\d{3})*\.\d{2}$/;
const CODE = /^\d{3}(\d{2}){0,2}$/;

export function seedTables(): SeedTable[] {
  const s = seedText();
  const part = s.slice(s.indexOf('二、表格部分\n\n表 1'));
  const chunks = part.split(/\n表 (\d+)\n/);
  const tables = new Map<number, SeedTable>();
  for (let i = 1; i < chunks.length; i += 2) {
    const n = Number(chunks[i]);
    const body = chunks[i + 1]!;
    const t = tables.get(n) ?? { number: n, amounts: [], codes: [], labels: [], text: '' };
    t.text += body;
    for (const line of body.split('\n')) {
      if (!line.includes('\t')) continue;
      const cells = line.split('\t').map((c) => c.trim());
      const amounts = cells.filter((c) => AMOUNT.test(c));
      if (!amounts.length) continue;
      t.amounts.push(...amounts);
      t.codes.push(...cells.filter((c) => CODE.test(c)));
      const label = cells.find((c) => c && !AMOUNT.test(c) && !CODE.test(c));
      if (label) t.labels.push(label);
    }
    tables.set(n, t);
  }
  return [...tables.values()].sort((a, b) => a.number - b.number);
}
