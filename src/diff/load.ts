// Finds and loads the two reports of a comparison: a unit's two years under
// content/, or any two report folders. Each report is rendered with its own prior
// year (the other report when it is that year, else the unit's folder under
// content/), exactly as the build would render it.

import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { error, InputError } from '../errors.ts';
import { loadReport } from '../load/report.ts';
import { loadTableSets } from '../load/table-set.ts';
import type { Report } from '../model/report.ts';
import type { TableSet } from '../schema/table-set.ts';
import { sideOf, type DiffSide } from './report-diff.ts';

function missing(dir: string, root: string): never {
  const shown = relative(root, dir) || dir;
  throw new InputError([
    error('比较', 'diff-folder', `找不到报告文件夹 ${shown}（其中应有 report.yaml）`, { file: shown, line: 1, col: 1 }, 'report folder not found'),
  ]);
}

async function priorOf(r: Report, others: readonly Report[], root: string, sets: Map<string, TableSet>): Promise<Report | undefined> {
  const other = others.find((o) => o.slug === r.slug && o.year === r.year - 1);
  if (other) return other;
  const dir = join(root, 'content', r.slug, String(r.year - 1));
  if (!existsSync(join(dir, 'report.yaml'))) return undefined;
  try {
    return await loadReport(dir, sets, { root });
  } catch {
    // An unreadable prior year: the comparison falls back to the stated figures.
    return undefined;
  }
}

/** Loads two report folders and renders both for comparison. */
export async function loadPair(root: string, dirA: string, dirB: string): Promise<[DiffSide, DiffSide]> {
  const a = resolve(root, dirA);
  const b = resolve(root, dirB);
  for (const d of [a, b]) if (!existsSync(join(d, 'report.yaml'))) missing(d, root);
  const sets = await loadTableSets(join(root, 'data', 'table-sets'), { root });
  const ra = await loadReport(a, sets, { root });
  const rb = await loadReport(b, sets, { root });
  return [sideOf(ra, await priorOf(ra, [rb], root, sets)), sideOf(rb, await priorOf(rb, [ra], root, sets))];
}

/** content/<unit>/<year>/ */
export function unitYearDir(root: string, unit: string, year: string): string {
  return join(root, 'content', unit, year);
}
