// How every command (npm run build, check, publish, …) ends when something goes
// wrong: findings one line each (file:line:col [规则] …), a problem of the machine in
// one line with what to do, and even a defect of the tool itself in one line —
// never a stack trace (BUDGET_DEBUG=1 shows one, for whoever fixes the tool).

import { formatFinding, InputError, printable } from './errors.ts';
import { describeSystemError, EnvironmentError } from './environment.ts';

export interface FailureReport {
  /** The lines to print on standard error. */
  lines: string[];
  /** 1 for bad input or a problem of the machine, 70 for a defect of the tool (EX_SOFTWARE). */
  exitCode: number;
}

/** The lines a command prints for an error, and its exit code. */
export function describeFailure(e: unknown, opts: { root?: string; debug?: boolean; after?: string } = {}): FailureReport {
  if (e instanceof InputError) {
    const lines = e.findings.map(formatFinding);
    if (opts.after) lines.push('', opts.after.replace('{n}', String(e.findings.length)));
    return { lines, exitCode: 1 };
  }
  if (e instanceof EnvironmentError) return { lines: [`${e.message} (${e.english})`], exitCode: 1 };
  const system = describeSystemError(e, opts.root);
  if (system) return { lines: [`${printable(system.message)} (${system.english})`], exitCode: 1 };
  const message = e instanceof Error ? e.message : String(e);
  const lines = [
    `内部错误：${printable(message.split('\n')[0] ?? '')}。这是本工具的缺陷，不是数据的问题：请把这一行和所运行的命令告诉维护者（设置环境变量 BUDGET_DEBUG=1 可看到详细信息） (internal error)`,
  ];
  if (opts.debug && e instanceof Error && e.stack) lines.push(e.stack);
  return { lines, exitCode: 70 };
}

/**
 * Runs a command's body: on any error prints its lines and sets the exit code. Errors
 * raised outside the body (a server's 'error' event, a rejected promise nobody awaited)
 * are reported the same way.
 */
export async function runCommand(body: () => Promise<void>, opts: { root?: string; after?: string } = {}): Promise<void> {
  const debug = !!process.env.BUDGET_DEBUG;
  const fail = (e: unknown) => {
    const r = describeFailure(e, { ...opts, debug });
    for (const l of r.lines) console.error(l);
    process.exit(r.exitCode);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    await body();
  } catch (e) {
    fail(e);
  }
}
