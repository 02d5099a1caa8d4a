// The build pipeline: load → validate → check → verify the archive → derive →
// render the PDFs, the downloads and the site → publish output/. Everything is
// written to a staging folder first and swapped into output/ only when the whole
// build has succeeded, so a failed build leaves the previous output untouched.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import Eleventy from '@11ty/eleventy';
import { creationDate, deriveAll, type DocumentModel } from './derive/document.ts';
import { checkReports, hasErrors } from './check/check.ts';
import { loadAllRules } from './check/rules.ts';
import { formatFinding, InputError } from './errors.ts';
import { discoverReports, loadProject, priorReport, type Project } from './load/project.ts';
import { renderPdf, type PdfResult } from './render/pdf/document.ts';
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
}

/** Builds everything into a staging folder, then replaces outDir in one step. */
export async function build(opts: BuildOptions): Promise<BuildResult> {
  const { root } = opts;
  const outDir = opts.outDir ?? join(root, 'output');
  const env = opts.env ?? {};
  const log = opts.log ?? { info: () => {}, error: () => {} };

  const project = await loadProject(root, opts.contentDir);
  log.info(`已校验 ${project.reports.length} 份报告`);
  // The consistency rules (勾稽关系): nothing is rendered or published on an error.
  const checked = checkReports(project.reports, await loadAllRules(project.sets, { root }), (r) => priorReport(project, r));
  if (hasErrors(checked)) throw new InputError(checked);
  for (const f of checked) log.info(formatFinding(f));
  // The archive of published PDFs is verified before anything is written.
  const archived = await verifyArchive(root);
  const documents = deriveAll(project);
  // fonts: system looks first in the folders of FONT_DIRS, then in the machine's own.
  const fontDirs = [...(env.FONT_DIRS ?? '').split(delimiter).filter(Boolean), ...systemFontDirs(process.platform, process.env, homedir())];
  const fonts = await loadFonts(root, { systemDirs: fontDirs });

  const staging = `${outDir}.staging`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
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
      archived,
      documents.map((d) => ({ slug: d.report.slug, year: d.report.year, bytes: pdfs.get(d.report.id)!.bytes })),
    );
    for (const n of notices) for (const line of formatNotice(n)) log.error(line);
    await writeOpenDataSchema(staging);
    // The site: report pages, unit pages, and a comparison page per pair of consecutive years.
    setSiteData(addDiffPages(siteData(pages), consecutiveYearPages(documents)));
    const elev = new Eleventy(join(root, 'templates'), staging, { configPath: join(root, '.eleventy.js'), quietMode: true });
    await elev.write();
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // Swap in one step: the previous output survives until the new one is complete.
    const previous = `${outDir}.previous`;
    await rm(previous, { recursive: true, force: true });
    if (existsSync(outDir)) await rename(outDir, previous);
    await rename(staging, outDir);
    await rm(previous, { recursive: true, force: true });
    return { manifest, documents, pdfs, archive: notices };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}
