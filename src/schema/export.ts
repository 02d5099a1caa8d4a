// The JSON Schemas written to data/schema/, as text, keyed by project-relative path.

import { join } from 'node:path';
import { loadTableSets } from '../load/table-set.ts';
import { fontsSchema } from '../render/pdf/fonts.ts';
import { RulesFile } from './rules.ts';
import { TableLayout, TableSetFile } from './table-set.ts';

function text(schema: unknown, title?: string): string {
  const s = { $schema: 'http://json-schema.org/draft-07/schema#', ...(title ? { title } : {}), ...(schema as object) };
  return `${JSON.stringify(s, null, 2)}\n`;
}

export async function schemaFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  out.set('data/schema/table-set.schema.json', text(TableSetFile, '部门预算公开模板（set.yaml）'));
  out.set('data/schema/table-layout.schema.json', text(TableLayout, '表格版式'));
  out.set('data/schema/fonts.schema.json', text(fontsSchema));
  out.set('data/schema/rules.schema.json', text(RulesFile, '勾稽规则（rules.yaml）'));
  const sets = await loadTableSets(join(root, 'data', 'table-sets'), { root });
  for (const set of sets.values()) {
    for (const [name, schema] of Object.entries(set.schemas)) out.set(`data/schema/${set.id}/${name}.schema.json`, text(schema));
  }
  return out;
}
