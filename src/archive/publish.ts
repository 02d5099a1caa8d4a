// `npm run publish -- <unit> <year>`: renders the year's PDF exactly as the build
// does and adds it to the append-only archive as revision r1 — or, with --revision,
// as the next revision, keeping every earlier one — with a line in archive/log.jsonl,
// signed when the publisher has registered a key (`npm run archive-key`). Publishing a
// year again without --revision is refused; nothing in the archive is ever
// overwritten. The date comes from the report's `published` field or the command
// line, never from the clock unless asked for (`--published today`).

import type { KeyObject } from 'node:crypto';
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
import { dateProblem, isCalendarDate } from '../model/date.ts';
import { lockOutput } from '../output-folder.ts';
import {
  ARCHIVE_DIR,
  entryHash,
  entryLine,
  head,
  type KeyEntry,
  type LogEntry,
  LOG_FILE,
  logPath,
  type PublishEntry,
  publications,
  revisionFile,
  sha256Hex,
  sourceHash,
  type Unhashed,
} from './log.ts';
import { createSigningKey, publicKeyText, readSigningKey, registeredKey, SIGNING_KEY_ENV, signEntry } from './signing.ts';
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
  /** The publisher's private key file (ARCHIVE_SIGNING_KEY); required once a key is registered. */
  signingKeyFile?: string;
}

export interface PublishResult {
  entry: PublishEntry;
  pdf: string;
  /** archive/log.jsonl */
  logFile: string;
  /** The hash of the log's last line after publishing: commit it, and say it publicly. */
  head: string;
  /** True when the publication date was written into report.yaml. */
  wroteDate: boolean;
}

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

/** Appends a line to the log (the whole file rewritten and renamed into place: never half a line). */
async function appendLine(root: string, text: string, entry: LogEntry): Promise<void> {
  await mkdir(join(root, ARCHIVE_DIR), { recursive: true });
  await writeAtomic(logPath(root), `${text}${entryLine(entry)}\n`);
}

/**
 * The key to sign the next line with: none before a key is registered; after, the
 * publisher's key, which must be the registered one.
 */
async function signingKeyFor(entries: readonly LogEntry[], file: string | undefined, at: string): Promise<KeyObject | null> {
  const registered = registeredKey(entries);
  if (!registered) {
    if (file) refuse(`已设置 ${SIGNING_KEY_ENV}，但存档中还没有登记签名公钥：请先运行 npm run archive-key -- ${file}`, 'no key registered yet', at);
    return null;
  }
  if (!file) {
    refuse(`存档已登记发布者的签名公钥，每条记录都要签名：请把环境变量 ${SIGNING_KEY_ENV} 设为私钥文件的路径后重新运行`, 'signing key required', at);
  }
  const read = await readSigningKey(file!);
  if ('problem' in read) refuse(`${read.problem}（${SIGNING_KEY_ENV}）`, 'unusable signing key', at);
  const key = (read as { key: KeyObject }).key;
  if (publicKeyText(key) !== registered) refuse(`${SIGNING_KEY_ENV} 的私钥与存档登记的公钥不符：请使用登记时的私钥`, 'not the registered key', at);
  return key;
}

function sealed<E extends LogEntry>(e: Unhashed<E>, key: KeyObject | null): E {
  const hash = entryHash(e);
  return { ...e, hash, ...(key ? { signature: signEntry(hash, key) } : {}) } as unknown as E;
}

export async function publish(opts: PublishOptions): Promise<PublishResult> {
  // One writer of archive/ at a time.
  const lock = await lockOutput(join(opts.root, ARCHIVE_DIR));
  try {
    return await publishLocked(opts);
  } finally {
    await lock.release();
  }
}

async function publishLocked(opts: PublishOptions): Promise<PublishResult> {
  const { root, slug, year } = opts;
  const log = opts.log ?? (() => {});
  const show = (p: string) => relative(root, p) || p;
  // A broken archive is repaired first: nothing is added on top of it.
  const { entries } = await verifyArchive(root);
  const logText = entries.length ? await readFile(logPath(root), 'utf8') : '';
  const logFile = `${ARCHIVE_DIR}/${LOG_FILE}`;

  // Refusals that need only the archive and the arguments come first.
  const reportFile = join('content', slug, String(year), 'report.yaml');
  const earlier = publications(entries).filter((e) => e.slug === slug && e.year === year);
  const last = earlier[earlier.length - 1];
  if (last && !opts.revision) {
    refuse(
      `${last.unit} ${year} 年已于 ${last.published} 公开（存档 r${last.revision}），不能重复发布。如需更正，请加 --revision 发布新修订版 r${last.revision + 1}（原有各版保留不变）`,
      'already published; use --revision to publish a correction',
      logFile,
      last.seq,
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
  if (date !== undefined && !isCalendarDate(date)) refuse(`公开日期 ${dateProblem(date)}`, 'not a calendar date YYYY-MM-DD', reportFile);
  const key = await signingKeyFor(entries, opts.signingKeyFile, logFile);

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
    refuse(`按现在的源文件生成的 PDF 与已公开的 r${last.revision} 完全相同，无需发布新修订版`, 'identical to the latest revision', logFile, last.seq);
  }

  const revision = (last?.revision ?? 0) + 1;
  const entry = sealed<PublishEntry>(
    {
      seq: entries.length + 1,
      kind: 'publish',
      slug,
      year,
      unit: report!.unit,
      revision,
      file: revisionFile(slug, year, revision),
      sha256: hash,
      bytes: pdf.bytes.length,
      sourceHash: sourceHash(report!),
      toolVersion: await toolVersion(root),
      published: date,
      ...(opts.note ? { note: opts.note } : {}),
      prev: head(entries),
    },
    key,
  );

  const pdfFile = join(root, ARCHIVE_DIR, entry.file);
  await mkdir(join(pdfFile, '..'), { recursive: true });
  try {
    // 'wx': an archived file is never overwritten, whatever happened before.
    await writeFile(pdfFile, pdf.bytes, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') refuse(`${show(pdfFile)} 已存在，存档文件不会被覆盖`, 'archived file exists', show(pdfFile));
    throw e;
  }
  try {
    await appendLine(root, logText, entry);
  } catch (e) {
    await rm(pdfFile, { force: true });
    throw e;
  }
  return { entry, pdf: pdfFile, logFile: logPath(root), head: entry.hash, wroteDate };
}

export interface KeyResult {
  entry: KeyEntry;
  /** True when the key pair was created now (the private key written to the file given). */
  created: boolean;
  head: string;
}

/**
 * `npm run archive-key -- <private-key-file>`: registers the publisher's Ed25519 public key
 * in the log (creating the key pair first when the file does not exist). From then on
 * every line must be signed with it. A new key replaces the registered one only with a
 * line signed by the registered key (ARCHIVE_SIGNING_KEY).
 */
export async function registerKey(opts: { root: string; keyFile: string; signingKeyFile?: string }): Promise<KeyResult> {
  const lock = await lockOutput(join(opts.root, ARCHIVE_DIR));
  try {
    const { entries } = await verifyArchive(opts.root);
    const logText = entries.length ? await readFile(logPath(opts.root), 'utf8') : '';
    const logFile = `${ARCHIVE_DIR}/${LOG_FILE}`;
    const created = !existsSync(opts.keyFile);
    let key: KeyObject;
    if (created) key = await createSigningKey(opts.keyFile);
    else {
      const read = await readSigningKey(opts.keyFile);
      if ('problem' in read) refuse(read.problem, 'unusable key file', logFile);
      key = (read as { key: KeyObject }).key;
    }
    const publicKey = publicKeyText(key);
    if (registeredKey(entries) === publicKey) refuse('这个公钥已经是存档登记的签名公钥，无需再登记', 'key already registered', logFile);
    // The registered key (if any) signs the line that hands over to the new one.
    const signer = await signingKeyFor(entries, registeredKey(entries) ? opts.signingKeyFile : undefined, logFile);
    const entry = sealed<KeyEntry>({ seq: entries.length + 1, kind: 'key', publicKey, prev: head(entries) }, signer);
    await appendLine(opts.root, logText, entry);
    return { entry, created, head: entry.hash };
  } finally {
    await lock.release();
  }
}
