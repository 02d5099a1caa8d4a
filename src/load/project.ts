// A project's reports: content/<unit>/<year>/ folders holding a report.yaml, loaded
// and validated together, and the prior year's report of the same unit. Kept apart
// from the build so that the checker and the tools can use them without loading the
// renderers.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type Finding } from '../errors.ts';
import type { Report } from '../model/report.ts';
import type { TableSet } from '../schema/table-set.ts';
import { loadReport } from './report.ts';
import { loadTableSets } from './table-set.ts';

export interface Project {
  root: string;
  sets: Map<string, TableSet>;
  reports: Report[];
}

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

/** Loads and validates every report under `contentDir`; throws InputError with all findings. */
export async function loadProject(root: string, contentDir = join(root, 'content')): Promise<Project> {
  const sets = await loadTableSets(join(root, 'data', 'table-sets'), { root });
  const findings: Finding[] = [];
  const reports: Report[] = [];
  for (const dir of await discoverReports(contentDir)) {
    try {
      reports.push(await loadReport(dir, sets, { root }));
    } catch (e) {
      if (e instanceof InputError) findings.push(...e.findings);
      else throw e;
    }
  }
  if (findings.length) throw new InputError(findings);
  return { root, sets, reports };
}
