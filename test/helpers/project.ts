// A throwaway copy of the project for tests that break its sources: the code,
// templates and table sets are linked, the content is copied so it can be edited.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './build.ts';

export async function tempProject(opts: { copy?: ('data' | 'templates')[] } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'budget-project-'));
  for (const name of ['node_modules', 'src', 'scripts', 'templates', 'data']) {
    // Folders a test edits are copied; the rest are linked.
    if (opts.copy?.includes(name as 'data')) await cp(join(ROOT, name), join(dir, name), { recursive: true });
    else await symlink(join(ROOT, name), join(dir, name));
  }
  await copyFile(join(ROOT, '.eleventy.js'), join(dir, '.eleventy.js'));
  await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
  await cp(join(ROOT, 'content'), join(dir, 'content'), { recursive: true });
  return dir;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's scripts (scripts/<name>.ts) in `cwd`, as npm run would. */
export function runScript(cwd: string, name: string, args: string[] = [], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', `${name}.ts`), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Stands for the output of an earlier build: one marker file in `out`. */
export async function markPreviousOutput(out: string): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'marker.txt'), 'previous build');
}

/** A failed build left the earlier output exactly as it was, and no staging folder. */
export async function assertOutputUntouched(out: string): Promise<void> {
  assert.deepEqual(await readdir(out), ['marker.txt']);
  assert.equal(await readFile(join(out, 'marker.txt'), 'utf8'), 'previous build');
  assert.ok(!existsSync(`${out}.staging`), 'staging folder left behind');
}
