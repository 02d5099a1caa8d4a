// Errors of the machine rather than of the data — a full disk, a folder without
// write permission, a read-only file system, a port in use — turned into one line
// that says what happened, where, and what to do. Never a stack trace.

import { relative } from 'node:path';

/** A problem of the machine the tool runs on; its message is one line for the user. */
export class EnvironmentError extends Error {
  readonly english: string;
  constructor(message: string, english: string) {
    super(message);
    this.name = 'EnvironmentError';
    this.english = english;
  }
}

const WHAT: Record<string, [string, string, string]> = {
  // code: [what happened, what to do, English]
  ENOSPC: ['磁盘空间不足', '请清理磁盘（或换一个有空间的磁盘）后重新运行', 'no space left on the disk'],
  EDQUOT: ['超出了磁盘配额', '请清理文件或请管理员增加配额后重新运行', 'disk quota exceeded'],
  EACCES: ['没有权限', '请检查这个文件或文件夹的权限（是否只读、是否被其他用户创建），或换一个有写权限的位置', 'permission denied'],
  EPERM: ['操作不被允许', '请检查这个文件或文件夹的权限，并确认它没有被其他程序（杀毒软件、资源管理器、Excel）占用', 'operation not permitted'],
  EROFS: ['文件系统是只读的', '请把项目放到可写的磁盘上再运行', 'read-only file system'],
  EBUSY: ['文件或文件夹正被占用', '请关闭打开它的程序（资源管理器、Excel、PDF 阅读器）后重新运行', 'resource busy'],
  EMFILE: ['同时打开的文件太多', '请关闭其他程序后重新运行', 'too many open files'],
  ENFILE: ['系统打开的文件太多', '请关闭其他程序后重新运行', 'too many open files in the system'],
  ENOMEM: ['内存不足', '请关闭其他程序后重新运行', 'out of memory'],
  EIO: ['磁盘读写出错', '请检查磁盘是否正常（是否已拔出）后重新运行', 'input/output error'],
  ENAMETOOLONG: ['路径太长', '请把项目放到路径较短的文件夹中', 'file name too long'],
  ENOTDIR: ['路径中有一项不是文件夹', '请检查这个路径', 'not a directory'],
  EISDIR: ['这里应是文件，却是文件夹', '请检查这个路径', 'is a directory'],
  ENOENT: ['文件或文件夹不存在（可能在运行中被删除或移动）', '请确认没有其他程序同时改动项目文件后重新运行', 'no such file or directory'],
  EEXIST: ['文件已存在', '请确认没有其他程序同时在写这个位置后重新运行', 'file exists'],
  EADDRINUSE: ['端口已被占用（可能已有一个预览在运行）', '请关闭另一个预览，或用 --port 换一个端口，如 npm run serve -- --port 8081', 'address already in use'],
  EADDRNOTAVAIL: ['这个地址在本机不可用', '请检查 --host 的设置', 'address not available'],
};

/** The errno code of a Node system error, if it is one. */
export function systemCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/**
 * One line for a system error: what happened (code), on which path, what to do.
 * Null when `e` is not a system error this tool knows how to explain.
 */
export function describeSystemError(e: unknown, root?: string): { message: string; english: string } | null {
  const code = systemCode(e);
  if (!code) return null;
  const known = WHAT[code];
  const err = e as { path?: string; dest?: string; port?: number; syscall?: string; message?: string };
  const show = (p: string) => (root ? relative(root, p) || p : p);
  const where = err.path ? `：${show(err.path)}${err.dest ? ` → ${show(err.dest)}` : ''}` : err.port !== undefined ? `：端口 ${err.port}` : '';
  if (!known) {
    return {
      message: `系统错误 ${code}${where}（${err.syscall ?? '操作'}失败）。请检查磁盘与文件权限后重新运行`,
      english: `system error ${code}${err.syscall ? ` in ${err.syscall}` : ''}`,
    };
  }
  const [what, todo, english] = known;
  return { message: `${what}（${code}）${where}。${todo}`, english: `${english}${err.path ? `: ${show(err.path)}` : ''}` };
}
