// The bundled 2024 report with its table set and rules, loaded as the checker sees
// them, and a temporary copy of the content for tests that corrupt it.

import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../src/check/rules.ts';
import { loadReport } from '../../src/load/report.ts';
import { loadTableSets } from '../../src/load/table-set.ts';
import { ROOT } from './build.ts';

export const REPORT = 'content/shenzhen-big-data-center/2024';

export async function loadSample() {
  const sets = await loadTableSets(join(ROOT, 'data', 'table-sets'), { root: ROOT });
  const set = sets.get('shenzhen-2024')!;
  const rules = await loadRules(set, { root: ROOT });
  const seed = await loadReport(join(ROOT, REPORT), sets, { root: ROOT });
  return { sets, set, rules, seed };
}

/** A copy of the project's content in a temporary folder (returned), to corrupt. */
export async function copyContent(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(join(ROOT, 'content'), join(dir, 'content'), { recursive: true });
  return dir;
}
