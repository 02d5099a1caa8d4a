// Checks a whole project for `npm run check`: every report is loaded on its own
// (schema first, so one broken report does not hide the findings of the others),
// then every report that loaded is checked against its table set's rules.

import { join } from 'node:path';
import { InputError, type Finding } from '../errors.ts';
import { priorReport, scanContent } from '../load/project.ts';
import { loadReport } from '../load/report.ts';
import { loadTableSets } from '../load/table-set.ts';
import type { Report } from '../model/report.ts';
import { checkReports, sortFindings } from './check.ts';
import { loadAllRules } from './rules.ts';

export interface ProjectCheck {
  /** Ids of the reports found (`unit/year`), loaded or not. */
  reports: string[];
  /** Number of rules applied (over all table sets). */
  rules: number;
  findings: Finding[];
}

export async function checkProject(root: string, contentDir = join(root, 'content')): Promise<ProjectCheck> {
  const findings: Finding[] = [];
  const collect = async <T>(f: () => Promise<T>): Promise<T | null> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof InputError) {
        findings.push(...e.findings);
        return null;
      }
      throw e;
    }
  };
  const sets = await collect(() => loadTableSets(join(root, 'data', 'table-sets'), { root }));
  if (!sets) return { reports: [], rules: 0, findings: sortFindings(findings) };
  const rules = await collect(() => loadAllRules(sets, { root }));
  const { dirs, errors, warnings } = await scanContent(contentDir, root);
  findings.push(...errors, ...warnings);
  const reports: Report[] = [];
  for (const dir of dirs) {
    const r = await collect(() => loadReport(dir, sets, { root }));
    if (r) reports.push(r);
    if (r) for (const f of Object.values(r.files)) findings.push(...f.warnings);
  }
  if (rules) findings.push(...checkReports(reports, rules, (r) => priorReport({ reports }, r)));
  const ids = dirs.map((d) =>
    d
      .slice(contentDir.length + 1)
      .split(/[\\/]/)
      .join('/'),
  );
  const count = rules ? [...rules.values()].reduce((n, r) => n + r.rules.length, 0) : 0;
  return { reports: ids, rules: count, findings: sortFindings(findings) };
}
