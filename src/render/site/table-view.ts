// Prepares a table model for HTML: which cells are <th> and how each is tied to
// its headers. Two-level headers use scope="col"/"colgroup" with <colgroup>; deeper
// headers and form-like tables use id/headers — never both in one table, as the
// WAI tables tutorial (and GB/T 37668-2019) advise.

import type { BodyCell, TableModel } from '../../derive/table-model.ts';
import { placeRows } from '../data/grid.ts';

export interface HtmlCell {
  tag: 'th' | 'td';
  text: string;
  attrs: Record<string, string | number>;
  classes: string[];
  /** Hidden words for screen readers, said before the text (e.g. 款级科目). */
  hidden?: string;
}

export interface HtmlTable {
  id: string;
  /** grid, statement or performance-targets: the table's kind in the table set. */
  kind: TableModel['kind'];
  mode: 'scope' | 'headers';
  caption: TableModel['caption'];
  colgroups: number[];
  head: HtmlCell[][];
  body: { role: string; cells: HtmlCell[] }[];
  notes: string[];
  columnCount: number;
}

export function headerMode(t: TableModel): 'scope' | 'headers' {
  if (t.kind === 'performance-targets') return 'headers';
  const bodySpans = t.body.some((r) => r.cells.some((c) => c.rowSpan > 1 || c.colSpan > 1));
  return t.header.depth <= 2 && !bodySpans ? 'scope' : 'headers';
}

export function tableView(t: TableModel): HtmlTable {
  const mode = headerMode(t);
  const attrsOf = (span: { colSpan: number; rowSpan: number }): Record<string, number> => {
    const a: Record<string, number> = {};
    if (span.colSpan > 1) a.colspan = span.colSpan;
    if (span.rowSpan > 1) a.rowspan = span.rowSpan;
    return a;
  };
  const head: HtmlCell[][] = t.header.rows.map((row) =>
    row.map((h) => {
      const attrs: Record<string, string | number> = attrsOf(h);
      if (mode === 'scope') attrs.scope = h.kind === 'group' ? 'colgroup' : 'col';
      else attrs.id = h.id;
      return { tag: 'th', text: h.text, attrs, classes: [h.kind === 'group' ? 'group' : 'col'] };
    }),
  );
  // A header cell sits under the ids of the groups above it.
  if (mode === 'headers') {
    const parents = new Map<string, string[]>();
    for (const leaf of t.header.leaves)
      leaf.headerIds.forEach((id, i) => {
        parents.set(id, leaf.headerIds.slice(0, i));
      });
    for (const row of head)
      for (const c of row) {
        const up = parents.get(String(c.attrs.id));
        if (up?.length) c.attrs.headers = up.join(' ');
      }
  }
  // Stub columns (预算单位, 科目编码, 科目名称 …) are named in a class, so the stylesheet
  // can give names room and codes none.
  const stubOf = new Map<BodyCell, string>();
  // Each value is labelled with its column's header path, for the stacked per-row view of a wide table.
  const labelOf = new Map<BodyCell, string>();
  placeRows(
    t.body.map((r) => r.cells),
    t.columnCount,
  ).forEach((slots) => {
    slots.forEach((p) => {
      const leaf = p?.anchor ? t.header.leaves[p.col] : undefined;
      if (p && leaf?.stub) stubOf.set(p.cell, leaf.id);
      else if (p && leaf && t.header.rows.length) labelOf.set(p.cell, leaf.path.join(' · '));
    });
  });
  const body = t.body.map((row) => ({
    role: row.role,
    cells: row.cells.map((c): HtmlCell => {
      const attrs: Record<string, string | number> = attrsOf(c);
      const classes: string[] = [c.kind];
      const stub = stubOf.get(c);
      if (stub) classes.push('stub', `stub-${stub}`);
      const label = labelOf.get(c);
      if (label && !c.isHeader) attrs['data-label'] = label;
      if (c.level) classes.push(`level-${c.level}`);
      const cell: HtmlCell = { tag: c.isHeader ? 'th' : 'td', text: c.text, attrs, classes };
      if (c.isHeader) {
        if (mode === 'scope') attrs.scope = 'row';
        else if (c.id) attrs.id = c.id;
        if (mode === 'headers' && c.headers.length) attrs.headers = c.headers.join(' ');
      } else if (mode === 'headers' && c.headers.length) {
        attrs.headers = c.headers.join(' ');
      }
      if (c.rank) cell.hidden = `${c.rank}级科目：`;
      return cell;
    }),
  }));
  // <colgroup> per top-level header cell, so scope="colgroup" has a group to name.
  const colgroups = t.header.rows[0]?.map((h) => h.colSpan) ?? [t.columnCount];
  return { id: `table-${t.number}`, kind: t.kind, mode, caption: t.caption, colgroups, head, body, notes: t.notes, columnCount: t.columnCount };
}
