// Loads a table set's rules (rules.yaml), validates them against their schema and
// against the table set itself — every table, column and item a rule names must
// exist — so that a mistake in a rule is reported at its line, once, instead of
// surfacing as a puzzling finding in every report.

import { join, relative } from 'node:path';
import { parseTemplate, type Segment } from '../derive/reference.ts';
import { error, InputError, type Finding, type SourcePos } from '../errors.ts';
import { readYamlFile } from '../load/yaml-file.ts';
import { leafColumns } from '../schema/report.ts';
import { RulesFile, type RuleDef, type RuleKind } from '../schema/rules.ts';
import type { TableLayout, TableSet } from '../schema/table-set.ts';
import { positionOf, validateSchema } from '../validate/schema.ts';
import { ExpressionError, parseExpression, type Expression, type Term } from './expression.ts';

export const RULES_FILE = 'rules.yaml';

/** The Chinese name of each kind, as findings show it in brackets. */
export const KIND_NAMES: Record<RuleKind, string> = {
  hierarchy: '层级合计',
  columns: '栏目合计',
  across: '表间勾稽',
  completeness: '完整性',
  'empty-table-note': '空表说明',
  placeholders: '占位文字',
  'title-year': '标题年度',
  'code-names': '科目名称',
  'to-fill': '待填写',
  'narrative-amounts': '文字金额',
  'narrative-wording': '增减表述',
  'narrative-rows': '引用对象',
};

export interface Rule {
  def: RuleDef;
  kind: RuleKind;
  /** Where the rule is written (its `- id:` line). */
  at: SourcePos;
  expr?: Expression;
  /** hierarchy: the path the 类 rows must add up to (statement tables). */
  sum?: Segment[];
  /** narrative-wording: path prefixes whose values are themselves changes. */
  signed?: Segment[][];
}

export interface RuleSet {
  set: string;
  file: string;
  rules: Rule[];
}

const REQUIRED: Partial<Record<RuleKind, (keyof RuleDef)[]>> = {
  hierarchy: ['table'],
  columns: ['expect'],
  across: ['expect'],
  'empty-table-note': ['note'],
  placeholders: ['words'],
  'narrative-wording': ['increase', 'decrease'],
};

const FIELDS_BY_KIND: Record<RuleKind, (keyof RuleDef)[]> = {
  hierarchy: ['table', 'sum'],
  columns: ['expect', 'total', 'except'],
  across: ['expect', 'total', 'except'],
  completeness: [],
  'empty-table-note': ['note'],
  placeholders: ['words'],
  'title-year': [],
  'code-names': [],
  'to-fill': [],
  'narrative-amounts': ['thresholds'],
  'narrative-wording': ['increase', 'decrease', 'unchanged', 'signed'],
  'narrative-rows': ['aliases'],
};
const COMMON: (keyof RuleDef)[] = ['id', 'kind', 'name'];

export async function loadRules(set: TableSet, opts: { root: string }): Promise<RuleSet> {
  const path = join(set.dir, RULES_FILE);
  const file = relative(opts.root, path) || path;
  const src = await readYamlFile(path, file);
  const findings = validateSchema(src, RulesFile);
  if (findings.length) throw new InputError(findings);
  const defs = (src.data as unknown as { rules: RuleDef[] }).rules;
  const rules: Rule[] = [];
  const seen = new Map<string, number>();
  defs.forEach((def, i) => {
    const p = `/rules/${i}`;
    const at = positionOf(src, `${p}/id`);
    const fail = (field: string, message: string, english: string) =>
      findings.push(error('规则', 'rules-invalid', `规则 ${def.id}：${message}`, positionOf(src, field ? `${p}/${field}` : p), english));
    if (seen.has(def.id)) fail('id', `编号重复（第 ${seen.get(def.id)! + 1} 条已用），请改用不同的编号`, 'duplicate rule id');
    seen.set(def.id, i);
    const kind = def.kind;
    for (const f of REQUIRED[kind] ?? []) if (def[f] === undefined) fail('', `${kind} 规则需要 ${f}`, `${kind} needs ${f}`);
    const allowed = new Set([...COMMON, ...FIELDS_BY_KIND[kind]]);
    for (const f of Object.keys(def) as (keyof RuleDef)[]) {
      if (!allowed.has(f)) fail(f, `${kind} 规则不使用 ${f}；可用：${FIELDS_BY_KIND[kind].join('、') || '（无）'}`, `${kind} does not take ${f}`);
    }
    const rule: Rule = { def, kind, at };
    if ((kind === 'columns' || kind === 'across') && def.expect) {
      try {
        rule.expr = parseExpression(def.expect);
        for (const t of [...rule.expr.left, ...rule.expr.right]) {
          const problem = checkPath(set, t.segments, t);
          if (problem) fail('expect', problem, 'unknown path');
        }
        const tables = new Set([...rule.expr.left, ...rule.expr.right].map((t) => head(t.segments)));
        if (kind === 'columns' && tables.size !== 1)
          fail('expect', '栏目合计（columns）只能涉及一张表；跨表的关系请用 across', 'columns rules stay within one table');
        const rowTerms = [...rule.expr.left, ...rule.expr.right].filter((t) => t.eachRow);
        if ((def.total || def.except) && !rowTerms.length) fail('', 'total 与 except 只用于含 [*] 的表达式', 'total/except need [*]');
        if (def.total) {
          for (const t of rowTerms) {
            const l = set.layouts.find((x) => x.id === head(t.segments));
            const hasTotal = l && (l.kind === 'performance-targets' || (l.kind === 'grid' && (l.rows.total || l.rows.kind === 'total-only')));
            if (l && !hasTotal) fail('total', `表${l.number} 没有合计行，不能用 total: true`, 'table has no total row');
          }
        }
      } catch (e) {
        if (e instanceof ExpressionError) fail('expect', e.message, e.english);
        else throw e;
      }
    }
    if (kind === 'hierarchy' && def.table) {
      const layout = set.layouts.find((l) => l.id === def.table);
      if (!layout) fail('table', `没有名为 ${def.table} 的表；可用：${set.layouts.map((l) => l.id).join('、')}`, 'unknown table');
      else if (layout.kind === 'grid' && !['function-codes', 'economic-codes', 'items'].includes(layout.rows.kind)) {
        fail('table', `表${layout.number} 没有按科目或项目列示的行，不能做层级合计`, 'table has no classified rows');
      }
      if (def.sum) {
        const segs = pathSegments(def.sum);
        const problem = segs ? checkPath(set, segs) : `“${def.sum}” 不是数据路径`;
        if (problem) fail('sum', problem, 'unknown path');
        else rule.sum = segs!;
      } else if (layout?.kind === 'statement') {
        fail(
          '',
          `表${layout.number} 是收支总表类表格，请用 sum 写明各类之和应等于哪一项，如 ${layout.id}.footer.expenditure-this-year`,
          'statement tables need sum',
        );
      }
    }
    if (kind === 'narrative-wording' && def.signed) {
      rule.signed = [];
      def.signed.forEach((s, j) => {
        const segs = pathSegments(s);
        const problem = segs ? checkPath(set, segs, undefined, true) : `“${s}” 不是数据路径`;
        if (problem) findings.push(error('规则', 'rules-invalid', `规则 ${def.id}：${problem}`, positionOf(src, `${p}/signed/${j}`), 'unknown path'));
        else rule.signed!.push(segs!);
      });
    }
    if (kind === 'narrative-rows' && def.aliases) {
      for (const table of Object.keys(def.aliases)) {
        if (!set.layouts.some((l) => l.id === table) && table !== 'projects') {
          findings.push(
            error('规则', 'rules-invalid', `规则 ${def.id}：没有名为 ${table} 的表`, positionOf(src, `${p}/aliases/${table}`, true), 'unknown table'),
          );
        }
      }
    }
    rules.push(rule);
  });
  if (findings.length) throw new InputError(findings);
  return { set: set.id, file, rules };
}

/** Rules of every table set, by set id; throws InputError with every problem found. */
export async function loadAllRules(sets: Map<string, TableSet>, opts: { root: string }): Promise<Map<string, RuleSet>> {
  const out = new Map<string, RuleSet>();
  const findings: Finding[] = [];
  for (const set of sets.values()) {
    try {
      out.set(set.id, await loadRules(set, opts));
    } catch (e) {
      if (e instanceof InputError) findings.push(...e.findings);
      else throw e;
    }
  }
  if (findings.length) throw new InputError(findings);
  return out;
}

function head(segments: readonly Segment[]): string {
  const s = segments[0];
  return s?.kind === 'key' ? s.name : '';
}

function pathSegments(text: string): Segment[] | null {
  try {
    const parts = parseTemplate(`{{ ${text} }}`);
    const p = parts[0];
    if (parts.length !== 1 || p?.kind !== 'ref' || p.ref.expr.type !== 'path' || p.ref.filters.length || p.ref.expr.scope !== 'current') return null;
    return p.ref.expr.segments;
  } catch {
    return null;
  }
}

/** Checks a rule's path against the table set; returns the problem, or null. */
function checkPath(set: TableSet, segments: readonly Segment[], term?: Term, prefixOnly = false): string | null {
  const name = head(segments);
  const rest = segments.slice(1);
  const text = term?.text ?? segmentsText(segments);
  if (name === 'figures') {
    const id = rest[0];
    if (rest.length !== 1 || id?.kind !== 'key') return `“${text}” 应写作 figures.<名称>`;
    if (!set.figures.some((f) => f.id === id.name)) return `“${text}”：set.yaml 的 figures 中没有 ${id.name}`;
    return null;
  }
  if (name === 'projects') return rest.length === 2 && rest.every((s) => s.kind === 'index') ? null : `“${text}” 应写作 projects[项目类别][项目名称]`;
  const layout = set.layouts.find((l) => l.id === name);
  if (!layout) return `“${text}”：没有名为 ${name} 的表；可用：${set.layouts.map((l) => l.id).join('、')}`;
  const col = term?.eachColumn ? '*' : undefined;
  const cols = columnIds(layout);
  const checkCol = (c: string | undefined): string | null => {
    if (c === '*') return null;
    if (c === undefined) return prefixOnly ? null : `“${text}” 应写到具体的栏，如 .${cols[0]}`;
    return cols.includes(c) ? null : `“${text}”：表${layout.number} 没有栏 ${c}；可用：${cols.join('、')}`;
  };
  const [a, b, ...more] = rest;
  if (!a) return prefixOnly ? null : `“${text}” 应写到具体的数`;
  if (layout.kind === 'statement' && a.kind === 'key' && (a.name === 'income' || a.name === 'footer')) {
    const items = a.name === 'income' ? layout.income : layout.footer.flat();
    if (b?.kind !== 'key' || more.length) return `“${text}” 应写作 ${name}.${a.name}.<项目>`;
    return items.some((i) => i.key === b.name)
      ? null
      : `“${text}”：表${layout.number} 的 ${a.name} 中没有 ${b.name}；可用：${items.map((i) => i.key).join('、')}`;
  }
  if (a.kind === 'index') {
    if (layout.kind === 'grid' && layout.rows.kind === 'fixed' && a.key !== '*' && !layout.rows.fixed?.some((f) => f.key === a.key)) {
      return `“${text}”：表${layout.number} 没有行 ${a.key}；可用：${layout.rows.fixed?.map((f) => f.key).join('、')}`;
    }
    if (more.length) return `“${text}” 多写了后续部分`;
    return checkCol(b?.kind === 'key' ? b.name : b ? '?' : col);
  }
  if (layout.kind === 'grid' && a.name === 'total') {
    if (!layout.rows.total && layout.rows.kind !== 'total-only') return `“${text}”：表${layout.number} 没有合计行`;
    if (more.length) return `“${text}” 多写了后续部分`;
    return checkCol(b?.kind === 'key' ? b.name : b ? '?' : col);
  }
  if (layout.kind === 'performance-targets' && a.name === 'sum') {
    if (more.length) return `“${text}” 多写了后续部分`;
    return checkCol(b?.kind === 'key' ? b.name : b ? '?' : col);
  }
  return `“${text}”：无法识别；表格的数写作 ${name}[编码或名称].<栏>、${name}.total.<栏>（或收支总表的 .income / .footer、表12 的 .sum）`;
}

export function columnIds(layout: TableLayout): string[] {
  if (layout.kind === 'performance-targets') return ['total', 'fiscal', 'other'];
  if (layout.kind === 'statement') return ['amount'];
  return leafColumns(layout.columns)
    .filter((c) => (c.type ?? 'amount') === 'amount')
    .map((c) => c.id!);
}

export function segmentsText(segments: readonly Segment[]): string {
  return segments.map((s, i) => (s.kind === 'index' ? `[${s.key}]` : i ? `.${s.name}` : s.name)).join('');
}
