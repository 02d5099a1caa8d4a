// Finding the reports of a project: content/<unit>/<year>/ folders holding a
// report.yaml, and the prior year's report of the same unit. Kept apart from the
// build so that the checker can use them without loading the renderers.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../model/report.ts';

/** Report folders: content/<unit>/<year>/ holding a report.yaml. */
export async function discoverReports(contentDir: string): Promise<string[]> {
  const out: string[] = [];
  if (!existsSync(contentDir)) return out;
  for (const unit of (await readdir(contentDir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!unit.isDirectory() || unit.name.startsWith('.') || unit.name.startsWith('_')) continue;
    for (const year of (await readdir(join(contentDir, unit.name), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const dir = join(contentDir, unit.name, year.name);
      if (year.isDirectory() && existsSync(join(dir, 'report.yaml'))) out.push(dir);
    }
  }
  return out;
}

/** The report of the same unit for the year before, when the project has it. */
export function priorReport(project: { reports: readonly Report[] }, report: Report): Report | undefined {
  return project.reports.find((r) => r.slug === report.slug && r.year === report.year - 1);
}
