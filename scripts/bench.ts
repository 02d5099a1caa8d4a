// npm run bench — how fast the PDF of each bundled report renders and how much memory
// it takes: in a warm process (median of repeated renders; also with the text
// measurements forgotten before each render, as for a report never seen before), cold
// (the first render in a fresh process, fonts read and parsed), peak resident memory,
// and the PDF's size. Options: --runs N (warm renders, at least 10, default 15).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { creationDate, deriveAll } from '../src/derive/document.ts';
import { loadProject } from '../src/load/project.ts';
import { renderPdf } from '../src/render/pdf/document.ts';
import { loadFonts } from '../src/render/pdf/fonts.ts';

const root = process.cwd();
const args = process.argv.slice(2);
const runs = Math.max(10, Number(args[args.indexOf('--runs') + 1]) || 15);
const clock = () => performance.now();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

/** The child of --cold: loads everything and renders one report once, then reports as JSON. */
async function cold(id: string): Promise<void> {
  const start = clock();
  const docs = deriveAll(await loadProject(root));
  const doc = docs.find((d) => d.report.id === id)!;
  const loaded = clock();
  const fonts = await loadFonts(root);
  const pdf = await renderPdf(doc, { fonts, creationDate: creationDate(doc.report, {}) });
  const done = clock();
  process.stdout.write(JSON.stringify({ load: loaded - start, render: done - loaded, bytes: pdf.bytes.length, rss: peakRssMb() }));
}

async function main(): Promise<void> {
  const coldId = args[args.indexOf('--cold') + 1];
  if (args.includes('--cold') && coldId) return cold(coldId);

  const docs = deriveAll(await loadProject(root));
  const t0 = clock();
  const fonts = await loadFonts(root);
  const fontMs = clock() - t0;
  const rows: string[][] = [];
  for (const doc of docs) {
    const opts = { fonts, creationDate: creationDate(doc.report, {}), clock };
    // Two renders to warm up (JIT, font tables), then the measured ones.
    for (let i = 0; i < 2; i++) await renderPdf(doc, opts);
    const timed = async (fresh: boolean) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      const steps: Record<string, number[]> = {};
      let pdf!: Awaited<ReturnType<typeof renderPdf>>;
      for (let i = 0; i < runs; i++) {
        if (fresh) fonts.clearCaches();
        const c = process.cpuUsage();
        const t = clock();
        pdf = await renderPdf(doc, opts);
        wall.push(clock() - t);
        cpu.push(cpuMs(c));
        for (const [k, v] of Object.entries(pdf.timings ?? {})) {
          steps[k] ??= [];
          steps[k].push(v);
        }
      }
      const stepText = Object.entries(steps)
        .map(([k, v]) => `${k} ${median(v).toFixed(0)}`)
        .join(', ');
      return { text: `${median(wall).toFixed(0)} ms (cpu ${median(cpu).toFixed(0)}; ${stepText})`, pdf };
    };
    const warm = await timed(false);
    const fresh = await timed(true);
    // Cold: a fresh process (module loading and font reading included in its total).
    const child = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'bench.ts'), '--cold', doc.report.id], { cwd: root, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`cold run failed: ${child.stderr}`);
    const c = JSON.parse(child.stdout) as { load: number; render: number; bytes: number; rss: number };
    rows.push([
      `${doc.report.slug}/${doc.report.year}`,
      String(warm.pdf.pageCount),
      warm.text,
      fresh.text,
      `${c.render.toFixed(0)} ms`,
      `${peakRssMb().toFixed(0)} MB / ${c.rss.toFixed(0)} MB`,
      `${(warm.pdf.bytes.length / 1024).toFixed(0)} KB`,
    ]);
  }
  const head = ['report', 'pages', `warm render, median of ${runs}`, 'warm, measurements forgotten', 'cold render', 'peak RSS warm / cold', 'PDF'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  const os = await import('node:os');
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(`fonts read and parsed once per process in ${fontMs.toFixed(0)} ms; Node ${process.version}, ${os.cpus().length} CPUs, load average ${load}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

await main();
