// The expressions of the `columns` and `across` rules: `A = B + C - D` (or <=, >=),
// where every term is a data path in the narrative's reference syntax
// (src/derive/reference.ts), plus two selectors:
//
//   [*]   every row of the table (by code or name; the same row in every table named with [*])
//   .*    every column (only as the last part of a term)
//
// Paths are parsed by the reference parser itself, so a rule can name exactly what a
// sentence can name, and nothing can be executed.

import { parseTemplate, ReferencePathError, type Segment, type TemplatePart } from '../derive/reference.ts';

export type Op = '=' | '<=' | '>=';

export interface Term {
  sign: 1 | -1;
  /** The path as written, e.g. `expenditure-summary[*].basic`. */
  text: string;
  segments: Segment[];
  /** Table (first segment) when the term selects every row with [*]. */
  eachRow: boolean;
  /** True when the term ends in `.*`. */
  eachColumn: boolean;
}

export interface Expression {
  left: Term[];
  op: Op;
  right: Term[];
  text: string;
}

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly english: string,
  ) {
    super(message);
  }
}

/** Parses `A = B + C`; throws ExpressionError with a message for the rules file. */
export function parseExpression(text: string): Expression {
  const m = /^(.*?)(<=|>=|=)(.*)$/s.exec(text);
  if (!m || /(<=|>=|=)/.test(m[3]!)) throw new ExpressionError(`表达式 “${text}” 应有且只有一个 =、<= 或 >=`, 'expected one =, <= or >=');
  return { left: parseSide(m[1]!), op: m[2] as Op, right: parseSide(m[3]!), text };
}

function parseSide(side: string): Term[] {
  const terms: Term[] = [];
  // Split on + and - that stand between terms (names may contain '-', so an
  // operator must be surrounded by spaces, or lead the side).
  const parts = side.trim().split(/\s+([+-])\s+/);
  let sign: 1 | -1 = 1;
  let first = parts[0]!.trim();
  if (first.startsWith('-')) {
    sign = -1;
    first = first.slice(1).trim();
  }
  parts[0] = first;
  for (let i = 0; i < parts.length; i += 2) {
    if (i > 0) sign = parts[i - 1] === '-' ? -1 : 1;
    terms.push(parseTerm(parts[i]!.trim(), sign));
  }
  return terms;
}

function parseTerm(text: string, sign: 1 | -1): Term {
  if (!text) throw new ExpressionError('表达式中缺少一项（运算符 + − 两侧要有空格）', 'missing term');
  let path = text;
  let eachColumn = false;
  if (path.endsWith('.*')) {
    eachColumn = true;
    path = path.slice(0, -2);
  }
  let parts: TemplatePart[];
  try {
    parts = parseTemplate(`{{ ${path} }}`);
  } catch (e) {
    if (e instanceof ReferencePathError) throw new ExpressionError(`“${text}”：${e.message}`, e.english);
    throw e;
  }
  const ref = parts.length === 1 && parts[0]!.kind === 'ref' ? parts[0]!.ref : null;
  if (ref?.expr.type !== 'path' || ref.filters.length) {
    throw new ExpressionError(`“${text}” 应是一个数据路径，如 expenditure-summary[*].total（不能用 change( ) 或过滤器）`, 'expected a data path');
  }
  if (ref.expr.scope !== 'current') throw new ExpressionError(`“${text}”：规则只检查本年数据，不能用 prior.`, 'prior. is not allowed in rules');
  const segments = ref.expr.segments;
  const stars = segments.filter((s) => s.kind === 'index' && s.key === '*').length;
  const eachRow = stars > 0;
  if (stars > 1 || (eachRow && !(segments[1]?.kind === 'index' && segments[1].key === '*'))) {
    throw new ExpressionError(`“${text}”：[*] 只能紧跟在表名之后，且只能用一次`, '[*] must follow the table name');
  }
  if (segments.some((s) => s.kind === 'key' && s.name === '*')) throw new ExpressionError(`“${text}”：.* 只能写在最后`, '.* must come last');
  return { sign, text, segments, eachRow, eachColumn };
}
