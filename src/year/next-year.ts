// Next year's sources from this year's: the same folders, rows, codes, names, notes
// and narrative, with the year advanced and every amount left empty for the officer
// to fill. The YAML is edited through the `yaml` Document API, never rebuilt from
// data, so comments, the yaml-language-server line, quoting and flow-style rows stay
// exactly as the officer wrote them; only the values that must change are touched.

import { isMap, isScalar, isSeq, parseDocument, type Scalar, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import { leafColumns } from '../schema/report.ts';
import type { TableLayout } from '../schema/table-set.ts';

/** How the project writes YAML back: no folding of long lines, `{a: 1}` as written. */
export const YAML_WRITE = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * Fixed rows that move forward a year: next year's "prior year" row is this year's
 * "budget year" row (表9: 上年 ← 本年). Every other fixed row starts empty.
 */
export const FIXED_ROW_CARRY: Readonly<Record<string, string>> = { 'prior-year': 'budget-year' };

function parse(text: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  return doc;
}

/** Replaces a scalar's value with null, keeping its comments and place. */
function empty(node: unknown): void {
  if (!isScalar(node)) return;
  node.value = null;
  // A quoted or formatted amount ("68,098.25") must not print as "" or 0.00.
  delete node.type;
  delete node.format;
  delete (node as Scalar & { minFractionDigits?: number }).minFractionDigits;
}

function mapAt(parent: unknown, key: string): YAMLMap | undefined {
  if (!isMap(parent)) return undefined;
  const v = parent.get(key, true);
  return isMap(v) ? v : undefined;
}

/** Empties the given keys of a values mapping (`{total: 1, basic: 2}`). */
function emptyKeys(map: unknown, keys: readonly string[]): void {
  if (!isMap(map)) return;
  for (const pair of map.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (k !== undefined && keys.includes(k)) empty(pair.value);
  }
}

/** Empties every scalar value of a mapping, recursively (figures, projects). */
function emptyAll(node: unknown): void {
  if (isScalar(node)) empty(node);
  else if (isMap(node)) for (const pair of node.items) emptyAll(pair.value);
  else if (isSeq(node)) for (const item of node.items) emptyAll(item);
}

/** report.yaml for the next year: year and prior year advanced, stated prior figures dropped. */
export function advanceReportYaml(text: string, nextYear: number): string {
  const doc = parse(text);
  doc.set('year', nextYear);
  const prior = mapAt(doc.contents, 'prior');
  if (prior) {
    prior.set('year', nextYear - 1);
    // The prior year's report is now in the project: change() reads it from there.
    prior.delete('stated');
  }
  // A new year is not published yet.
  doc.delete('published');
  emptyAll(mapAt(doc.contents, 'figures'));
  emptyAll(mapAt(doc.contents, 'projects'));
  return doc.toString(YAML_WRITE);
}

/** A table file for the next year: the same rows, every amount empty. */
export function advanceTableYaml(text: string, layout: TableLayout): string {
  const doc = parse(text);
  const root = doc.contents;
  if (layout.kind === 'grid') {
    const ids = leafColumns(layout.columns)
      .filter((c) => (c.type ?? 'amount') === 'amount')
      .map((c) => c.id!);
    emptyKeys(mapAt(root, 'total'), ids);
    const rows = isMap(root) ? root.get('rows', true) : undefined;
    if (isSeq(rows)) for (const row of rows.items) emptyKeys(row, ids);
    else if (isMap(rows)) {
      // Fixed rows: carry first (it reads this year's values), then empty the rest.
      const carried = new Set<string>();
      for (const [to, from] of Object.entries(FIXED_ROW_CARRY)) {
        const target = mapAt(rows, to);
        const source = mapAt(rows, from);
        if (!target || !source) continue;
        for (const id of ids) {
          const v = source.get(id, true);
          if (isScalar(v)) target.set(id, v.clone());
        }
        carried.add(to);
      }
      for (const pair of rows.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!carried.has(k)) emptyKeys(pair.value, ids);
      }
    }
  } else if (layout.kind === 'statement') {
    emptyAll(mapAt(root, 'income'));
    emptyAll(mapAt(root, 'footer'));
    const rows = isMap(root) ? root.get('expenditure', true) : undefined;
    if (isSeq(rows)) for (const row of rows.items) emptyKeys(row, ['amount']);
  } else {
    const money = ['total', 'fiscal', 'other'];
    const tasks = isMap(root) ? root.get('tasks', true) : undefined;
    if (isSeq(tasks)) for (const t of tasks.items) emptyKeys(t, money);
    emptyKeys(mapAt(root, 'sum'), money);
  }
  return doc.toString(YAML_WRITE);
}

/** Number of empty amounts a file has (for the summary printed to the officer). */
export function countNulls(text: string): number {
  let n = 0;
  const walk = (node: YamlNode | null | undefined): void => {
    if (isScalar(node)) {
      if (node.value === null) n++;
    } else if (isMap(node)) for (const p of node.items) walk(p.value as YamlNode);
    else if (isSeq(node)) for (const i of node.items) walk(i as YamlNode);
  };
  walk(parse(text).contents as YamlNode);
  return n;
}
