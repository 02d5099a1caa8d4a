// Completeness rules: every part has text and every table is there; an empty table
// says so (本表本年无发生额) and a table that says so is empty; no placeholder text
// (XX, ××, 待填写, TODO) is left anywhere; every year written in a title is the
// report's year; a classification code has the same name in every table; and every
// value still left empty is listed (待填写), so that the list is exactly what
// remains to fill in.

import { dirname } from 'node:path';
import { positionInText } from '../derive/reference.ts';
import { error, type Finding, type SourcePos } from '../errors.ts';
import { sourceText, tableFileName } from '../load/report.ts';
import { childPointer, type Json, type YamlSource } from '../load/yaml-file.ts';
import type { Report, TableData } from '../model/report.ts';
import type { ColumnNode } from '../schema/table-set.ts';
import { positionOf } from '../validate/schema.ts';
import { tableName, type Cell } from './cells.ts';
import type { Rule } from './rules.ts';

export function checkCompleteness(report: Report, rule: Rule, name: string): Finding[] {
  const out: Finding[] = [];
  for (const part of report.narrative) {
    const blank = part.blocks.every((b) => (b.kind === 'markdown' ? !b.source.text.trim() : !b.rows.length));
    if (blank) {
      const at = report.files.narrative ? positionOf(report.files.narrative, `/${part.id}`) : undefined;
      out.push(error(name, rule.def.id, `“${part.title}”（${part.id}）没有内容：请填写这一部分，本年没有相关情况的也要写明`, at, `part ${part.id} is empty`));
    }
  }
  // A missing table file is already refused when the report is loaded (it names the
  // file to create); this covers a report assembled any other way.
  const folder = dirname(report.files.report?.file ?? '.');
  for (const layout of report.set.layouts) {
    if (!report.tables[layout.id]) {
      out.push(
        error(
          name,
          rule.def.id,
          `缺少${tableName(layout)}`,
          { file: `${folder}/tables/${tableFileName(layout)}`, line: 1, col: 1 },
          `table ${layout.number} missing`,
        ),
      );
    }
  }
  return out;
}

/** True when the table publishes no amount but zeros. */
function isEmptyTable(data: TableData): boolean | null {
  const amounts =
    data.kind === 'grid'
      ? [...(data.total ? [data.total] : []), ...data.rows].flatMap((r) => Object.values(r.values))
      : data.kind === 'statement'
        ? [...Object.values(data.income), ...Object.values(data.footer), ...data.expenditure.map((r) => r.values.amount!)]
        : [...data.tasks.flatMap((t) => Object.values(t.values)), ...Object.values(data.sum)];
  if (amounts.some((a) => a.cents === null)) return null;
  return amounts.every((a) => a.cents === 0);
}

export function checkEmptyTableNotes(report: Report, rule: Rule, name: string): Finding[] {
  const out: Finding[] = [];
  const note = rule.def.note!;
  for (const layout of report.set.layouts) {
    const data = report.tables[layout.id];
    const src = report.files[layout.id];
    if (!data || !src || data.kind === 'performance-targets') continue;
    const empty = isEmptyTable(data);
    if (empty === null) continue;
    const own = data.notes.filter((n) => n.text.includes(note));
    const inLayout = (layout.notes ?? []).some((n) => n.includes(note));
    if (empty && !own.length && !inLayout) {
      out.push(
        error(
          name,
          rule.def.id,
          `${tableName(layout)} 本年没有数额（全部为 0），应在 notes 中注明“${note}”，如 notes: ["注：${note}。"]`,
          positionOf(src, '/notes', true),
          `empty table needs the note "${note}"`,
        ),
      );
    }
    if (!empty) {
      for (const n of own) {
        out.push(
          error(
            name,
            rule.def.id,
            `${tableName(layout)} 有数额，却注明“${note}”：请删除这条说明，或核对表中数据`,
            n.at,
            `table has amounts but says "${note}"`,
          ),
        );
      }
    }
  }
  return out;
}

function placeholderPattern(words: readonly string[]): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alts = words.map((w) => {
    if (/^[A-Za-z]+$/.test(w)) return `(?<![A-Za-z])${esc(w)}(?:${esc(w.slice(-1))})*(?![A-Za-z])`;
    return `${esc(w)}`;
  });
  return new RegExp(alts.join('|'), 'giu');
}

/** Every string and key of a file, with a way to place an offset inside it. */
function* stringsOf(src: YamlSource): Generator<{ text: string; at: (offset: number) => SourcePos }> {
  const walk = function* (value: Json, pointer: string): Generator<{ text: string; at: (offset: number) => SourcePos }> {
    if (typeof value === 'string') {
      const st = sourceText(src, pointer);
      yield { text: value, at: (o) => positionInText(st, o) };
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) yield* walk(value[i]!, childPointer(pointer, i));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const p = childPointer(pointer, k);
        const kp = src.keyPositions.get(p);
        if (kp) yield { text: k, at: (o) => ({ ...kp, col: kp.col + o }) };
        yield* walk(v, p);
      }
    }
  };
  yield* walk(src.data, '');
}

export function checkPlaceholders(report: Report, rule: Rule, name: string): Finding[] {
  const out: Finding[] = [];
  const re = placeholderPattern(rule.def.words!);
  for (const src of Object.values(report.files)) {
    for (const s of stringsOf(src)) {
      for (const m of s.text.matchAll(re)) {
        out.push(error(name, rule.def.id, `留有占位文字“${m[0]}”：请换成实际内容`, s.at(m.index), `placeholder "${m[0]}" left in`));
      }
    }
  }
  return out;
}

const YEAR = /(?<!\d)((?:19|20)\d{2})(?=\s*年)/g;

/** Years written literally in a title (outside {{ }}) that are not the report's year. */
function wrongYears(text: string, year: number): { year: string; offset: number }[] {
  const literal = text.replace(/\{\{[^}]*\}\}/g, (m) => ' '.repeat(m.length));
  return [...literal.matchAll(YEAR)].filter((m) => Number(m[1]) !== year).map((m) => ({ year: m[1]!, offset: m.index }));
}

export function checkTitleYears(report: Report, rule: Rule, name: string): Finding[] {
  const out: Finding[] = [];
  const flag = (title: string, found: string, at: SourcePos) =>
    out.push(
      error(
        name,
        rule.def.id,
        `标题“${title.trim()}”中的年度是 ${found} 年，本报告是 ${report.year} 年：请改正，或写作 {{ year }}年`,
        at,
        `title year ${found} is not the report year ${report.year}`,
      ),
    );

  // Headings of the narrative and the header row of its tables.
  for (const part of report.narrative) {
    for (const b of part.blocks) {
      const texts = b.kind === 'markdown' ? [b.source] : b.columns;
      for (const st of texts) {
        let offset = 0;
        for (const line of st.text.split('\n')) {
          if (b.kind === 'table' || /^\s*#{1,6}\s/.test(line)) {
            for (const w of wrongYears(line, report.year)) flag(line.replace(/^\s*#+\s*/, ''), w.year, positionInText(st, offset + w.offset));
          }
          offset += line.length + 1;
        }
      }
    }
  }
  // Titles of the template: the document title, table titles and column headers.
  const setSrc = report.set.sources.get('set');
  if (setSrc) for (const w of wrongYears(report.set.title, report.year)) flag(report.set.title, w.year, positionOf(setSrc, '/title'));
  for (const layout of report.set.layouts) {
    const src = report.set.sources.get(layout.id);
    if (!src) continue;
    const titles: [string, string][] = [['/title', layout.title]];
    if (layout.kind === 'performance-targets') titles.push(['/heading', layout.heading], ['/subtitle', layout.subtitle]);
    else {
      const walk = (nodes: readonly ColumnNode[], p: string) =>
        nodes.forEach((n, i) => {
          titles.push([`${p}/${i}/title`, n.title]);
          if (n.children) walk(n.children, `${p}/${i}/children`);
        });
      walk(layout.columns, '/columns');
    }
    for (const [p, t] of titles) {
      const st = sourceText(src, p);
      for (const w of wrongYears(t, report.year)) flag(t, w.year, positionInText(st, w.offset));
    }
  }
  return out;
}

export function checkCodeNames(report: Report, rule: Rule, name: string): Finding[] {
  const out: Finding[] = [];
  type Use = { name: string; table: number; tableTitle: string; at: SourcePos };
  const uses = new Map<string, Use[]>();
  for (const layout of report.set.layouts) {
    const data = report.tables[layout.id];
    const src = report.files[layout.id];
    if (!data || !src) continue;
    let space: string;
    let list: readonly { key: string; code?: string; name?: string; at: unknown }[];
    let base: string;
    if (data.kind === 'statement') {
      space = 'function-codes';
      list = data.expenditure;
      base = '/expenditure';
    } else if (data.kind === 'grid' && layout.kind === 'grid' && (layout.rows.kind === 'function-codes' || layout.rows.kind === 'economic-codes')) {
      space = layout.rows.kind;
      list = data.rows;
      base = '/rows';
    } else continue;
    list.forEach((row, i) => {
      if (!row.code || row.name === undefined) return;
      const key = `${space}:${row.code}`;
      const u = uses.get(key) ?? [];
      u.push({ name: row.name, table: layout.number, tableTitle: tableName(layout), at: positionOf(src, `${base}/${i}/name`) });
      uses.set(key, u);
    });
  }
  for (const [key, list] of uses) {
    const counts = new Map<string, number>();
    for (const u of list) counts.set(u.name, (counts.get(u.name) ?? 0) + 1);
    if (counts.size < 2) continue;
    const code = key.slice(key.indexOf(':') + 1);
    const max = Math.max(...counts.values());
    const majority = [...counts].filter(([, n]) => n === max);
    const canonical = majority.length === 1 ? majority[0]![0] : null;
    for (const u of list) {
      if (u.name === canonical) continue;
      const others = list.filter((o) => o.name !== u.name);
      const where = [...new Set(others.map((o) => `表${o.table}`))].join('、');
      const theirs = [...new Set(others.map((o) => o.name))].join('”或“');
      out.push(
        error(
          name,
          rule.def.id,
          `科目 ${code} 在本表名为“${u.name}”，在${where}中名为“${theirs}”：同一科目在各表中的名称应一致，请核对编码和名称`,
          u.at,
          `code ${code} is named differently in other tables`,
        ),
      );
    }
  }
  return out;
}

export function checkToFill(_report: Report, rule: Rule, name: string, cells: readonly Cell[]): Finding[] {
  return cells.filter((c) => c.value === null).map((c) => error(name, rule.def.id, `${c.label}：尚未填写`, c.at, `not filled in yet: ${c.path}`));
}
