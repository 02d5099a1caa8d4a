// Writes the downloads of one report next to its page: each table as CSV and XLSX
// and the whole report as JSON; writes the JSON Schema of the open data once per
// site. Returns what the page lists (site paths and sizes).

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { DocumentModel } from '../../derive/document.ts';
import { openDataSchema } from '../../schema/open-data.ts';
import { jsonPath, pdfPath, SCHEMA_PATH, tableFilePath } from '../site/site-data.ts';
import { flatTable, toCsv } from './csv.ts';
import { openDataJson, openDataReport } from './open-data.ts';
import { tableXlsx } from './xlsx.ts';

export type DownloadFormat = 'PDF' | 'CSV' | 'XLSX' | 'JSON';

export interface DownloadFile {
  format: DownloadFormat;
  /** Site path, e.g. /shenzhen-big-data-center/2024/data/…csv */
  href: string;
  bytes: number;
}

export interface TableDownloads {
  number: number;
  id: string;
  title: string;
  csv: DownloadFile;
  xlsx: DownloadFile;
}

export interface ReportDownloads {
  json: DownloadFile;
  tables: TableDownloads[];
}

async function put(outDir: string, sitePath: string, bytes: Uint8Array | string): Promise<number> {
  const file = join(outDir, sitePath.slice(1));
  await mkdir(dirname(file), { recursive: true });
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  await writeFile(file, data);
  return data.length;
}

export interface ReportDataOptions {
  pdfSha256: string;
  /** The report's date (as in the PDF): written into the XLSX properties. */
  date: Date;
}

export async function writeReportData(outDir: string, doc: DocumentModel, opts: ReportDataOptions): Promise<ReportDownloads> {
  const r = doc.report;
  const tables: TableDownloads[] = [];
  for (const t of doc.tables) {
    const layout = r.set.layouts.find((l) => l.id === t.id)!;
    const csvHref = tableFilePath(r.slug, r.year, t, 'csv');
    const xlsxHref = tableFilePath(r.slug, r.year, t, 'xlsx');
    const csvBytes = await put(outDir, csvHref, toCsv(flatTable(t, layout, r)));
    const xlsxBytes = await put(outDir, xlsxHref, await tableXlsx(t, { date: opts.date, creator: r.unit }));
    tables.push({
      number: t.number,
      id: t.id,
      title: t.title,
      csv: { format: 'CSV', href: csvHref, bytes: csvBytes },
      xlsx: { format: 'XLSX', href: xlsxHref, bytes: xlsxBytes },
    });
  }
  const href = jsonPath(r.slug, r.year);
  const from = posix.dirname(href);
  const data = openDataReport(doc, {
    schema: posix.relative(from, SCHEMA_PATH),
    pdf: posix.relative(from, pdfPath(r.slug, r.year)),
    pdfSha256: opts.pdfSha256,
  });
  const bytes = await put(outDir, href, openDataJson(data));
  return { json: { format: 'JSON', href, bytes }, tables };
}

export async function writeOpenDataSchema(outDir: string): Promise<void> {
  await put(outDir, SCHEMA_PATH, `${JSON.stringify(openDataSchema(), null, 2)}\n`);
}
