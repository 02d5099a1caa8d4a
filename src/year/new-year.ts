// `npm run new-year -- <unit> <year>`: creates content/<unit>/<year>/ from the unit's
// latest year. The new folder is written beside the old one under a temporary name,
// validated with the loader, and only then renamed into place — an existing year is
// never overwritten and a failure leaves nothing half-made.

import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { error, InputError } from '../errors.ts';
import { loadReport, tableFileName } from '../load/report.ts';
import { loadTableSets } from '../load/table-set.ts';
import type { Report } from '../model/report.ts';
import { advanceReportYaml, advanceTableYaml } from './next-year.ts';
import { pendingAmounts } from './pending.ts';

export interface NewYearResult {
  dir: string;
  from: Report;
  report: Report;
  /** Every empty value of the new year, with where it is written. */
  pending: ReturnType<typeof pendingAmounts>;
  files: string[];
}

/** Years that have a report folder, ascending. */
export async function unitYears(contentDir: string, slug: string): Promise<number[]> {
  const dir = join(contentDir, slug);
  if (!existsSync(dir)) return [];
  const out: number[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory() && /^\d{4}$/.test(e.name) && existsSync(join(dir, e.name, 'report.yaml'))) out.push(Number(e.name));
  }
  return out.sort((a, b) => a - b);
}

async function units(contentDir: string): Promise<string[]> {
  if (!existsSync(contentDir)) return [];
  return (await readdir(contentDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
}

function refuse(message: string, english: string, file: string): never {
  throw new InputError([error('新年度', 'new-year', message, { file, line: 1, col: 1 }, english)]);
}

export async function createNextYear(root: string, slug: string, year: number): Promise<NewYearResult> {
  const contentDir = join(root, 'content');
  const show = (p: string) => relative(root, p) || p;
  const unitDir = join(contentDir, slug);
  const target = join(unitDir, String(year));
  if (!existsSync(unitDir)) {
    const known = await units(contentDir);
    refuse(`没有单位文件夹 ${show(unitDir)}；已有的单位：${known.join('、') || '无'}`, `unknown unit ${slug}`, show(unitDir));
  }
  if (existsSync(target)) {
    refuse(`${show(target)} 已存在，不会覆盖。要重新生成，请先把这个文件夹移走或改名。`, `${year} already exists; it is never overwritten`, show(target));
  }
  const years = await unitYears(contentDir, slug);
  const latest = years[years.length - 1];
  if (latest === undefined) refuse(`${show(unitDir)} 中还没有任何年度的报告，无法结转；请先按 README 建立第一个年度`, 'no year to start from', show(unitDir));
  if (year !== latest! + 1) {
    refuse(`新年度应为最新年度的下一年：最新是 ${latest} 年，所以只能新建 ${latest! + 1} 年`, `the new year must be ${latest! + 1}`, show(target));
  }

  const sets = await loadTableSets(join(root, 'data', 'table-sets'), { root });
  const fromDir = join(unitDir, String(latest));
  // The year carried forward must itself be valid: its errors would be copied.
  const from = await loadReport(fromDir, sets, { root });

  const staging = join(unitDir, `.new-year-${year}`);
  await rm(staging, { recursive: true, force: true });
  const files: string[] = [];
  try {
    await mkdir(join(staging, 'tables'), { recursive: true });
    const put = async (rel: string, text: string) => {
      await writeFile(join(staging, rel), text);
      files.push(rel);
    };
    await put('report.yaml', advanceReportYaml(await readFile(join(fromDir, 'report.yaml'), 'utf8'), year));
    // The narrative is carried as written: its references now read next year's data.
    await put('narrative.yaml', await readFile(join(fromDir, 'narrative.yaml'), 'utf8'));
    for (const layout of from.set.layouts) {
      const rel = join('tables', tableFileName(layout));
      await put(rel, advanceTableYaml(await readFile(join(fromDir, rel), 'utf8'), layout));
    }
    // Validate what was written before it takes the year's place.
    await loadReport(staging, sets, { root }).catch((e: unknown) => {
      // The staging folder's name is not the year: that one finding is expected.
      if (e instanceof InputError && e.findings.every((f) => f.ruleId === 'report-year-folder')) return;
      throw e;
    });
    await rename(staging, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const report = await loadReport(target, sets, { root });
  return { dir: target, from, report, pending: pendingAmounts(report), files: files.sort() };
}
