// Loads one report folder (content/<unit>/<year>/): report.yaml, narrative.yaml and
// tables/NN-<table>.yaml. Every file is validated against the schema generated from
// its table set before anything is converted; all findings are gathered, not just
// the first.

import { readdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { error, InputError, type Finding, type SourcePos } from '../errors.ts';
import { dateProblem, isCalendarDate } from '../model/date.ts';
import { formatTable, parseCents } from '../model/money.ts';
import type {
  Amount,
  Count,
  GridData,
  IndicatorCategory,
  NarrativeBlock,
  PerformanceData,
  Report,
  SourceText,
  StatementData,
  TableData,
  ValueRow,
} from '../model/report.ts';
import { leafColumns } from '../schema/report.ts';
import type { GridLayout, PerformanceLayout, StatementItem, StatementLayout, TableLayout, TableSet } from '../schema/table-set.ts';
import { positionOf, validateSchema } from '../validate/schema.ts';
import { childPointer, readYamlFile, type Json, type YamlSource } from './yaml-file.ts';
import type { LoadOptions } from './table-set.ts';

type Obj = { [key: string]: Json };

export function tableFileName(layout: TableLayout): string {
  return `${String(layout.number).padStart(2, '0')}-${layout.id}.yaml`;
}

/** Reads the files of a report and validates them; throws InputError with every finding. */
export async function loadReport(dir: string, sets: Map<string, TableSet>, opts: LoadOptions): Promise<Report> {
  const show = (p: string) => relative(opts.root, p) || p;
  const findings: Finding[] = [];
  const read = async (path: string): Promise<YamlSource | null> => {
    try {
      return await readYamlFile(path, show(path));
    } catch (e) {
      if (e instanceof InputError) {
        findings.push(...e.findings);
        return null;
      }
      throw e;
    }
  };

  const reportSrc = await read(join(dir, 'report.yaml'));
  if (!reportSrc) throw new InputError(findings);
  const meta = reportSrc.data as Obj | null;
  const setId = meta && typeof meta === 'object' && !Array.isArray(meta) ? meta.tableSet : undefined;
  const set = typeof setId === 'string' ? sets.get(setId) : undefined;
  if (!set) {
    const known = [...sets.keys()].join('、');
    findings.push(
      error('格式', 'report-table-set', `report.yaml 的 tableSet 应为已有的模板之一：${known}`, positionOf(reportSrc, '/tableSet'), 'unknown table set'),
    );
    throw new InputError(findings);
  }
  findings.push(...validateSchema(reportSrc, set.schemas.report!));

  const narrativeSrc = await read(join(dir, 'narrative.yaml'));
  if (narrativeSrc) findings.push(...validateSchema(narrativeSrc, set.schemas.narrative!));

  const tablesDir = join(dir, 'tables');
  let present: string[] = [];
  try {
    present = (await readdir(tablesDir)).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'));
  } catch {
    findings.push(
      error(
        '完整性',
        'tables-folder-missing',
        `缺少表格文件夹 ${show(tablesDir)}，请按模板建立 12 张表的文件`,
        { file: show(tablesDir), line: 1, col: 1 },
        'tables folder missing',
      ),
    );
  }
  const tableSrcs = new Map<string, YamlSource>();
  for (const layout of set.layouts) {
    const name = tableFileName(layout);
    if (!present.includes(name)) {
      findings.push(
        error(
          '完整性',
          'table-missing',
          `缺少表${layout.number}（${layout.title}）的文件 ${show(join(tablesDir, name))}，请补上（本年无数据的表也要有文件，并注明“本表本年无发生额”）`,
          { file: show(join(tablesDir, name)), line: 1, col: 1 },
          `table ${layout.number} file missing`,
        ),
      );
      continue;
    }
    const src = await read(join(tablesDir, name));
    if (!src) continue;
    findings.push(...validateSchema(src, set.schemas[layout.id]!));
    tableSrcs.set(layout.id, src);
  }
  const expected = new Set(set.layouts.map(tableFileName));
  for (const name of present.sort()) {
    if (!expected.has(name)) {
      findings.push(
        error(
          '完整性',
          'table-unknown-file',
          `表格文件 ${name} 不属于模板 ${set.id}；文件名应为：${[...expected].join('、')}`,
          { file: show(join(tablesDir, name)), line: 1, col: 1 },
          'unknown table file',
        ),
      );
    }
  }
  if (findings.length) throw new InputError(findings);

  // Everything validated: convert to the typed model, checking what a schema cannot
  // (exact amounts, codes as written).
  const conv = new Converter();
  const year = meta!.year as number;
  const slug = basename(dirname(dir));
  const report: Report = {
    id: `${slug}/${year}`,
    slug,
    dir,
    unit: meta!.unit as string,
    department: meta!.department as string,
    year,
    kind: meta!.kind as string,
    currency: meta!.currency as string,
    set,
    prior: { year: 0, basis: '', stated: new Map() },
    figures: {},
    // Keys written by the officer: no prototype, so a name such as "constructor" is data like any other.
    projects: Object.create(null) as Report['projects'],
    narrative: [],
    tables: {},
    files: { report: reportSrc },
  };
  if (typeof meta!.published === 'string') {
    if (isCalendarDate(meta!.published)) report.published = meta!.published;
    else {
      findings.push(
        error(
          '格式',
          'date-invalid',
          `公开日期 ${dateProblem(meta!.published)}：请写实际的公开日期`,
          positionOf(reportSrc, '/published'),
          'not a calendar date',
        ),
      );
    }
  }
  if (basename(dir) !== String(year)) {
    findings.push(
      error(
        '一致性',
        'report-year-folder',
        `report.yaml 的 year 是 ${year}，但文件夹名是 ${basename(dir)}；请让两者一致`,
        positionOf(reportSrc, '/year'),
        'year does not match folder',
      ),
    );
  }

  const prior = meta!.prior as Obj;
  report.prior.year = prior.year as number;
  report.prior.basis = prior.basis as string;
  const stated = (prior.stated ?? {}) as Obj;
  for (const key of Object.keys(stated)) {
    const p = childPointer('/prior/stated', key);
    // A stated value is an amount unless it names a count figure (vehicles, …).
    const fig = /^figures\.([a-z0-9-]+)$/.exec(normalizePath(key));
    const def = fig ? set.figures.find((f) => f.id === fig[1]) : undefined;
    report.prior.stated.set(
      normalizePath(key),
      def?.type === 'count'
        ? { type: 'count', count: conv.count(reportSrc, p) }
        : { type: 'amount', amount: conv.amount(reportSrc, p, { signed: isSignedPath(set, normalizePath(key)), label: key }) },
    );
  }
  if (report.prior.year !== year - 1) {
    findings.push(
      error(
        '一致性',
        'report-prior-year',
        `上年年度应为 ${year - 1}，实际是 ${report.prior.year}`,
        positionOf(reportSrc, '/prior/year'),
        'prior year must be year - 1',
      ),
    );
  }

  const figures = meta!.figures as Obj;
  for (const def of set.figures) {
    const p = `/figures/${def.id}`;
    if (def.type === 'amount') report.figures[def.id] = { type: 'amount', amount: conv.amount(reportSrc, p, { label: def.label }) };
    else if (def.type === 'count') report.figures[def.id] = { type: 'count', count: conv.count(reportSrc, p) };
    else {
      const v = figures[def.id];
      report.figures[def.id] = { type: 'text', text: typeof v === 'string' ? conv.text(reportSrc, p) : null, at: positionOf(reportSrc, p) };
    }
  }
  const projects = (meta!.projects ?? {}) as Obj;
  for (const [cat, items] of Object.entries(projects)) {
    const pc = childPointer('/projects', cat);
    const group: Record<string, Amount> = Object.create(null);
    for (const name of Object.keys(items as Obj)) group[name] = conv.amount(reportSrc, childPointer(pc, name), { label: name });
    report.projects[cat] = group;
  }

  if (narrativeSrc) {
    report.files.narrative = narrativeSrc;
    const data = narrativeSrc.data as Obj;
    for (const part of set.parts) {
      const value = data[part.id];
      const p = `/${part.id}`;
      const blocks: NarrativeBlock[] = [];
      const list = typeof value === 'string' ? [value] : (value as Json[]);
      list.forEach((block, i) => {
        const bp = typeof value === 'string' ? p : `${p}/${i}`;
        if (typeof block === 'string') blocks.push({ kind: 'markdown', source: conv.text(narrativeSrc, bp) });
        else {
          const t = (block as Obj).table as Obj;
          blocks.push({
            kind: 'table',
            at: positionOf(narrativeSrc, bp),
            columns: (t.columns as Json[]).map((_, j) => conv.text(narrativeSrc, `${bp}/table/columns/${j}`)),
            rows: (t.rows as Json[][]).map((row, r) => row.map((_, c) => conv.text(narrativeSrc, `${bp}/table/rows/${r}/${c}`))),
          });
        }
      });
      report.narrative.push({ id: part.id, title: part.title, blocks });
    }
  }

  for (const layout of set.layouts) {
    const src = tableSrcs.get(layout.id);
    if (!src) continue;
    report.files[layout.id] = src;
    report.tables[layout.id] = convertTable(layout, src, conv);
  }
  findings.push(...conv.findings);
  if (findings.length) throw new InputError(findings);
  return report;
}

/** `a[ b ].c` and `a[b].c` are the same reference. */
export function normalizePath(path: string): string {
  return path.replace(/\s+/g, '').replace(/^prior\./, '');
}

/**
 * Whether a path as the narrative writes it (`table[row].column`) reads a value that may
 * be negative: its row or its column is marked `signed` in the table's layout.
 */
export function isSignedPath(set: TableSet, path: string): boolean {
  const m = /^([a-z0-9-]+)(?:\[([^\]]+)\])?(?:\.([a-z0-9-]+))?/.exec(path);
  const layout = m ? set.layouts.find((l) => l.id === m[1]) : undefined;
  if (!m || !layout || layout.kind !== 'grid') return false;
  const row = layout.rows.fixed?.find((f) => f.key === m[2]);
  const column = leafColumns(layout.columns).find((c) => c.id === m[3]);
  return !!(row?.signed || column?.signed);
}

interface AmountOptions {
  /** The value may be negative (a change). */
  signed?: boolean;
  /** What the value is, for messages: the column title or the item's name. */
  label?: string;
}

class Converter {
  findings: Finding[] = [];

  amount(src: YamlSource, pointer: string, opts: AmountOptions = {}): Amount {
    const at = positionOf(src, pointer);
    const v = valueAt(src.data, pointer);
    if (v === null || v === undefined) return { cents: null, at };
    const text = typeof v === 'number' ? (src.raw.get(pointer) ?? String(v)) : String(v);
    const cents = parseCents(text);
    if (cents !== null && cents < 0 && !opts.signed) {
      const what = opts.label ? `“${opts.label}”` : '这一项';
      this.findings.push(
        error(
          '格式',
          'amount-negative',
          `金额 “${text}” 是负数，但${what}不能为负：只有增减变化栏（行）可以为负数。请填写 ${formatTable(-cents)} 或核对正负号`,
          at,
          'negative amount where only a change may be negative',
        ),
      );
      return { cents: null, at };
    }
    if (cents === null) {
      this.findings.push(
        error(
          '格式',
          'amount-format',
          `金额 “${text}” 无法识别：金额以万元为单位，最多两位小数，如 68098.25 或 "68,098.25"`,
          at,
          'amount must have at most two decimals',
        ),
      );
      return { cents: null, at };
    }
    return { cents, at };
  }

  count(src: YamlSource, pointer: string): Count {
    const at = positionOf(src, pointer);
    const v = valueAt(src.data, pointer);
    return { count: typeof v === 'number' ? v : null, at };
  }

  text(src: YamlSource, pointer: string): SourceText {
    return sourceText(src, pointer);
  }

  /** Codes keep the digits as written, so an unquoted 0201 is not read as 201. */
  code(src: YamlSource, pointer: string): string {
    const v = valueAt(src.data, pointer);
    if (typeof v === 'number') {
      const raw = src.raw.get(pointer) ?? String(v);
      if (!/^\d+$/.test(raw)) {
        this.findings.push(error('格式', 'code-format', `科目编码 “${raw}” 应为纯数字，如 "2010350"`, positionOf(src, pointer), 'code must be digits'));
      }
      return raw;
    }
    return String(v);
  }
}

/** The text at `pointer` with what is needed to place an offset inside it (block, quotes). */
export function sourceText(src: YamlSource, pointer: string): SourceText {
  const v = valueAt(src.data, pointer);
  const out: SourceText = { text: typeof v === 'string' ? v : v == null ? '' : String(v), file: src.file, pointer, at: positionOf(src, pointer) };
  const block = src.blockStarts.get(pointer);
  if (block) out.block = block;
  const raw = src.raw.get(pointer);
  if (raw && (raw.startsWith('"') || raw.startsWith("'"))) out.quoted = true;
  return out;
}

function valueAt(data: Json, pointer: string): Json | undefined {
  let cur: Json | undefined = data;
  if (!pointer) return cur;
  for (const part of pointer.slice(1).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur && typeof cur === 'object') cur = Array.isArray(cur) ? cur[Number(key)] : (cur as Obj)[key];
    else return undefined;
  }
  return cur;
}

function codeLevel(code: string): number {
  return code.length <= 3 ? 0 : code.length <= 5 ? 1 : 2;
}

function convertTable(layout: TableLayout, src: YamlSource, conv: Converter): TableData {
  if (layout.kind === 'grid') return convertGrid(layout, src, conv);
  if (layout.kind === 'statement') return convertStatement(layout, src, conv);
  return convertPerformance(layout, src, conv);
}

function notesOf(src: YamlSource, conv: Converter): SourceText[] {
  const notes = ((src.data as Obj).notes ?? []) as Json[];
  return notes.map((_, i) => conv.text(src, `/notes/${i}`));
}

function convertGrid(layout: GridLayout, src: YamlSource, conv: Converter): GridData {
  const data = src.data as Obj;
  const columns = leafColumns(layout.columns).filter((c) => (c.type ?? 'amount') === 'amount');
  const values = (pointer: string, rowSigned = false): Record<string, { cents: number | null; at: SourcePos }> =>
    Object.fromEntries(columns.map((c) => [c.id!, conv.amount(src, `${pointer}/${c.id}`, { signed: rowSigned || c.signed, label: c.title })]));
  const out: GridData = { kind: 'grid', rows: [], notes: notesOf(src, conv) };
  if (data.total) out.total = { key: 'total', level: 0, values: values('/total'), at: positionOf(src, '/total') };
  const rk = layout.rows.kind;
  if (rk === 'function-codes' || rk === 'economic-codes') {
    (data.rows as Obj[]).forEach((row, i) => {
      const p = `/rows/${i}`;
      const code = conv.code(src, `${p}/code`);
      out.rows.push({ key: code, code, name: row.name as string, level: codeLevel(code), values: values(p), at: positionOf(src, p) });
    });
  } else if (rk === 'items') {
    (data.rows as Obj[]).forEach((row, i) => {
      const p = `/rows/${i}`;
      out.rows.push({ key: row.name as string, name: row.name as string, level: 0, values: values(p), at: positionOf(src, p) });
    });
  } else if (rk === 'fixed') {
    for (const f of layout.rows.fixed ?? []) {
      const p = `/rows/${f.key}`;
      out.rows.push({ key: f.key, label: f.label, level: 0, values: values(p, f.signed), at: positionOf(src, p) });
    }
  }
  return out;
}

function convertStatement(layout: StatementLayout, src: YamlSource, conv: Converter): StatementData {
  const data = src.data as Obj;
  const item = (group: string) => (i: StatementItem) => [i.key, conv.amount(src, `/${group}/${i.key}`, { signed: i.signed, label: i.label })];
  const income = Object.fromEntries(layout.income.map(item('income')));
  const footer = Object.fromEntries(layout.footer.flat().map(item('footer')));
  const expenditure: ValueRow[] = (data.expenditure as Obj[]).map((row, i) => {
    const p = `/expenditure/${i}`;
    const code = conv.code(src, `${p}/code`);
    const amount = conv.amount(src, `${p}/amount`, { label: row.name as string });
    return { key: code, code, name: row.name as string, level: codeLevel(code), values: { amount }, at: positionOf(src, p) };
  });
  return { kind: 'statement', income, expenditure, footer, notes: notesOf(src, conv) };
}

function convertPerformance(_layout: PerformanceLayout, src: YamlSource, conv: Converter): PerformanceData {
  const data = src.data as Obj;
  const money = (p: string) => ({ total: conv.amount(src, `${p}/total`), fiscal: conv.amount(src, `${p}/fiscal`), other: conv.amount(src, `${p}/other`) });
  const tasks = (data.tasks as Obj[]).map((_, i) => {
    const p = `/tasks/${i}`;
    return { name: conv.text(src, `${p}/name`), content: conv.text(src, `${p}/content`), values: money(p), at: positionOf(src, p) };
  });
  const indicators: IndicatorCategory[] = (data.indicators as Obj[]).map((cat, i) => ({
    name: conv.text(src, `/indicators/${i}/name`),
    groups: (cat.groups as Obj[]).map((g, j) => ({
      name: conv.text(src, `/indicators/${i}/groups/${j}/name`),
      indicators: (g.indicators as Obj[]).map((_, k) => ({
        name: conv.text(src, `/indicators/${i}/groups/${j}/indicators/${k}/name`),
        target: conv.text(src, `/indicators/${i}/groups/${j}/indicators/${k}/target`),
      })),
    })),
  }));
  return { kind: 'performance-targets', tasks, sum: money('/sum'), goal: conv.text(src, '/goal'), indicators, notes: notesOf(src, conv) };
}
