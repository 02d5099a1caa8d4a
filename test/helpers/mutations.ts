// Single corruptions of the bundled report, aimed with the YAML source positions of
// the loaded seed, each knowing the file and line a checker must point at. Used by
// the mutation test: every mutation applied alone to a temporary copy must be
// reported at its file and line.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellsOf, posKey, type Cell } from '../../src/check/cells.ts';
import { formatPlain } from '../../src/model/money.ts';
import type { Report } from '../../src/model/report.ts';
import { positionOf } from '../../src/validate/schema.ts';

export interface Mutation {
  /** What sort of corruption: amount +0.01, row dropped, reference to the wrong cell, … */
  kind: string;
  name: string;
  /** Project-relative path of the file changed. */
  file: string;
  apply: (text: string) => string;
  /** Where the finding must be: this file, one of these lines (of the changed file). */
  expect: { file: string; lines: number[] };
}

function lines(text: string): string[] {
  return text.split('\n');
}

/** Replaces the scalar that starts at line:col (1-based). */
function replaceToken(text: string, line: number, col: number, value: string): string {
  const ls = lines(text);
  const l = ls[line - 1]!;
  const rest = l.slice(col - 1);
  const m = /^("[^"]*"|'[^']*'|[^,}\s]+)/.exec(rest);
  if (!m) throw new Error(`no value at ${line}:${col}: ${l}`);
  ls[line - 1] = l.slice(0, col - 1) + value + rest.slice(m[0].length);
  return ls.join('\n');
}

function swapDigits(cents: number): number | null {
  const s = formatPlain(cents);
  for (let i = 0; i + 1 < s.length; i++) {
    const a = s[i]!;
    let j = i + 1;
    if (s[j] === '.') j++;
    const b = s[j];
    if (b && /\d/.test(a) && /\d/.test(b) && a !== b) {
      const t = s.split('');
      t[i] = b;
      t[j] = a;
      const v = Math.round(Number(t.join('')) * 100);
      if (formatPlain(v).replace(/^0+(?=\d)/, '') === t.join('').replace(/^0+(?=\d)/, '')) return v;
    }
  }
  return null;
}

/**
 * An amount +0.01, +100 and with two digits swapped. The +0.01 is applied only to a
 * cell that an equality ties to one other cell (`tight`, from the rules): inside a
 * sum of n cells a difference of up to n × 0.005 万元 is what rounding each cell on
 * its own allows, so no checker may flag it there.
 */
export function cellMutations(cell: Cell, tight: ReadonlySet<string>): Mutation[] {
  const out: Mutation[] = [];
  if (cell.kind !== 'amount' || cell.value === null) return out;
  const v = cell.value;
  const at = cell.at;
  const expect = { file: at.file, lines: [at.line] };
  const set = (name: string, to: number) =>
    out.push({
      kind: `amount ${name}`,
      name: `${name}: ${cell.label} ${formatPlain(v)} → ${formatPlain(to)}`,
      file: at.file,
      apply: (t) => replaceToken(t, at.line, at.col, formatPlain(to)),
      expect,
    });
  if (tight.has(posKey(at))) set('+0.01', v + 1);
  set('+100', v + 10000);
  const s = swapDigits(v);
  if (s !== null && s !== v) set('digits swapped', s);
  return out;
}

/** Cells spread over every table: the unit row, the first and last rows, a middle one. */
export function sampleCells(report: Report): Cell[] {
  const cells = cellsOf(report).filter((c) => c.kind === 'amount' && c.value !== null && c.at.file.includes('/tables/'));
  const out: Cell[] = [];
  for (const layout of report.set.layouts) {
    const own = cells.filter((c) => c.table === layout.id);
    if (!own.length) continue;
    const rows = [...new Set(own.map((c) => c.row))];
    const pick = [0, Math.floor(rows.length / 2), rows.length - 1];
    pick.forEach((r, k) => {
      const rowCells = own.filter((c) => c.row === rows[r]);
      // A different column in each row picked, and prefer non-zero values.
      const nonZero = rowCells.filter((c) => c.value !== 0);
      const from = nonZero.length ? nonZero : rowCells;
      const c = from[(k * 3) % from.length];
      if (c && !out.includes(c)) out.push(c);
    });
  }
  return out;
}

/** Every filled amount of every table (the exhaustive run). */
export function allCells(report: Report): Cell[] {
  return cellsOf(report).filter((c) => c.kind === 'amount' && c.value !== null && c.at.file.includes('/tables/'));
}

function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i === -1) throw new Error(`mutation anchor not found: ${needle}`);
  return text.slice(0, i).split('\n').length;
}

/** A textual substitution; the finding must be on the line of the first occurrence. */
function substitute(kind: string, name: string, root: string, file: string, find: string, replace: string, expectLine?: (text: string) => number): Mutation {
  const text = readFileSync(join(root, file), 'utf8');
  const line = expectLine ? expectLine(text) : lineOf(text, find);
  return {
    kind,
    name,
    file,
    apply: (t) => {
      if (!t.includes(find)) throw new Error(`anchor missing: ${find}`);
      return t.replace(find, replace);
    },
    expect: { file, lines: [line] },
  };
}

/** Rows dropped, duplicated, recoded and renamed, in the tables with classified rows. */
export function rowMutations(report: Report, _root: string): Mutation[] {
  const out: Mutation[] = [];
  for (const layout of report.set.layouts) {
    const src = report.files[layout.id];
    const data = report.tables[layout.id];
    if (!src || !data) continue;
    if (data.kind === 'performance-targets') {
      // A task is a block of lines, from its `- name:` to the next task.
      const i = data.tasks.length - 1;
      const first = data.tasks[i]!.at.line;
      const end = positionOf(src, '/sum').line; // the line after the last task
      const sumLine = end;
      out.push({
        kind: 'row dropped',
        name: `row dropped: 表${layout.number} ${data.tasks[i]!.name.text}`,
        file: src.file,
        apply: (t) => lines0(t, (l) => [...l.slice(0, first - 1), ...l.slice(end - 1)]),
        expect: { file: src.file, lines: [sumLine - (end - first)] },
      });
      out.push({
        kind: 'row duplicated',
        name: `row duplicated: 表${layout.number} ${data.tasks[i]!.name.text}`,
        file: src.file,
        apply: (t) => lines0(t, (l) => [...l.slice(0, end - 1), ...l.slice(first - 1, end - 1), ...l.slice(end - 1)]),
        expect: { file: src.file, lines: [end] },
      });
      continue;
    }
    const list = data.kind === 'grid' ? data.rows : data.expenditure;
    if (!list.length || (layout.kind === 'grid' && layout.rows.kind === 'fixed')) continue;
    const file = src.file;
    const base = data.kind === 'grid' ? '/rows' : '/expenditure';
    // The row whose sum breaks when a row goes: its parent, or the table's total.
    const totalLine = data.kind === 'grid' ? data.total!.at.line : positionOf(src, '/footer/expenditure-this-year').line;
    const parentLine = (i: number): number => {
      const r = list[i]!;
      if (r.code && r.code.length > 3) {
        const p = list.findIndex((x) => x.code === r.code!.slice(0, -2));
        return list[p]!.at.line;
      }
      return totalLine;
    };
    const coded = list.some((r) => r.code);
    // Drop: a leaf deep in the tree, and a top row.
    const leaf = list.findIndex((r, i) => i > 0 && (!coded || r.code!.length > 3) && (list[i + 1]?.code?.length ?? 0) <= (r.code?.length ?? 0));
    const top = coded ? list.findIndex((r, i) => i > 0 && r.code!.length === 3) : list.length - 1;
    for (const i of [...new Set([leaf, top])].filter((i) => i >= 0)) {
      const line = list[i]!.at.line;
      const children = coded ? list.filter((r) => r.code!.startsWith(list[i]!.code!) && r !== list[i]) : [];
      const expectLine = (l: number) => (l > line ? l - 1 : l);
      const lines = children.length ? [expectLine(parentLine(i)), ...children.map((c) => expectLine(c.at.line))] : [expectLine(parentLine(i))];
      out.push({
        kind: 'row dropped',
        name: `row dropped: 表${layout.number} ${list[i]!.code ?? list[i]!.name}`,
        file,
        apply: (t) => lines0(t, (l) => l.filter((_, k) => k !== line - 1)),
        expect: { file, lines },
      });
      out.push({
        kind: 'row duplicated',
        name: `row duplicated: 表${layout.number} ${list[i]!.code ?? list[i]!.name}`,
        file,
        apply: (t) => lines0(t, (l) => [...l.slice(0, line), l[line - 1]!, ...l.slice(line)]),
        expect: { file, lines: [line + 1] },
      });
    }
    // Recode: a 项/款 row to a code no other table uses; a 类 row to another 类.
    if (coded) {
      const rec = (i: number, to: string) => {
        const r = list[i]!;
        const p = positionOf(src, `${base}/${i}/code`);
        out.push({
          kind: 'code renamed',
          name: `code renamed: 表${layout.number} ${r.code} → ${to}`,
          file,
          apply: (t) => replaceToken(t, p.line, p.col, `"${to}"`),
          expect: { file, lines: [p.line] },
        });
      };
      if (leaf >= 0) rec(leaf, `${list[leaf]!.code!.slice(0, -1)}${(Number(list[leaf]!.code!.slice(-1)) + 1) % 10}`);
      if (top >= 0) rec(top, String(Number(list[top]!.code!) + 1));
      // Rename: the name of a row.
      const r = list[Math.max(leaf, 0)]!;
      const np = positionOf(src, `${base}/${Math.max(leaf, 0)}/name`);
      out.push({
        kind: 'name renamed',
        name: `name renamed: 表${layout.number} ${r.code} ${r.name} → ${r.name}经费`,
        file,
        apply: (t) => replaceToken(t, np.line, np.col, `${r.name}经费`),
        expect: { file, lines: [np.line] },
      });
    }
  }
  return out;
}

function lines0(text: string, f: (l: string[]) => string[]): string {
  return f(text.split('\n')).join('\n');
}

function kindOf(name: string): string {
  if (name.startsWith('reference to the wrong')) return 'reference to the wrong cell';
  if (name.startsWith('literal amount')) return 'literal amount in the text';
  if (/where the amount/.test(name)) return 'wording against the numbers';
  if (name.startsWith('placeholder')) return 'placeholder';
  if (/note/.test(name)) return 'empty-table note';
  if (/left empty/.test(name)) return 'value left empty';
  return 'other (year, figures, task)';
}

/** Corruptions of the narrative, the notes, the figures and the completeness of a report. */
export function textMutations(report: Report, root: string): Mutation[] {
  const dir = report.dir.slice(root.length + 1);
  const narrative = `${dir}/narrative.yaml`;
  const meta = `${dir}/report.yaml`;
  const t = (n: number, id: string) => `${dir}/tables/${String(n).padStart(2, '0')}-${id}.yaml`;
  const s = (name: string, file: string, find: string, replace: string) => substitute(kindOf(name), name, root, file, find, replace);
  return [
    // References pointed at the wrong cell.
    s(
      'reference to the wrong row (表5)',
      narrative,
      '1.政务综合管理{{ project-expenditure[政务综合管理].total }}',
      '1.政务综合管理{{ project-expenditure[信息化运维项目].total }}',
    ),
    s(
      'reference to the wrong row (表5, 3.)',
      narrative,
      '3.信息化新建项目（非政府投资项目）{{ project-expenditure[信息化新建项目（非政府投资项目）].total }}',
      '3.信息化新建项目（非政府投资项目）{{ project-expenditure[信息化类].total }}',
    ),
    s(
      'reference to the wrong row (表4 人员支出)',
      narrative,
      '（一）人员支出{{ basic-expenditure[301].total }}',
      '（一）人员支出{{ basic-expenditure[302].total }}',
    ),
    s(
      'reference to the wrong column (表3 项目支出)',
      narrative,
      '项目支出{{ expenditure-summary.total.project }}万元。',
      '项目支出{{ expenditure-summary.total.basic }}万元。',
    ),
    s(
      'reference to the wrong project',
      narrative,
      '政务云服务项目工作{{ projects[政务综合管理][政务云服务项目工作] }}',
      '政务云服务项目工作{{ projects[政务综合管理][政务短信平台服务工作] }}',
    ),
    s(
      'reference to the wrong column (表9 购置费)',
      narrative,
      '公务用车购置费{{ year }}年预算数{{ three-public-expenses[budget-year].vehicle-purchase-general }}',
      '公务用车购置费{{ year }}年预算数{{ three-public-expenses[budget-year].vehicle-operation-general }}',
    ),
    s(
      'reference to the wrong row in a narrative table',
      narrative,
      '"{{ project-expenditure[政务综合管理].total | fixed }}"',
      '"{{ project-expenditure[信息化运维项目].total | fixed }}"',
    ),
    // Literal amounts that are no data value.
    s('literal amount instead of a reference', narrative, '公用经费{{ basic-expenditure[302].total }}万元，主要包括', '公用经费114.20万元，主要包括'),
    s('literal amount in a narrative table', narrative, '"{{ project-expenditure[信息化类].total | fixed }}"', '"78.35"'),
    s('literal amount left in a sentence', narrative, '涉及预算资金{{ project-expenditure.total.total }}万元', '涉及预算资金65,340.78万元'),
    // Wording against the numbers.
    s(
      '增加 where the amount fell',
      narrative,
      '较{{ prior.year }}年年初预算{{ change(income-expenditure-summary.footer.income-total) | dir }}',
      '较{{ prior.year }}年年初预算增加',
    ),
    s('增长 where the amount fell', narrative, '{{ change(project-expenditure[政务综合管理].total) | dir("增幅", "减幅") }}', '增幅'),
    s('减少 where the amount rose', narrative, '{{ change(project-expenditure[信息化运维项目].total) | dir("增加", "减少") }}', '减少'),
    s(
      '持平 where the amount changed',
      narrative,
      '较{{ prior.year }}年年初预算{{ change(project-expenditure[信息化类].total) | dir }}',
      '较{{ prior.year }}年年初预算持平，',
    ),
    // Placeholders, title years.
    s('placeholder XX in the text', narrative, '共6个部门', '共XX个部门'),
    s('placeholder 待填写 in a table', t(12, 'performance-targets'), '{name: 短信送达率, target: ≥98%}', '{name: 短信送达率, target: 待填写}'),
    s('placeholder TODO in a note', t(9, 'three-public-expenses'), '注：无', '注：TODO'),
    s('placeholder ×× in a row name', t(5, 'project-expenditure'), '{name: 政务综合管理,', '{name: 政务××管理,'),
    s('wrong year in a heading', narrative, '## 三、{{ year }}年主要工作目标', '## 三、2023年主要工作目标'),
    // Notes of empty tables.
    s('empty table without its note', t(10, 'government-fund-expenditure'), 'notes:\n  - 注：本表本年无发生额。', 'notes: []'),
    s('note of an empty table on a table with amounts', t(7, 'general-budget-by-function'), 'notes: []', 'notes: ["注：本表本年无发生额。"]'),
    // Values not filled in.
    s('amount left empty', t(3, 'expenditure-summary'), 'basic: 1552.08, project: 0,', 'basic: , project: 0,'),
    s('figure left empty', meta, 'vehicles-quota: 3', 'vehicles-quota:'),
    // Figures against the tables.
    s('procurement split off by 100', meta, 'procurement-goods: 28.8', 'procurement-goods: 128.8'),
    s('vehicle count off', meta, 'vehicles: 3', 'vehicles: 4'),
    // Table 12 against table 5.
    s('task renamed in 表12', t(12, 'performance-targets'), '  - name: 信息化运维项目\n', '  - name: 信息化运维工程\n'),
  ];
}
