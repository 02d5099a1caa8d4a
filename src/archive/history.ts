// The archive's log against the git history of the project: a line of archive/log.jsonl,
// once committed, is the public record — no later commit (on the main line of history)
// and no uncommitted change may remove or rewrite it. Read from `git log -p` of that one
// file, so the check costs one pass over its history whatever its length.

import { spawnSync } from 'node:child_process';
import { error, type Finding } from '../errors.ts';
import { ARCHIVE_DIR, LOG_FILE } from './log.ts';

export interface HistoryCheck {
  findings: Finding[];
  /** Why the history could not be read (no git, not a repository); printed as a notice. */
  skipped?: string;
}

const LOG = `${ARCHIVE_DIR}/${LOG_FILE}`;

function git(root: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { ok: !r.error && r.status === 0, out: r.stdout ?? '' };
}

/** Lines a diff removes (each a line of the log as it was). */
function removedLines(diff: string): string[] {
  return diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
}

function describe(line: string): string {
  try {
    const e = JSON.parse(line.slice(1)) as { seq?: number; kind?: string; slug?: string; year?: number; revision?: number };
    if (e.kind === 'publish') return `第 ${e.seq} 行（${e.slug} ${e.year} 年 r${e.revision}）`;
    if (e.kind === 'key') return `第 ${e.seq} 行（签名公钥登记）`;
    return `第 ${e.seq ?? '?'} 行`;
  } catch {
    return '一行';
  }
}

function seqOf(line: string): number {
  const m = /"seq":(\d+)/.exec(line);
  return m ? Number(m[1]) : 1;
}

/** Checks that every committed line of archive/log.jsonl is still there, unchanged. */
export function checkHistory(root: string): HistoryCheck {
  if (!git(root, ['rev-parse', '--is-inside-work-tree']).ok) {
    return { findings: [], skipped: '项目不在 git 版本库中（或没有安装 git），存档记录未能对照版本库历史检查' };
  }
  const findings: Finding[] = [];
  // Each commit of the main line against its first parent: a merge shows what it changed too.
  const history = git(root, ['log', '--first-parent', '-m', '-p', '--no-color', '--no-ext-diff', '--unified=0', '--format=%x00%H', '--', LOG]);
  if (!history.ok) return { findings, skipped: '无法读取版本库历史（git log 失败），存档记录未能对照历史检查' };
  for (const chunk of history.out.split('\0').slice(1)) {
    const commit = chunk.slice(0, chunk.indexOf('\n')).trim();
    for (const line of removedLines(chunk)) {
      findings.push(
        error(
          '存档',
          'archive-history',
          `版本库提交 ${commit.slice(0, 10)} 删除或改写了已公开的存档记录${describe(line)}：已公开的记录不得删改。请撤销这个提交（git revert ${commit.slice(0, 10)}）`,
          { file: LOG, line: seqOf(line), col: 1 },
          `commit ${commit.slice(0, 10)} removed or rewrote a published line of the archive log`,
        ),
      );
    }
  }
  // What is not committed yet.
  if (git(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).ok) {
    const pending = git(root, ['diff', '--no-color', '--no-ext-diff', '--unified=0', 'HEAD', '--', LOG]);
    for (const line of removedLines(pending.out)) {
      findings.push(
        error(
          '存档',
          'archive-history',
          `已提交的存档记录${describe(line)}在 ${LOG} 中被删除或改写（尚未提交的改动）：已公开的记录不得删改。请恢复（git checkout HEAD -- ${LOG}）`,
          { file: LOG, line: seqOf(line), col: 1 },
          'an uncommitted change removed or rewrote a committed line of the archive log',
        ),
      );
    }
  }
  return { findings };
}
