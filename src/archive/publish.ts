// `npm run publish -- <unit> <year>`: renders the year's PDF exactly as the build
// does and adds it to the append-only archive as revision r1 — or, with --revision,
// as the next revision, keeping every earlier one. Publishing a year again without
// --revision is refused; nothing in the archive is ever overwritten. The date comes
// from the report's `published` field or the command line, never from the clock
// unless asked for (`--published today`).

import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isMap, isScalar, parseDocument, Pair, Scalar } from 'yaml';
import { creationDate } from '../derive/document.ts';
import { loadProject, priorReport, projectSources } from '../load/project.ts';
import { buildDocument } from '../derive/document.ts';
import { error, InputError, type Finding } from '../errors.ts';
import type { Report } from '../model/report.ts';
import { renderPdf } from '../render/pdf/document.ts';
import { checkCoverage } from '../render/pdf/coverage.ts';
import { loadFonts } from '../render/pdf/fonts.ts';
import { YAML_WRITE } from '../year/next-year.ts';
import { pendingAmounts } from '../year/pending.ts';
import {
  chained,
  manifestFile,
  manifestText,
  readManifest,
  revisionFile,
  sha256Hex,
  sourceHash,
  yearDir,
  type ArchiveEntry,
  type YearManifest,
} from './manifest.ts';
import { verifyArchive } from './verify.ts';

export interface PublishOptions {
  root: string;
  slug: string;
  year: number;
  /** YYYY-MM-DD, or 'today' to take the date from `clock`. */
  published?: string;
  /** Publish a correction as the next revision. */
  revision?: boolean;
  /** What the correction changes (kept in the manifest). */
  note?: string;
  /** Only read when `published` is 'today'. */
  clock?: () => Date;
  log?: (msg: string) => void;
}

export interface PublishResult {
  entry: ArchiveEntry;
  pdf: string;
  manifest: string;
  /** True when the publication date was written into report.yaml. */
  wroteDate: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function refuse(message: string, english: string, file: string, line = 1, col = 1): never {
  throw new InputError([error('发布', 'publish', message, { file, line, col }, english)]);
}

/** The calendar date in China (UTC+8) of a moment. */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

async function toolVersion(root: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Writes `published: <date>` into report.yaml (after tableSet), keeping the rest as written. */
async function writePublished(report: Report, date: string): Promise<void> {
  const path = join(report.dir, 'report.yaml');
  const doc = parseDocument(await readFile(path, 'utf8'));
  const map: unknown = doc.contents;
  if (!isMap(map)) throw new Error('report.yaml is not a mapping');
  const existing = map.get('published', true);
  if (isScalar(existing)) (existing as Scalar<unknown>).value = date;
  else {
    const items = map.items as unknown[];
    const at = map.items.findIndex((p) => isScalar(p.key) && p.key.value === 'tableSet');
    items.splice(at + 1, 0, new Pair(new Scalar('published'), new Scalar(date)));
  }
  await writeFile(path, doc.toString(YAML_WRITE));
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data, { flag: 'w' });
  await rename(tmp, path);
}

export async function publish(opts: PublishOptions): Promise<PublishResult> {
  const { root, slug, year } = opts;
  const log = opts.log ?? (() => {});
  const show = (p: string) => relative(root, p) || p;
  // A broken archive is repaired first: nothing is added on top of it.
  await verifyArchive(root);

  // Refusals that need only the archive and the arguments come first.
  const reportFile = join('content', slug, String(year), 'report.yaml');
  const mPath = manifestFile(root, slug, year);
  let manifest: YearManifest | null = null;
  if (existsSync(mPath)) {
    const r = await readManifest(root, mPath);
    if (!r.loaded) throw new InputError(r.findings);
    manifest = r.loaded.manifest;
  }
  const last = manifest?.entries[manifest.entries.length - 1];
  if (last && !opts.revision) {
    refuse(
      `${manifest!.unit} ${year} 年已于 ${last.published} 公开（存档 r${last.revision}），不能重复发布。如需更正，请加 --revision 发布新修订版 r${last.revision + 1}（原有各版保留不变）`,
      'already published; use --revision to publish a correction',
      show(mPath),
    );
  }
  if (!last && opts.revision) {
    refuse(`${year} 年尚未公开，首次发布不需要 --revision`, 'nothing to revise yet', reportFile);
  }

  // The publication date: from the command line or the report, never the clock unless asked.
  let date = opts.published;
  if (date === 'today') {
    if (!opts.clock) refuse('--published today 需要读取当前日期，但未提供时钟', 'no clock given', reportFile);
    date = chinaDate(opts.clock!());
  }
  if (date !== undefined && !DATE.test(date)) refuse(`公开日期 “${date}” 应写作 YYYY-MM-DD，如 2024-02-01`, 'date must be YYYY-MM-DD', reportFile);

  let project = await loadProject(root);
  let report = project.reports.find((r) => r.slug === slug && r.year === year);
  if (!report) {
    const have = project.reports.map((r) => `${r.slug} ${r.year}`).join('、') || '无';
    refuse(`项目中没有 ${slug} ${year} 年的报告（content/${slug}/${year}/）；已有：${have}`, 'no such report', reportFile);
  }

  let wroteDate = false;
  if (date === undefined) {
    if (!report!.published) {
      refuse(
        `report.yaml 中没有公开日期 published。请在 report.yaml 写上 published: YYYY-MM-DD，或运行 npm run publish -- ${slug} ${year} --published YYYY-MM-DD`,
        'publication date required',
        reportFile,
      );
    }
    date = report!.published!;
  } else if (date !== report!.published) {
    if (report!.published && !opts.revision) {
      refuse(`report.yaml 的公开日期是 ${report!.published}，与命令行的 ${date} 不同；请只保留一个`, 'two different publication dates', reportFile);
    }
    // The PDF carries the date, so the sources must say it for the build to give the same bytes.
    await writePublished(report!, date);
    wroteDate = true;
    log(`已在 ${reportFile} 写入 published: ${date}（PDF 的创建日期取自此处，重新构建才会得到与存档相同的文件）`);
    project = await loadProject(root);
    report = project.reports.find((r) => r.slug === slug && r.year === year)!;
  }

  const pending = pendingAmounts(report!);
  if (pending.length) {
    const findings: Finding[] = pending.slice(0, 20).map((p) => error('发布', 'publish-pending', `待填写：${p.label}`, p.at, 'value not filled in'));
    findings.push(
      error(
        '发布',
        'publish-pending',
        `还有 ${pending.length} 项未填写，不能发布；请填写后运行 npm run check 与 npm run build 确认`,
        { file: reportFile, line: 1, col: 1 },
        'report not complete',
      ),
    );
    throw new InputError(findings);
  }

  const doc = buildDocument(report!, priorReport(project, report!));
  const fonts = await loadFonts(root);
  const missingGlyphs = checkCoverage(projectSources({ reports: [report!] }), fonts);
  if (missingGlyphs.length) throw new InputError(missingGlyphs);
  const pdf = await renderPdf(doc, { fonts, creationDate: creationDate(report!, {}) });
  const hash = sha256Hex(pdf.bytes);
  if (last && last.sha256 === hash) {
    refuse(`按现在的源文件生成的 PDF 与已公开的 r${last.revision} 完全相同，无需发布新修订版`, 'identical to the latest revision', show(mPath));
  }

  const revision = (last?.revision ?? 0) + 1;
  const base: YearManifest = manifest ?? { unit: report!.unit, slug, year, entries: [] };
  const entry = chained(base, {
    revision,
    file: revisionFile(slug, year, revision),
    sha256: hash,
    bytes: pdf.bytes.length,
    sourceHash: sourceHash(report!),
    toolVersion: await toolVersion(root),
    published: date,
    ...(opts.note ? { note: opts.note } : {}),
  });
  const next: YearManifest = { ...base, entries: [...base.entries, entry] };

  const dir = yearDir(root, slug, year);
  const pdfFile = join(dir, entry.file);
  await mkdir(join(pdfFile, '..'), { recursive: true });
  try {
    // 'wx': an archived file is never overwritten, whatever happened before.
    await writeFile(pdfFile, pdf.bytes, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') refuse(`${show(pdfFile)} 已存在，存档文件不会被覆盖`, 'archived file exists', show(pdfFile));
    throw e;
  }
  try {
    await writeAtomic(mPath, manifestText(next));
  } catch (e) {
    await rm(pdfFile, { force: true });
    throw e;
  }
  return { entry, pdf: pdfFile, manifest: mPath, wroteDate };
}
