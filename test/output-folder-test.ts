// The output folder's life cycle: one writer at a time, an interrupted swap finished
// or undone, output/ replaced in two renames that never leave it missing.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EnvironmentError } from '../src/environment.ts';
import { checkWritable, createStaging, lockFile, lockOutput, previousDir, recoverSwap, stagingDir, swapIn } from '../src/output-folder.ts';

const fresh = async () => join(await mkdtemp(join(tmpdir(), 'output-folder-')), 'output');
const site = async (dir: string, text: string) => {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.html'), text);
};

test('one writer at a time: a live lock is named, a lock left by a dead process is taken over', async () => {
  const out = await fresh();
  const lock = await lockOutput(out);
  const second = await lockOutput(out).catch((e: unknown) => e);
  assert.ok(second instanceof EnvironmentError);
  assert.match(second.message, new RegExp(`^另一个构建正在写入 output/（进程 ${process.pid}）`));
  await lock.release();
  assert.ok(!existsSync(lockFile(out)));
  await writeFile(lockFile(out), JSON.stringify({ pid: 2 ** 31 - 2, host: hostname() }));
  const taken = await lockOutput(out);
  assert.equal(JSON.parse(await readFile(lockFile(out), 'utf8')).pid, process.pid);
  await taken.release();
  // Another machine's lock (a shared folder) cannot be judged from here: it is respected.
  await writeFile(lockFile(out), JSON.stringify({ pid: 1, host: 'another-machine' }));
  const other = await lockOutput(out).catch((e: unknown) => e);
  assert.ok(other instanceof EnvironmentError);
  assert.match(other.message, /计算机 another-machine/);
});

test('an interrupted swap is undone when output/ is missing, finished when it is there', async () => {
  const out = await fresh();
  await site(previousDir(out), 'last good');
  await mkdir(stagingDir(out), { recursive: true });
  assert.equal(await recoverSwap(out), '上次构建在替换 output/ 时被中断，已恢复上一次的输出');
  assert.equal(await readFile(join(out, 'index.html'), 'utf8'), 'last good');
  assert.ok(!existsSync(previousDir(out)) && !existsSync(stagingDir(out)));
  await site(previousDir(out), 'older');
  assert.equal(await recoverSwap(out), null);
  assert.equal(await readFile(join(out, 'index.html'), 'utf8'), 'last good');
  assert.ok(!existsSync(previousDir(out)));
});

test('the swap replaces output/ whole, and puts it back when the new one cannot be moved in', async () => {
  const out = await fresh();
  await site(out, 'old');
  const staging = await createStaging(out);
  await writeFile(join(staging, 'index.html'), 'new');
  await swapIn(staging, out);
  assert.equal(await readFile(join(out, 'index.html'), 'utf8'), 'new');
  assert.ok(!existsSync(previousDir(out)) && !existsSync(staging));
  const failed = await swapIn(join(out, '..', 'no-such-staging'), out).catch((e: unknown) => e);
  assert.equal((failed as NodeJS.ErrnoException).code, 'ENOENT');
  assert.equal(await readFile(join(out, 'index.html'), 'utf8'), 'new', 'output/ is back');
});

test('an output path that is a file is named before any work', async () => {
  const out = await fresh();
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, 'not a folder');
  const e = await checkWritable(out).catch((x: unknown) => x);
  assert.ok(e instanceof EnvironmentError);
  assert.match(e.message, /^output 应是文件夹，现在是一个文件/);
});
