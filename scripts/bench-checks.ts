// npm run bench:checks — how the checks of a report grow with the size of its text.
// One paragraph of the bundled report is replaced by N references (and, in the
// second case, literal amounts, wording and row names around them), and every rule
// of the template is run on it: linear checks take the same time per reference at
// every N. `BENCH_SIZES=1000,10000` picks the sizes; nothing in the project changes.

import { performance } from 'node:perf_hooks';
import { checkReport } from '../src/check/check.ts';
import { loadRules } from '../src/check/rules.ts';
import { loadProject } from '../src/load/project.ts';
import type { Report } from '../src/model/report.ts';

const root = process.cwd();
const sizes = (process.env.BENCH_SIZES ?? '2000,8000,32000,150000').split(',').map(Number);
const project = await loadProject(root);
const report = project.reports[0]!;
const rules = await loadRules(report.set, { root });

const cases: Record<string, (n: number) => string> = {
  // The review's case: nothing but references, ten characters each.
  '{{ year }} × N': (n) => '{{ year }}'.repeat(n),
  // References among words: row names, 持平/增加 and literal amounts, few clause breaks.
  'mixed × N': (n) =>
    Array.from({ length: n }, (_, i) =>
      i % 50 === 49
        ? '较上年持平 1,234.56万元。'
        : i % 2
          ? '政务综合管理{{ project-expenditure[政务综合管理].total }}万元增加{{ change(income-expenditure-summary.footer.income-total) | amount }}'
          : '{{ year }}年',
    ).join(''),
};

/** The report with the first text block of its first part replaced by `text`. */
function withParagraph(text: string): Report {
  const part = report.narrative[0]!;
  const i = part.blocks.findIndex((b) => b.kind === 'markdown');
  const block = part.blocks[i]!;
  if (block.kind !== 'markdown') throw new Error('the first part has no text');
  const blocks = [...part.blocks];
  blocks[i] = { ...block, source: { ...block.source, text } };
  return { ...report, narrative: [{ ...part, blocks }, ...report.narrative.slice(1)] };
}

console.log(`checks of one report (${rules.rules.length} rules), one paragraph of N references`);
for (const [label, make] of Object.entries(cases)) {
  for (const n of sizes) {
    const r = withParagraph(make(n));
    const t = performance.now();
    const findings = checkReport(r, rules);
    const ms = performance.now() - t;
    console.log(
      `${label.padEnd(16)} N=${String(n).padStart(7)}  ${(r.narrative[0]!.blocks.length ? make(n).length / 1e6 : 0).toFixed(2)} MB  ${ms.toFixed(0).padStart(7)} ms  ${((ms / n) * 1000).toFixed(1).padStart(7)} µs/ref  ${findings.length} findings`,
    );
  }
}
