// Typed errors shared by every stage. A finding always names where it comes from
// (file:line:col) so a finance officer can jump straight to the offending value.

export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** Short rule name in Chinese, e.g. 格式, 层级合计. */
  rule: string;
  /** Machine-readable rule id, e.g. schema, hierarchy-sum. */
  ruleId: string;
  message: string;
  /** Optional English gloss for readers who need it. */
  english?: string;
  at?: SourcePos;
}

export function formatPos(at: SourcePos | undefined): string {
  if (!at) return '';
  return `${at.file}:${at.line}:${at.col}`;
}

/** One line per finding: `file:line:col [规则] message (english)`. */
export function formatFinding(f: Finding): string {
  const where = f.at ? `${formatPos(f.at)} ` : '';
  const level = f.severity === 'warning' ? '警告 ' : '';
  const en = f.english ? ` (${f.english})` : '';
  return `${where}${level}[${f.rule}] ${f.message}${en}`;
}

/** Thrown when input cannot be used; carries every finding collected so far. */
export class InputError extends Error {
  readonly findings: Finding[];
  constructor(findings: Finding[]) {
    super(findings.map(formatFinding).join('\n'));
    this.name = 'InputError';
    this.findings = findings;
  }
}

export function error(rule: string, ruleId: string, message: string, at?: SourcePos, english?: string): Finding {
  const f: Finding = { severity: 'error', rule, ruleId, message, at };
  if (english) f.english = english;
  return f;
}

export function warning(rule: string, ruleId: string, message: string, at?: SourcePos, english?: string): Finding {
  const f: Finding = { severity: 'warning', rule, ruleId, message, at };
  if (english) f.english = english;
  return f;
}
