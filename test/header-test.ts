// The header computed from each official table's column tree, against fixtures:
// every cell's text, position and spans, as both the HTML and the PDF draw it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeHeader } from '../src/derive/header.ts';
import { loadTableSets } from '../src/load/table-set.ts';
import { ROOT } from './helpers/build.ts';
import { matchSnapshot } from './helpers/snapshot.ts';

const sets = await loadTableSets(`${ROOT}/data/table-sets`, { root: ROOT });
const set = sets.get('shenzhen-2024')!;

for (const layout of set.layouts) {
  if (layout.kind === 'performance-targets') continue;
  test(`header of 表${layout.number} ${layout.title}`, () => {
    const stub = layout.kind === 'grid' ? layout.stub : [];
    const h = computeHeader(layout.id, stub, layout.columns, (t) => t.replace('{{year}}', '2024').replace('{{prior.year}}', '2023'));
    // Every row covers every column exactly once, counting spans from above.
    const cols = h.leaves.length;
    const covered = h.rows.map(() => new Array(cols).fill(0));
    for (const row of h.rows)
      for (const c of row) for (let r = c.row; r < c.row + c.rowSpan; r++) for (let k = c.col; k < c.col + c.colSpan; k++) covered[r]![k]++;
    assert.ok(
      covered.every((r) => r.every((n) => n === 1)),
      'header cells overlap or leave gaps',
    );
    matchSnapshot(`header/${layout.id}`, {
      depth: h.depth,
      rows: h.rows.map((r) => r.map((c) => `${c.text} [r${c.row} c${c.col} ${c.rowSpan}x${c.colSpan}]`)),
      leaves: h.leaves.map((l) => l.path.join('/')),
    });
  });
}
