// The narrative's references to data: `{{ path | filter }}`. A tiny language of its
// own — lookups, one function (change) and a fixed set of formatters — parsed and
// evaluated here. It cannot call anything else: a unit's YAML can describe
// sentences, never run code on the machine that builds every unit's report.
//
//   {{ year }}                                            2024
//   {{ unit }}                                            深圳市大数据资源管理中心
//   {{ income-expenditure-summary.footer.income-total }}   68,098.25
//   {{ project-expenditure[政务综合管理].total | fixed }}   30,778.88
//   {{ change(project-expenditure[政务综合管理].total) | dir }}      减少
//   {{ change(project-expenditure[政务综合管理].total) | amount }}   2,637.46
//   {{ change(project-expenditure[政务综合管理].total) | pct }}      7.9%
//   {{ three-public-expenses[change].total-general | dir("增长", "下降") }}
//   {{ project-expenditure.rows | count }}                5

import type { SourcePos } from '../errors.ts';
import { formatPercentTenths, formatTable, formatText, percentTenths, type Cents } from '../model/money.ts';
import type { FigureValue, Report, SourceText, TableData, ValueRow } from '../model/report.ts';
import { normalizePath } from '../load/report.ts';

// ---------------------------------------------------------------- syntax

export type Segment = { kind: 'key'; name: string } | { kind: 'index'; key: string };

export interface PathExpr {
  type: 'path';
  /** Where the path is looked up: this year's report or the prior year's. */
  scope: 'current' | 'prior';
  segments: Segment[];
  text: string;
}
export interface ChangeExpr {
  type: 'change';
  path: PathExpr;
  text: string;
}
export type Expr = PathExpr | ChangeExpr;

export interface Filter {
  name: string;
  args: string[];
}

export interface Reference {
  expr: Expr;
  filters: Filter[];
  /** Offsets of `{{` and just after `}}` in the template text. */
  start: number;
  end: number;
  source: string;
}

export type TemplatePart = { kind: 'text'; text: string; start: number } | { kind: 'ref'; ref: Reference };

export class ReferencePathError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly english: string,
  ) {
    super(message);
  }
}

export const FILTERS = ['fixed', 'dir', 'amount', 'pct', 'count'] as const;

const IDENT = /[a-z][a-z0-9-]*/y;

/** Splits a template into literal text and references; throws ReferencePathError on bad syntax. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const stray = text.indexOf('}}', i);
    if (stray !== -1 && (open === -1 || stray < open)) {
      throw new ReferencePathError('多余的 “}}”：引用应写作 {{ … }}', stray, 'unmatched }}');
    }
    if (open === -1) {
      parts.push({ kind: 'text', text: text.slice(i), start: i });
      break;
    }
    if (open > i) parts.push({ kind: 'text', text: text.slice(i, open), start: i });
    const close = text.indexOf('}}', open + 2);
    if (close === -1) throw new ReferencePathError('引用缺少结尾的 “}}”', open, 'unterminated reference');
    const inner = text.slice(open + 2, close);
    parts.push({ kind: 'ref', ref: parseReference(inner, open + 2, open, close + 2, text.slice(open, close + 2)) });
    i = close + 2;
  }
  return parts;
}

function parseReference(src: string, base: number, start: number, end: number, source: string): Reference {
  let pos = 0;
  const fail = (msg: string, en: string): never => {
    throw new ReferencePathError(msg, base + pos, en);
  };
  const ws = () => {
    while (pos < src.length && /\s/.test(src[pos]!)) pos++;
  };
  const ident = (): string | null => {
    IDENT.lastIndex = pos;
    const m = IDENT.exec(src);
    if (!m) return null;
    pos += m[0].length;
    return m[0];
  };
  const str = (): string => {
    const q = src[pos];
    if (q !== '"' && q !== '“') fail('过滤器参数应写在双引号中，如 dir("增长", "下降")', 'filter arguments must be quoted strings');
    const closeQ = q === '"' ? '"' : '”';
    const endQ = src.indexOf(closeQ, pos + 1);
    if (endQ === -1) fail('参数缺少结尾的引号', 'unterminated string');
    const s = src.slice(pos + 1, endQ);
    pos = endQ + 1;
    return s;
  };
  const path = (): PathExpr => {
    const from = pos;
    const first = ident();
    if (!first) fail('这里应是数据路径，如 project-expenditure[政务综合管理].total', 'expected a data path');
    const segments: Segment[] = [{ kind: 'key', name: first! }];
    let scope: 'current' | 'prior' = 'current';
    for (;;) {
      if (src[pos] === '.') {
        pos++;
        const name = ident();
        if (!name) fail('“.” 之后应是英文标识（小写字母、数字、连字符）', 'expected a name after "."');
        segments.push({ kind: 'key', name: name! });
      } else if (src[pos] === '[') {
        const close = src.indexOf(']', pos);
        if (close === -1) fail('缺少 “]”', 'missing ]');
        const key = src.slice(pos + 1, close).trim();
        if (!key) fail('[ ] 中应写科目编码或项目名称', 'empty [ ]');
        segments.push({ kind: 'index', key });
        pos = close + 1;
      } else break;
    }
    if (segments[0]!.kind === 'key' && (segments[0] as { name: string }).name === 'prior' && segments.length > 1) {
      scope = 'prior';
      segments.shift();
    }
    return { type: 'path', scope, segments, text: src.slice(from, pos) };
  };

  ws();
  let expr: Expr;
  const save = pos;
  const name = ident();
  if (name === 'change' && src[pos] === '(') {
    pos++;
    ws();
    const p = path();
    ws();
    if (src[pos] !== ')') fail('change( … ) 缺少 “)”', 'missing )');
    pos++;
    expr = { type: 'change', path: p, text: src.slice(save, pos) };
  } else {
    pos = save;
    expr = path();
  }
  const filters: Filter[] = [];
  for (;;) {
    ws();
    if (pos >= src.length) break;
    if (src[pos] !== '|') fail(`无法识别的内容 “${src.slice(pos).trim()}”；引用写作 {{ 路径 | 过滤器 }}`, 'unexpected text in reference');
    pos++;
    ws();
    const f = ident();
    if (!f) fail('“|” 之后应是过滤器名称', 'expected a filter name');
    if (!(FILTERS as readonly string[]).includes(f!)) fail(`未知的过滤器 “${f}”；可用：${FILTERS.join('、')}`, `unknown filter "${f}"`);
    const args: string[] = [];
    ws();
    if (src[pos] === '(') {
      pos++;
      for (;;) {
        ws();
        args.push(str());
        ws();
        if (src[pos] === ',' || src[pos] === '，') {
          pos++;
          continue;
        }
        if (src[pos] === ')') {
          pos++;
          break;
        }
        fail('过滤器参数之间用逗号分隔，以 “)” 结束', 'expected , or )');
      }
    }
    filters.push({ name: f!, args });
  }
  return { expr, filters, start, end, source };
}

// ---------------------------------------------------------------- values

export type Value =
  | { type: 'amount'; cents: Cents; at?: SourcePos }
  | { type: 'count'; n: number; at?: SourcePos }
  | { type: 'text'; text: string; at?: SourcePos }
  | { type: 'change'; current: Cents; prior: Cents; at?: SourcePos }
  | { type: 'rows'; n: number; at?: SourcePos };

export interface EvalContext {
  report: Report;
  /** The prior year's report of the same unit, when the project has it. */
  prior?: Report;
}

/** Looks a path up in a report; throws ReferencePathError (offset 0) when it names nothing. */
export function lookup(report: Report, segments: readonly Segment[], display: string): Value {
  const fail = (msg: string, en: string): never => {
    throw new ReferencePathError(msg, 0, en);
  };
  const [head, ...rest] = segments;
  if (head?.kind !== 'key') return fail(`引用 “${display}” 应以名称开头`, 'path must start with a name');
  const only = (v: Value): Value => {
    if (rest.length) fail(`引用 “${display}” 多写了后续部分`, 'path continues past a value');
    return v;
  };
  switch (head.name) {
    case 'year':
      return only({ type: 'count', n: report.year });
    case 'unit':
      return only({ type: 'text', text: report.unit });
    case 'department':
      return only({ type: 'text', text: report.department });
    case 'figures':
      return lookupFigure(report, rest, display);
    case 'projects': {
      const [cat, item, ...more] = rest;
      if (cat?.kind !== 'index' || !item || item.kind !== 'index' || more.length)
        fail(`二级项目的引用写作 projects[项目类别][项目名称]`, 'projects[category][name]');
      const group = own(report.projects, (cat as { key: string }).key);
      if (!group)
        fail(
          `report.yaml 的 projects 中没有项目类别 “${(cat as { key: string }).key}”；已有：${Object.keys(report.projects).join('、') || '无'}`,
          'unknown project category',
        );
      const a = own(group!, (item as { key: string }).key);
      if (!a)
        fail(
          `项目类别 “${(cat as { key: string }).key}” 下没有 “${(item as { key: string }).key}”；已有：${Object.keys(group!).join('、')}`,
          'unknown project',
        );
      return amountValue(a!.cents, a!.at, display);
    }
  }
  const table = own(report.tables, head.name);
  const layout = report.set.layouts.find((l) => l.id === head.name);
  if (!table || !layout) {
    return fail(
      `未知的引用 “${display}”：没有名为 “${head.name}” 的表或数据；表的名称有：${report.set.layouts.map((l) => l.id).join('、')}`,
      `unknown name "${head.name}"`,
    );
  }
  return lookupInTable(table, `表${layout.number} ${layout.title}`, rest, display);
}

function amountValue(cents: Cents | null, at: SourcePos, display: string): Value {
  if (cents === null) throw new ReferencePathError(`引用 “${display}” 指向的金额尚未填写`, 0, 'referenced amount is empty');
  return { type: 'amount', cents, at };
}

function lookupFigure(report: Report, rest: readonly Segment[], display: string): Value {
  const [id, ...more] = rest;
  if (id?.kind !== 'key' || more.length) throw new ReferencePathError(`引用 “${display}” 应写作 figures.<名称>`, 0, 'figures.<id>');
  const f = own(report.figures, id.name);
  if (!f)
    throw new ReferencePathError(`report.yaml 的 figures 中没有 “${id.name}”；已有：${Object.keys(report.figures).join('、')}`, 0, `unknown figure ${id.name}`);
  return figureValue(f, display);
}

export function figureValue(f: FigureValue, display: string): Value {
  if (f.type === 'amount') return amountValue(f.amount.cents, f.amount.at, display);
  if (f.type === 'count') {
    if (f.count.count === null) throw new ReferencePathError(`引用 “${display}” 指向的数量尚未填写`, 0, 'referenced count is empty');
    return { type: 'count', n: f.count.count, at: f.count.at };
  }
  if (!f.text) throw new ReferencePathError(`引用 “${display}” 指向的文字尚未填写`, 0, 'referenced text is empty');
  return { type: 'text', text: f.text.text, at: f.at };
}

/**
 * A record's own entry, never one inherited from Object.prototype: `[constructor]`
 * or `.__proto__` name nothing, as for any other unknown name.
 */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The rows a `[key]` can name: classified or item rows, statement expenditure rows. */
export function listRows(t: TableData): ValueRow[] {
  return t.kind === 'grid' ? t.rows : t.kind === 'statement' ? t.expenditure : [];
}

/** The row a `[key]` names: by code, name or key. */
export function findRow(rows: readonly ValueRow[], key: string): ValueRow | undefined {
  return rows.find((r) => r.key === key || r.code === key || r.name === key);
}

function lookupInTable(table: TableData, tableName: string, rest: readonly Segment[], display: string): Value {
  const fail = (msg: string, en: string): never => {
    throw new ReferencePathError(msg, 0, en);
  };
  const [first, second, ...more] = rest;
  if (!first) return fail(`引用 “${display}” 需要写到具体的数，如 ${display}.total`, 'path stops at a table');
  const rowValue = (row: ValueRow, col: Segment | undefined): Value => {
    if (col?.kind !== 'key' || more.length) return fail(`引用 “${display}” 应在行之后写列名：可用 ${Object.keys(row.values).join('、')}`, 'expected a column');
    const a = own(row.values, (col as { name: string }).name);
    if (!a) return fail(`${tableName} 没有列 “${(col as { name: string }).name}”；可用：${Object.keys(row.values).join('、')}`, 'unknown column');
    return amountValue(a!.cents, a!.at, display);
  };

  if (first.kind === 'index') {
    if (table.kind === 'performance-targets') {
      const task = table.tasks.find((t) => t.name.text === first.key);
      if (!task) return fail(`${tableName} 没有任务 “${first.key}”`, 'unknown task');
      if (second?.kind !== 'key' || more.length) return fail(`引用 “${display}” 应写作 [任务名称].total|fiscal|other`, 'expected a column');
      const a = own(task!.values, (second as { name: string }).name);
      if (!a) return fail(`${tableName} 任务没有列 “${(second as { name: string }).name}”；可用：total、fiscal、other`, 'unknown column');
      return amountValue(a!.cents, a!.at, display);
    }
    const row = findRow(listRows(table), first.key);
    if (!row) {
      const have = listRows(table).map((r) => r.code ?? r.key);
      return fail(`${tableName} 中没有 “${first.key}” 这一行；已有：${have.join('、') || '无'}`, `no row "${first.key}"`);
    }
    return rowValue(row!, second);
  }
  const name = first.name;
  if (name === 'rows' && !second) {
    const n = table.kind === 'performance-targets' ? table.tasks.length : listRows(table).length;
    return { type: 'rows', n };
  }
  if (table.kind === 'grid') {
    if (name === 'total' && table.total) return rowValue(table.total, second);
    return fail(`${tableName} 的引用应写作 .total.<列> 或 [编码或名称].<列>`, 'expected .total or [row]');
  }
  if (table.kind === 'statement') {
    const group = name === 'income' ? table.income : name === 'footer' ? table.footer : undefined;
    if (group) {
      if (second?.kind !== 'key' || more.length)
        return fail(`引用 “${display}” 应写作 .${name}.<项目>；可用：${Object.keys(group).join('、')}`, 'expected an item');
      const a = own(group, (second as { name: string }).name);
      if (!a) return fail(`${tableName} 的 ${name} 中没有 “${(second as { name: string }).name}”；可用：${Object.keys(group).join('、')}`, 'unknown item');
      return amountValue(a!.cents, a!.at, display);
    }
    return fail(`${tableName} 的引用应写作 .income.<项目>、.footer.<项目> 或 [科目编码].amount`, 'expected income, footer or [code]');
  }
  if (name === 'sum') {
    if (second?.kind !== 'key' || more.length) return fail(`引用应写作 .sum.total|fiscal|other`, 'expected a column');
    const a = own(table.sum, (second as { name: string }).name);
    if (!a) return fail(`${tableName} 金额合计没有列 “${(second as { name: string }).name}”`, 'unknown column');
    return amountValue(a!.cents, a!.at, display);
  }
  return fail(`${tableName} 的引用应写作 .sum.<列> 或 [任务名称].<列>`, 'expected .sum or [task]');
}

function resolvePath(path: PathExpr, ctx: EvalContext): Value {
  if (path.scope === 'current') return lookup(ctx.report, path.segments, path.text);
  const head = path.segments[0];
  if (head?.kind === 'key' && head.name === 'year' && path.segments.length === 1) return { type: 'count', n: ctx.report.prior.year };
  if (ctx.prior) return lookup(ctx.prior, path.segments, `prior.${path.text}`);
  const stated = ctx.report.prior.stated.get(normalizePath(path.text));
  if (!stated) {
    throw new ReferencePathError(
      `缺少上年数 “${path.text}”：项目中没有 ${ctx.report.prior.year} 年报告时，请在 report.yaml 的 prior.stated 中写明 “${normalizePath(path.text)}: 金额”`,
      0,
      'prior-year value missing',
    );
  }
  return figureValue(stated, `prior.${path.text}`);
}

export function evaluate(expr: Expr, ctx: EvalContext): Value {
  if (expr.type === 'path') return resolvePath(expr, ctx);
  const cur = resolvePath(expr.path, ctx);
  const prior = resolvePath({ ...expr.path, scope: 'prior' }, ctx);
  if (cur.type !== 'amount' || prior.type !== 'amount') throw new ReferencePathError('change( … ) 只能用于金额', 0, 'change() needs an amount');
  return { type: 'change', current: (cur as { cents: number }).cents, prior: (prior as { cents: number }).cents, at: cur.at };
}

/** Applies the filters and produces the text printed in the sentence. */
export function format(value: Value, filters: readonly Filter[]): string {
  let v = value;
  let out: string | null = null;
  for (const f of filters) {
    if (out !== null) throw new ReferencePathError(`过滤器 “${f.name}” 不能跟在已格式化的文字之后`, 0, 'filter after a formatted value');
    switch (f.name) {
      case 'fixed':
        if (v.type === 'amount') out = formatTable(v.cents);
        else if (v.type === 'change') out = formatTable(Math.abs(v.current - v.prior));
        else throw new ReferencePathError('fixed 只能用于金额', 0, 'fixed needs an amount');
        break;
      case 'amount':
        if (v.type === 'amount') out = formatText(Math.abs(v.cents));
        else if (v.type === 'change') out = formatText(Math.abs(v.current - v.prior));
        else throw new ReferencePathError('amount 只能用于金额或 change( … )', 0, 'amount needs an amount');
        break;
      case 'dir': {
        if (f.args.length !== 0 && f.args.length !== 2)
          throw new ReferencePathError('dir 的参数是两个词：增加时用的词、减少时用的词，如 dir("增长", "下降")', 0, 'dir takes two words');
        const [up, down] = f.args.length ? f.args : ['增加', '减少'];
        const delta = v.type === 'change' ? v.current - v.prior : v.type === 'amount' ? v.cents : null;
        if (delta === null) throw new ReferencePathError('dir 只能用于金额或 change( … )', 0, 'dir needs an amount');
        out = delta! >= 0 ? up! : down!;
        break;
      }
      case 'pct':
        if (v.type !== 'change') throw new ReferencePathError('pct 只能用于 change( … )', 0, 'pct needs change()');
        out = formatPercentTenths(percentTenths((v as { current: number }).current, (v as { prior: number }).prior));
        break;
      case 'count':
        if (v.type !== 'rows') throw new ReferencePathError('count 只能用于行列表，如 project-expenditure.rows | count', 0, 'count needs rows');
        v = { type: 'count', n: v.n };
        break;
    }
  }
  if (out !== null) return out;
  switch (v.type) {
    case 'amount':
      return formatText(v.cents);
    case 'count':
    case 'rows':
      return String(v.n);
    case 'text':
      return v.text;
    case 'change':
      throw new ReferencePathError('change( … ) 需要过滤器：dir（增减方向）、amount（增减金额）或 pct（增减幅度）', 0, 'change() needs a filter');
  }
}

/** Where an offset inside a source text lies in its file. */
/** Where each line of a text starts, computed once per text: placing an offset is then a binary search. */
const lineIndex = new WeakMap<SourceText, { text: string; starts: number[] }>();

function lineStartsOf(src: SourceText): number[] {
  let known = lineIndex.get(src);
  if (!known || known.text !== src.text) {
    const starts = [0];
    for (let i = src.text.indexOf('\n'); i >= 0; i = src.text.indexOf('\n', i + 1)) starts.push(i + 1);
    known = { text: src.text, starts };
    lineIndex.set(src, known);
  }
  return known.starts;
}

export function positionInText(src: SourceText, offset: number): SourcePos {
  const starts = lineStartsOf(src);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  const nl = lo;
  const col = offset - starts[lo]!;
  if (src.block) return { file: src.file, line: src.block.line + nl, col: src.block.indent + col + 1 };
  if (nl === 0) return { file: src.file, line: src.at.line, col: src.at.col + (src.quoted ? 1 : 0) + col };
  return { file: src.file, line: src.at.line + nl, col: col + 1 };
}

export interface RenderedPiece {
  kind: 'text' | 'value';
  text: string;
  ref?: Reference;
  value?: Value;
}

/** Renders a template; every failure is reported with its position in the file. */
export function renderTemplate(src: SourceText, ctx: EvalContext): { text: string; pieces: RenderedPiece[] } {
  const parts = parseOrThrow(src);
  const pieces: RenderedPiece[] = [];
  for (const p of parts) {
    if (p.kind === 'text') {
      pieces.push({ kind: 'text', text: p.text });
      continue;
    }
    try {
      const value = evaluate(p.ref.expr, ctx);
      pieces.push({ kind: 'value', text: format(value, p.ref.filters), ref: p.ref, value });
    } catch (e) {
      if (e instanceof ReferencePathError) throw new LocatedReferenceError(e.message, positionInText(src, p.ref.start), e.english);
      throw e;
    }
  }
  return { text: pieces.map((p) => p.text).join(''), pieces };
}

function parseOrThrow(src: SourceText): TemplatePart[] {
  try {
    return parseTemplate(src.text);
  } catch (e) {
    if (e instanceof ReferencePathError) throw new LocatedReferenceError(e.message, positionInText(src, e.offset), e.english);
    throw e;
  }
}

export class LocatedReferenceError extends Error {
  constructor(
    message: string,
    readonly at: SourcePos,
    readonly english: string,
  ) {
    super(message);
  }
}
