// Loads a table set (the official template) from data/table-sets/<id>/: set.yaml and
// one layout file per table. Validated at the door, so a broken template fails with
// positions just like a broken report.

import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { error, InputError, type Finding } from '../errors.ts';
import { reportFileSchemas, leafColumns } from '../schema/report.ts';
import {
  TableLayout as TableLayoutSchema,
  TableSetFile as TableSetSchema,
  type ColumnNode,
  type TableLayout,
  type TableSet,
  type TableSetFile,
} from '../schema/table-set.ts';
import { positionOf, validateSchema } from '../validate/schema.ts';
import { byCodePoint } from '../model/order.ts';
import { readYamlFile, type YamlSource } from './yaml-file.ts';

export interface LoadOptions {
  /** Paths in messages are shown relative to this folder. */
  root: string;
}

export async function loadTableSet(dir: string, opts: LoadOptions): Promise<TableSet> {
  const findings: Finding[] = [];
  const show = (p: string) => relative(opts.root, p) || p;
  const setSrc = await readYamlFile(join(dir, 'set.yaml'), show(join(dir, 'set.yaml')));
  findings.push(...validateSchema(setSrc, TableSetSchema));
  if (findings.length) throw new InputError(findings);
  const set = setSrc.data as unknown as TableSetFile;

  const tablesDir = join(dir, 'tables');
  const names = (await readdir(tablesDir)).filter((n) => n.endsWith('.yaml')).sort();
  const byId = new Map<string, { layout: TableLayout; src: YamlSource }>();
  for (const name of names) {
    const src = await readYamlFile(join(tablesDir, name), show(join(tablesDir, name)));
    const f = validateSchema(src, TableLayoutSchema);
    if (f.length) {
      findings.push(...f);
      continue;
    }
    const layout = src.data as unknown as TableLayout;
    findings.push(...checkLayout(layout, src, name));
    byId.set(layout.id, { layout, src });
  }
  const layouts: TableLayout[] = [];
  set.tables.forEach((id, i) => {
    const entry = byId.get(id);
    if (!entry) {
      findings.push(
        error(
          '模板',
          'set-table-missing',
          `模板列出了表 “${id}”，但 ${show(tablesDir)} 中没有 id 为 ${id} 的版式文件`,
          positionOf(setSrc, `/tables/${i}`),
          'layout file missing',
        ),
      );
      return;
    }
    if (entry.layout.number !== i + 1) {
      findings.push(
        error(
          '模板',
          'set-table-number',
          `表 “${id}” 的表号是 ${entry.layout.number}，但在模板中排第 ${i + 1} 位`,
          positionOf(entry.src, '/number'),
          'table number does not match its position',
        ),
      );
    }
    layouts.push(entry.layout);
  });
  for (const [id, entry] of byId) {
    if (!set.tables.includes(id)) {
      findings.push(
        error(
          '模板',
          'set-table-unlisted',
          `版式文件中的表 “${id}” 没有列在 set.yaml 的 tables 中`,
          positionOf(entry.src, '/id'),
          'layout not listed in set.yaml',
        ),
      );
    }
  }
  if (findings.length) throw new InputError(findings);
  const sources = new Map<string, YamlSource>([['set', setSrc], ...[...byId].map(([id, e]) => [id, e.src] as [string, YamlSource])]);
  return { ...set, dir, layouts, schemas: reportFileSchemas(set, layouts), sources };
}

function checkLayout(layout: TableLayout, src: YamlSource, fileName: string): Finding[] {
  const out: Finding[] = [];
  const expected = `${String(layout.number).padStart(2, '0')}-${layout.id}.yaml`;
  if (fileName !== expected) {
    out.push(error('模板', 'layout-file-name', `版式文件应命名为 ${expected}`, positionOf(src, '/id'), `layout file should be named ${expected}`));
  }
  if (layout.kind === 'performance-targets') return out;
  const seen = new Set<string>();
  const walk = (nodes: readonly ColumnNode[], pointer: string) => {
    nodes.forEach((n, i) => {
      const p = `${pointer}/${i}`;
      if (n.children?.length) {
        if (n.id)
          out.push(
            error('模板', 'layout-group-id', `分组列 “${n.title}” 不应有 id（只有末级列显示数值）`, positionOf(src, `${p}/id`), 'group columns carry no id'),
          );
        walk(n.children, `${p}/children`);
        return;
      }
      if (!n.id) {
        out.push(error('模板', 'layout-leaf-id', `末级列 “${n.title}” 缺少 id`, positionOf(src, p), 'leaf column needs an id'));
        return;
      }
      if (seen.has(n.id)) out.push(error('模板', 'layout-duplicate-id', `列 id “${n.id}” 重复`, positionOf(src, `${p}/id`), 'duplicate column id'));
      seen.add(n.id);
    });
  };
  walk(layout.columns, '/columns');
  if (layout.kind === 'grid' && layout.rows.kind === 'fixed' && !layout.rows.fixed?.length) {
    out.push(error('模板', 'layout-fixed-rows', '固定行表格需要在 rows.fixed 中列出各行', positionOf(src, '/rows'), 'fixed rows missing'));
  }
  if (layout.kind === 'statement') {
    const leaves = leafColumns(layout.columns);
    if (leaves.length !== 4)
      out.push(
        error(
          '模板',
          'layout-statement-columns',
          '收支总表类表格应有 4 个末级列（收入项目、金额、支出项目、金额）',
          positionOf(src, '/columns'),
          'statement needs 4 leaf columns',
        ),
      );
  }
  return out;
}

/** All table sets under data/table-sets, by id. */
export async function loadTableSets(dir: string, opts: LoadOptions): Promise<Map<string, TableSet>> {
  const out = new Map<string, TableSet>();
  const entries = await readdir(dir, { withFileTypes: true });
  const findings: Finding[] = [];
  for (const e of entries.filter((e) => e.isDirectory()).sort((a, b) => byCodePoint(a.name, b.name))) {
    try {
      const set = await loadTableSet(join(dir, e.name), opts);
      out.set(set.id, set);
    } catch (err) {
      if (err instanceof InputError) findings.push(...err.findings);
      else throw err;
    }
  }
  if (findings.length) throw new InputError(findings);
  return out;
}
