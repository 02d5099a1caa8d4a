// Builds the bundled report once per test file into a temporary folder.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildResult } from '../../src/build.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

let cached: Promise<{ out: string; result: BuildResult }> | null = null;

export function buildSample(): Promise<{ out: string; result: BuildResult }> {
  cached ??= (async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'budget-build-')), 'output');
    const result = await build({ root: ROOT, outDir: out, env: {} });
    return { out, result };
  })();
  return cached;
}

export async function samplePdf(): Promise<Uint8Array> {
  const { out, result } = await buildSample();
  return new Uint8Array(await readFile(join(out, result.manifest.reports[0]!.pdf)));
}
