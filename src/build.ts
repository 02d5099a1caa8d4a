// The build pipeline: load → validate → check → verify the archive → derive →
// render the PDFs, the downloads and the site → publish output/. Everything is
// written to a staging folder first and swapped into output/ only when the whole
// build has succeeded, so a failed build leaves the previous output untouched; one
// build at a time holds the output folder (output-folder.ts).

import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import Eleventy from '@11ty/eleventy';
import { creationDate, deriveAll, type DocumentModel } from './derive/document.ts';
import { checkReports, hasErrors } from './check/check.ts';
import { loadAllRules } from './check/rules.ts';
import { error, formatFinding, InputError } from './errors.ts';
import { checkWritable, createStaging, lockOutput, recoverSwap, swapIn } from './output-folder.ts';
import { discoverReports, loadProject, priorReport, projectSources, type Project } from './load/project.ts';
import { renderPdf, type PdfResult } from './render/pdf/document.ts';
import { checkCoverage } from './render/pdf/coverage.ts';
import { loadFonts, type FontUse } from './render/pdf/fonts.ts';
import { systemFontDirs } from './render/pdf/system-fonts.ts';
import { writeOpenDataSchema, writeReportData } from './render/data/downloads.ts';
import { setSiteData } from './render/site/plugin.ts';
import { pdfPath, reportPage, reportPath, siteData } from './render/site/site-data.ts';
import { compareWithArchive, formatNotice, verifyArchive, type ArchiveNotice } from './archive/verify.ts';
import { addDiffPages, consecutiveYearPages } from './render/site/diff-page.ts';

export interface Logger {
  info(msg: string): void;
  error(msg: string): void;
}

export interface ManifestEntry {
  unit: string;
  year: number;
  html: string;
  pdf: string;
  sha256: string;
}

export interface BuildResult {
  /** The reports built, and the font files their PDFs were set in (with SHA-256, to make them again). */
  manifest: { reports: ManifestEntry[]; fonts: FontUse[] };
  documents: DocumentModel[];
  pdfs: Map<string, PdfResult>;
  /** Published years whose sources now render to different bytes than their archived PDF. */
  archive: ArchiveNotice[];
}

// The pipeline's stages, for tools and tests that use one of them.
export { creationDate, deriveAll, discoverReports, loadProject, priorReport };
export type { Project };

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface BuildOptions {
  root: string;
  outDir?: string;
  contentDir?: string;
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Publish even though reports the current output holds are no longer in content/. */
  allowRemoval?: boolean;
}

/** `unit/year` of each report an earlier build published into outDir (none when there is no manifest). */
export async function publishedReports(outDir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(outDir, 'manifest.json'), 'utf8');
  } catch {
    return [];
  }
  try {
    const m = JSON.parse(text) as { reports?: { html?: unknown }[] };
    return (m.reports ?? []).flatMap((r) => (typeof r.html === 'string' ? [r.html.split('/').slice(0, 2).join('/')] : []));
  } catch {
    return [];
  }
}

/**
 * A build that finds no report, or fewer than the site it would replace, publishes
 * nothing unless told to: a renamed or broken folder must not take reports off the site.
 */
async function checkNothingDropped(outDir: string, reports: readonly { id: string }[], allowRemoval: boolean): Promise<void> {
  if (!reports.length) {
    throw new InputError([
      error(
        '完整性',
        'no-reports',
        'content/ 下没有任何报告：每份报告是一个 content/<单位>/<年度>/ 文件夹，内有 report.yaml',
        { file: 'content', line: 1, col: 1 },
        'no reports',
      ),
    ]);
  }
  if (allowRemoval) return;
  const now = new Set(reports.map((r) => r.id));
  const gone = (await publishedReports(outDir)).filter((id) => !now.has(id));
  if (!gone.length) return;
  throw new InputError(
    gone.map((id) =>
      error(
        '完整性',
        'report-removed',
        `现有网站上的报告 ${id} 在 content/ 中已经没有了，这次构建会把它从网站上删除：如是文件夹改名或误删，请恢复 content/${id}/；如确要删除，请运行 npm run build -- --allow-removal`,
        { file: `content/${id}`, line: 1, col: 1 },
        `report ${id} would disappear from the site`,
      ),
    ),
  );
}

/** Builds everything into a staging folder, then replaces outDir in one step. */
export async function build(opts: BuildOptions): Promise<BuildResult> {
  const { root } = opts;
  const outDir = opts.outDir ?? join(root, 'output');
  const env = opts.env ?? {};
  const log = opts.log ?? { info: () => {}, error: () => {} };

  // Before any work: one build at a time, the last swap finished, output/ replaceable.
  const lock = await lockOutput(outDir);
  try {
    const recovered = await recoverSwap(outDir);
    if (recovered) log.info(recovered);
    await checkWritable(outDir);
    return await buildLocked(opts, outDir, env, log);
  } finally {
    await lock.release();
  }
}

async function buildLocked(opts: BuildOptions, outDir: string, env: Record<string, string | undefined>, log: Logger): Promise<BuildResult> {
  const { root } = opts;
  const project = await loadProject(root, opts.contentDir);
  for (const w of project.warnings) log.info(formatFinding(w));
  await checkNothingDropped(outDir, project.reports, opts.allowRemoval ?? false);
  log.info(`已校验 ${project.reports.length} 份报告`);
  // The consistency rules (勾稽关系): nothing is rendered or published on an error.
  const checked = checkReports(project.reports, await loadAllRules(project.sets, { root }), (r) => priorReport(project, r));
  if (hasErrors(checked)) throw new InputError(checked);
  for (const f of checked) log.info(formatFinding(f));
  // The archive of published PDFs is verified before anything is written.
  const archived = await verifyArchive(root);
  for (const n of archived.notices) log.info(`注意：${n}`);
  const documents = deriveAll(project);
  // fonts: system looks first in the folders of FONT_DIRS, then in the machine's own.
  const fontDirs = [...(env.FONT_DIRS ?? '').split(delimiter).filter(Boolean), ...systemFontDirs(process.platform, process.env, homedir())];
  const fonts = await loadFonts(root, { systemDirs: fontDirs });
  // Nothing prints as an empty box: every character has a glyph in the PDF's fonts.
  const missingGlyphs = checkCoverage(projectSources(project), fonts);
  if (missingGlyphs.length) throw new InputError(missingGlyphs);

  const staging = await createStaging(outDir);
  try {
    const pdfs = new Map<string, PdfResult>();
    const manifest: BuildResult['manifest'] = { reports: [], fonts: fonts.used() };
    const pages = [];
    for (const doc of documents) {
      const r = doc.report;
      const pdf = await renderPdf(doc, { fonts, creationDate: creationDate(r, env) });
      pdfs.set(r.id, pdf);
      const pdfRel = pdfPath(r.slug, r.year).slice(1);
      await mkdir(dirname(join(staging, pdfRel)), { recursive: true });
      await writeFile(join(staging, pdfRel), pdf.bytes);
      const hash = sha256(pdf.bytes);
      // Downloads: each table as CSV and XLSX, the whole report as JSON.
      const files = await writeReportData(staging, doc, { pdfSha256: hash, date: creationDate(r, env) });
      pages.push(reportPage(doc, { bytes: pdf.bytes.length, sha256: hash }, files));
      manifest.reports.push({ unit: r.unit, year: r.year, html: `${reportPath(r.slug, r.year).slice(1)}index.html`, pdf: pdfRel, sha256: hash });
      log.info(`PDF ${pdfRel}（${pdf.pageCount} 页，${Math.round(pdf.bytes.length / 1024)} KB）`);
    }
    // A published year that now renders differently is announced; the archive is never touched.
    const notices = await compareWithArchive(
      root,
      archived.entries,
      documents.map((d) => ({ slug: d.report.slug, year: d.report.year, bytes: pdfs.get(d.report.id)!.bytes })),
    );
    for (const n of notices) for (const line of formatNotice(n)) log.error(line);
    await writeOpenDataSchema(staging);
    // The site: report pages, unit pages, and a comparison page per pair of consecutive years.
    setSiteData(addDiffPages(siteData(pages), consecutiveYearPages(documents)));
    const elev = new Eleventy(join(root, 'templates'), staging, { configPath: join(root, '.eleventy.js'), quietMode: true });
    await elev.write();
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // The previous output survives until the new one is complete.
    await swapIn(staging, outDir);
    return { manifest, documents, pdfs, archive: notices };
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    throw e;
  }
}
