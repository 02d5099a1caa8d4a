// npm run bench:years — how long the year-over-year tools take on the bundled report
// and the synthetic 2025 fixture, in one warm process: new-year, the comparison
// (load + render + diff, and the diff alone), the archive check of every build, and
// the PDF text diff shown when a published year renders differently. Works on a
// temporary copy of the project; nothing in the project is changed.

import { cp, mkdtemp, rm, symlink, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pdfTextDiff } from '../src/archive/pdf-text.ts';
import { publish } from '../src/archive/publish.ts';
import { verifyArchive } from '../src/archive/verify.ts';
import { formatDiffText } from '../src/diff/format.ts';
import { loadPair } from '../src/diff/load.ts';
import { diffReports } from '../src/diff/report-diff.ts';
import { createNextYear } from '../src/year/new-year.ts';
import { readFile } from 'node:fs/promises';

const root = process.cwd();
const unit = 'shenzhen-big-data-center';
const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(label: string, n: number, fn: () => Promise<unknown> | unknown): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  console.log(`${label.padEnd(44)} median ${median(ms).toFixed(1).padStart(8)} ms   (first ${ms[0]!.toFixed(1)} ms, ${n} runs)`);
}

const dir = await mkdtemp(join(tmpdir(), 'bench-years-'));
try {
  for (const name of ['node_modules', 'src', 'scripts', 'templates', 'data']) await symlink(join(root, name), join(dir, name));
  await copyFile(join(root, '.eleventy.js'), join(dir, '.eleventy.js'));
  await copyFile(join(root, 'package.json'), join(dir, 'package.json'));
  await cp(join(root, 'content'), join(dir, 'content'), { recursive: true });

  await time('new-year (2024 → 2025, 14 files)', runs, async () => {
    await rm(join(dir, 'content', unit, '2025'), { recursive: true, force: true });
    await createNextYear(dir, unit, 2025);
  });
  await rm(join(dir, 'content', unit, '2025'), { recursive: true, force: true });

  const A = join(root, 'content', unit, '2024');
  const B = join(root, 'test', 'fixtures', 'years', unit, '2025');
  await time('diff: load + render both + compare + text', runs, async () => {
    const [a, b] = await loadPair(root, A, B);
    formatDiffText(diffReports(a, b));
  });
  const [a, b] = await loadPair(root, A, B);
  await time('diff: compare only (tables + narrative)', runs * 4, () => diffReports(a, b));

  const t0 = performance.now();
  await publish({ root: dir, slug: unit, year: 2024, published: '2024-02-01' });
  console.log(`${'publish (render PDF + archive r1)'.padEnd(44)} ${(performance.now() - t0).toFixed(1).padStart(15)} ms   (1 run)`);
  await time('archive check (every build)', runs * 4, () => verifyArchive(dir));

  const archived = new Uint8Array(await readFile(join(dir, 'archive', unit, '2024', 'r1', `${unit}-2024.pdf`)));
  const other = new Uint8Array(await readFile(join(root, 'output', unit, '2024', `${unit}-2024.pdf`)).catch(() => Buffer.from(archived)));
  await time('PDF text diff (two 32-page PDFs)', Math.max(2, Math.floor(runs / 2)), () => pdfTextDiff(archived, other));
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
