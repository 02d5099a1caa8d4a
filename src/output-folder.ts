// The output folder's life cycle, in the order a build goes through it:
//
//   lockOutput      one build at a time writes next to output/ (output.lock)
//   recoverSwap     a swap interrupted by a kill or a crash is finished or undone
//   checkWritable   every folder of output/ can be replaced, before any work is done
//   createStaging   a fresh output.staging/ to write the new site into
//   swapIn          output/ → output.previous/, output.staging/ → output/, then the
//                   previous one is removed
//
// The previous output survives until the new one is complete: a failed build, a
// kill at any point, or a full disk leaves either the old or the new site in
// output/, never a mix and never nothing.

import { hostname } from 'node:os';
import { constants } from 'node:fs';
import { access, link, lstat, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EnvironmentError, systemCode } from './environment.ts';

export const stagingDir = (outDir: string) => `${outDir}.staging`;
export const previousDir = (outDir: string) => `${outDir}.previous`;
export const lockFile = (outDir: string) => `${outDir}.lock`;

export interface OutputLock {
  path: string;
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return systemCode(e) === 'EPERM';
  }
}

async function owner(path: string): Promise<LockOwner | null> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? { pid: v.pid, host: v.host } : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock of `outDir` (a file beside it, written whole and then linked into
 * place, so a reader never sees half of it). A lock left by a process of this machine
 * that no longer runs is taken over; a live one is an EnvironmentError naming it.
 */
export async function lockOutput(outDir: string): Promise<OutputLock> {
  const path = lockFile(outDir);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  await mkdir(dirname(outDir), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(tmp, path);
        break;
      } catch (e) {
        if (systemCode(e) !== 'EEXIST' || attempt > 0) throw busy(outDir, await owner(path));
        const held = await owner(path);
        if (held && (held.host !== me.host || alive(held.pid))) throw busy(outDir, held);
        // Left by a build that was killed: take it over.
        await unlink(path).catch(() => {});
      }
    }
  } finally {
    await unlink(tmp).catch(() => {});
  }
  return {
    path,
    release: async () => {
      const held = await owner(path);
      if (held && held.pid === me.pid && held.host === me.host) await unlink(path).catch(() => {});
    },
  };
}

function busy(outDir: string, held: LockOwner | null): EnvironmentError {
  const name = basename(outDir);
  const who = held ? `（进程 ${held.pid}${held.host !== hostname() ? `，计算机 ${held.host}` : ''}）` : '';
  return new EnvironmentError(
    `另一个构建正在写入 ${name}/${who}：请等它结束后再运行。如确定没有其他构建在运行，请删除 ${basename(lockFile(outDir))} 后重试`,
    'another build is writing the output folder',
  );
}

/**
 * Finishes or undoes a swap a kill interrupted: output.previous/ without output/ is the
 * last good site and is put back; output.previous/ beside output/ is left over and
 * removed, as is any output.staging/. Returns what was done, for the log.
 */
export async function recoverSwap(outDir: string): Promise<string | null> {
  const previous = previousDir(outDir);
  let done: string | null = null;
  if (await exists(previous)) {
    if (await exists(outDir)) await rm(previous, { recursive: true, force: true });
    else {
      await rename(previous, outDir);
      done = `上次构建在替换 ${basename(outDir)}/ 时被中断，已恢复上一次的输出`;
    }
  }
  await rm(stagingDir(outDir), { recursive: true, force: true });
  return done;
}

/**
 * Every folder of output/ must be writable, or the swap would stop halfway (a read-only
 * copy cannot be removed). Checked before any work, and named.
 */
export async function checkWritable(outDir: string): Promise<void> {
  const parent = dirname(outDir);
  const denied = async (dir: string) => {
    try {
      await access(dir, constants.W_OK);
      return false;
    } catch {
      return true;
    }
  };
  if (await denied(parent)) throw notWritable(parent);
  if (!(await exists(outDir))) return;
  const info = await lstat(outDir);
  if (!info.isDirectory()) {
    throw new EnvironmentError(`${basename(outDir)} 应是文件夹，现在是一个文件：请删除或改名后重新运行`, 'the output path is not a folder');
  }
  const stack = [outDir];
  while (stack.length) {
    const dir = stack.pop()!;
    if (await denied(dir)) throw notWritable(dir);
    for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) stack.push(join(dir, e.name));
  }
}

function notWritable(dir: string): EnvironmentError {
  return new EnvironmentError(
    `文件夹 ${dir} 不可写（只读或属于其他用户），新的输出无法替换它：请恢复它的写权限（Windows：属性 → 取消“只读”；Linux：chmod -R u+w），或删除它后重新运行；现有输出未被改动`,
    `folder not writable: ${dir}`,
  );
}

/** A fresh, empty staging folder beside `outDir`. */
export async function createStaging(outDir: string): Promise<string> {
  const staging = stagingDir(outDir);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  return staging;
}

/**
 * Replaces `outDir` by `staging` in two renames. A kill between them leaves
 * output.previous/ for recoverSwap to put back; a failure of the second puts it back
 * at once. Removing the previous output is not part of the build's success: what is
 * left is removed by the next build.
 */
export async function swapIn(staging: string, outDir: string): Promise<void> {
  const previous = previousDir(outDir);
  await rm(previous, { recursive: true, force: true });
  const had = await exists(outDir);
  if (had) await rename(outDir, previous);
  try {
    await rename(staging, outDir);
  } catch (e) {
    if (had) await rename(previous, outDir);
    throw e;
  }
  await rm(previous, { recursive: true, force: true }).catch(() => {});
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
