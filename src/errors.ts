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
  const f: Finding = { severity: 'error', rule, ruleId, message: printable(message), at };
  if (english) f.english = printable(english);
  return f;
}

export function warning(rule: string, ruleId: string, message: string, at?: SourcePos, english?: string): Finding {
  const f: Finding = { severity: 'warning', rule, ruleId, message: printable(message), at };
  if (english) f.english = printable(english);
  return f;
}

/**
 * Characters a message must never carry as they are: controls (a terminal obeys ANSI
 * escapes), lone surrogates, and the bidirectional controls that reorder what is shown.
 */
export const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what this finds
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `U+202E` for one character (a lone surrogate included). */
export function codePointName(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A quoted value in a message never runs past this many characters. */
export const QUOTE_LIMIT = 80;
/** Nor a whole message past this many. */
const MESSAGE_LIMIT = 600;

/**
 * A message as it may be printed: unprintable characters shown by their code point,
 * tabs and line breaks as \t and \n, long quoted values (“…”) shortened.
 */
export function printable(message: string): string {
  let s = message.replace(UNPRINTABLE, (ch) => `<${codePointName(ch)}>`);
  const inQuotes = (v: string) => shorten(v.replace(/\t/g, '\\t').replace(/\r?\n/g, '\\n'));
  s = s.replace(/“([^”]*)”/g, (_, v: string) => `“${inQuotes(v)}”`).replace(/"([^"]*)"/g, (_, v: string) => `"${inQuotes(v)}"`);
  return s.length > MESSAGE_LIMIT ? `${s.slice(0, MESSAGE_LIMIT)}…` : s;
}

/** A value shortened for quoting: its first characters and how long it is. */
export function shorten(value: string, limit = QUOTE_LIMIT): string {
  const chars = [...value];
  return chars.length > limit ? `${chars.slice(0, limit).join('')}…（共 ${chars.length} 字）` : value;
}
