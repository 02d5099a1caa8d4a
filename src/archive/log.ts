// The archive's record: archive/log.jsonl, one line per event, for the whole archive —
// a PDF published (r1) or corrected (r2, r3 …), or the publisher's signing key
// registered. Lines are only ever appended. Each line carries `prev`, the hash of the
// line before, and `hash`, over its own fields and `prev`: the hash of the last line
// (the head) stands for the whole record, and once committed, no published entry can
// disappear or change without the git history of this file showing it (history.ts).
// When the publisher has registered an Ed25519 key, every later line is signed with it
// (signing.ts), so a forged line cannot be written without the key.
//
//   archive/log.jsonl                          the record
//   archive/<unit>/<year>/r1/<unit>-<year>.pdf  the PDF as first published
//   archive/<unit>/<year>/r2/<unit>-<year>.pdf  a correction, published with --revision

import { createHash } from 'node:crypto';
import { readRegularFile, UnreadableFile } from '../load/read-file.ts';
import { join } from 'node:path';
import { error, type Finding, type SourcePos } from '../errors.ts';
import { isCalendarDate } from '../model/date.ts';
import type { Report } from '../model/report.ts';

export const ARCHIVE_DIR = 'archive';
export const LOG_FILE = 'log.jsonl';
/** The log's size limit: some 200,000 publications. */
const MAX_LOG_BYTES = 256 * 1024 * 1024;
/** Files of archive/ that the log does not list. */
export const ARCHIVE_OWN_FILES = new Set([LOG_FILE, 'README.md']);

/** A PDF published: revision 1 is the first publication, 2, 3 … corrections. */
export interface PublishEntry {
  seq: number;
  kind: 'publish';
  slug: string;
  year: number;
  unit: string;
  revision: number;
  /** Path of the PDF under archive/: <unit>/<year>/r<N>/<unit>-<year>.pdf */
  file: string;
  sha256: string;
  bytes: number;
  /** Hash of the report's YAML files (sourceHash). */
  sourceHash: string;
  toolVersion: string;
  /** Publication date, YYYY-MM-DD. */
  published: string;
  note?: string;
  prev: string;
  hash: string;
  signature?: string;
}

/** The publisher's Ed25519 public key registered: every later line must be signed with it. */
export interface KeyEntry {
  seq: number;
  kind: 'key';
  /** SPKI DER, base64. */
  publicKey: string;
  prev: string;
  hash: string;
  signature?: string;
}

export type LogEntry = PublishEntry | KeyEntry;
/** An entry before it is hashed and signed. */
export type Unhashed<E extends LogEntry> = E extends LogEntry ? Omit<E, 'hash' | 'signature'> : never;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const logPath = (root: string) => join(root, ARCHIVE_DIR, LOG_FILE);

/** archive/<unit>/<year>/r<N>/<unit>-<year>.pdf, relative to archive/. */
export function revisionFile(slug: string, year: number, revision: number): string {
  return `${slug}/${year}/r${revision}/${slug}-${year}.pdf`;
}

/**
 * Hash of a report's sources: every file it was loaded from, by role (report,
 * narrative, table id), with line endings normalised — the same on any checkout.
 */
export function sourceHash(report: Report): string {
  const lines = Object.entries(report.files)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([role, src]) => `${role}\0${sha256Hex(src.text.replace(/\r\n?/g, '\n'))}\n`);
  return sha256Hex(lines.join(''));
}

/** The fields of an entry in their fixed order (the order the line is written and hashed in). */
function ordered(e: Unhashed<LogEntry>): Record<string, unknown> {
  if (e.kind === 'key') return { seq: e.seq, kind: e.kind, publicKey: e.publicKey, prev: e.prev };
  return {
    seq: e.seq,
    kind: e.kind,
    slug: e.slug,
    year: e.year,
    unit: e.unit,
    revision: e.revision,
    file: e.file,
    sha256: e.sha256,
    bytes: e.bytes,
    sourceHash: e.sourceHash,
    toolVersion: e.toolVersion,
    published: e.published,
    ...(e.note ? { note: e.note } : {}),
    prev: e.prev,
  };
}

/** The hash of an entry: over its fields and the hash of the line before. */
export function entryHash(e: Unhashed<LogEntry>): string {
  return sha256Hex(JSON.stringify(ordered(e)));
}

/** The line written for an entry (no line break). */
export function entryLine(e: LogEntry): string {
  return JSON.stringify({ ...ordered(e), hash: e.hash, ...(e.signature ? { signature: e.signature } : {}) });
}

/** The head of the record: the hash of its last line ('' for an empty record). */
export function head(entries: readonly LogEntry[]): string {
  return entries[entries.length - 1]?.hash ?? '';
}

export interface ReadLog {
  entries: LogEntry[];
  /** The text as read ('' when there is no log). */
  text: string;
  findings: Finding[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Reads archive/log.jsonl and checks every line: its shape, its place in the chain,
 * its hash, and for a publication the revision number and file name. Signatures are
 * checked by signing.ts. Findings name the line and the field.
 */
export async function readLog(root: string): Promise<ReadLog> {
  const file = `${ARCHIVE_DIR}/${LOG_FILE}`;
  let text: string;
  try {
    text = (await readRegularFile(logPath(root), MAX_LOG_BYTES)).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], text: '', findings: [] };
    if (!(e instanceof UnreadableFile)) throw e;
    const why = e.refusal.kind === 'not-a-file' ? '不是普通文件' : `过大（${e.refusal.bytes} 字节）`;
    return {
      entries: [],
      text: '',
      findings: [
        error(
          '存档',
          'archive-log-tampered',
          `存档记录 ${file} ${why}：请从版本库恢复（git checkout -- ${file}）`,
          { file, line: 1, col: 1 },
          'archive log unreadable',
        ),
      ],
    };
  }
  return parseLog(text, file);
}

export function parseLog(text: string, file: string): ReadLog {
  const findings: Finding[] = [];
  const entries: LogEntry[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const revisions = new Map<string, number>();
  let prev = '';
  lines.forEach((line, i) => {
    const at = (field?: string): SourcePos => {
      const col = field ? line.indexOf(`"${field}"`) + 1 : 1;
      return { file, line: i + 1, col: Math.max(col, 1) };
    };
    const bad = (message: string, english: string, field?: string) =>
      findings.push(
        error(
          '存档',
          'archive-log-tampered',
          `存档记录第 ${i + 1} 行${message}。已公开的记录不得修改；请从版本库恢复（git checkout -- ${file}）`,
          at(field),
          english,
        ),
      );
    let e: LogEntry;
    try {
      e = JSON.parse(line) as LogEntry;
    } catch {
      bad('不是完整的一条记录（JSON 无法解析）', 'line is not a JSON record');
      return;
    }
    const shape = entryProblem(e);
    if (shape) {
      bad(`的 ${shape} 不符合格式`, `malformed field ${shape}`, shape);
      return;
    }
    if (e.seq !== i + 1) bad(`的序号应为 ${i + 1}，实际是 ${e.seq}：记录只能在末尾追加`, 'lines out of order', 'seq');
    if (e.prev !== prev) bad('与上一行接不上（prev 不是上一行的 hash）：中间的记录被删除、插入或改动过', 'chain broken', 'prev');
    if (entryHash(e) !== e.hash) bad('在写入后被改动过（内容与 hash 不符）', 'line edited after it was written', 'hash');
    if (e.kind === 'publish') {
      const key = `${e.slug}/${e.year}`;
      const revision = (revisions.get(key) ?? 0) + 1;
      revisions.set(key, revision);
      if (e.revision !== revision) bad(`应为 ${key} 的修订 r${revision}，实际是 r${e.revision}：修订只能依次追加`, 'revisions out of order', 'revision');
      if (e.file !== revisionFile(e.slug, e.year, e.revision)) bad(`的文件应为 ${revisionFile(e.slug, e.year, e.revision)}`, 'unexpected file name', 'file');
    }
    prev = e.hash;
    entries.push(e);
  });
  return { entries, text, findings };
}

/** The first field of an entry that does not have its form, or null. */
function entryProblem(e: unknown): string | null {
  if (!e || typeof e !== 'object' || Array.isArray(e)) return 'seq';
  const x = e as Record<string, unknown>;
  const str = (k: string, re?: RegExp) => typeof x[k] === 'string' && (!re || re.test(x[k] as string));
  const int = (k: string, min: number) => Number.isSafeInteger(x[k]) && (x[k] as number) >= min;
  const allowed =
    x.kind === 'key'
      ? ['seq', 'kind', 'publicKey', 'prev', 'hash', 'signature']
      : [
          'seq',
          'kind',
          'slug',
          'year',
          'unit',
          'revision',
          'file',
          'sha256',
          'bytes',
          'sourceHash',
          'toolVersion',
          'published',
          'note',
          'prev',
          'hash',
          'signature',
        ];
  const extra = Object.keys(x).find((k) => !allowed.includes(k));
  if (extra) return extra;
  if (!int('seq', 1)) return 'seq';
  if (x.kind !== 'key' && x.kind !== 'publish') return 'kind';
  if (!(x.prev === '' || str('prev', HEX64))) return 'prev';
  if (!str('hash', HEX64)) return 'hash';
  if (x.signature !== undefined && !str('signature', /^[A-Za-z0-9+/]+=*$/)) return 'signature';
  if (x.kind === 'key') return str('publicKey', /^[A-Za-z0-9+/]+=*$/) ? null : 'publicKey';
  if (!str('slug', SLUG)) return 'slug';
  if (!int('year', 1000)) return 'year';
  if (!str('unit') || !(x.unit as string).length) return 'unit';
  if (!int('revision', 1)) return 'revision';
  if (!str('file')) return 'file';
  if (!str('sha256', HEX64)) return 'sha256';
  if (!int('bytes', 1)) return 'bytes';
  if (!str('sourceHash', HEX64)) return 'sourceHash';
  if (!str('toolVersion') || !(x.toolVersion as string).length) return 'toolVersion';
  if (!str('published') || !isCalendarDate(x.published as string)) return 'published';
  if (x.note !== undefined && (!str('note') || !(x.note as string).length)) return 'note';
  return null;
}

/** Publications only. */
export function publications(entries: readonly LogEntry[]): PublishEntry[] {
  return entries.filter((e): e is PublishEntry => e.kind === 'publish');
}

/** The latest revision of every published (unit, year), by `unit/year`. */
export function latestRevisions(entries: readonly LogEntry[]): Map<string, PublishEntry> {
  const out = new Map<string, PublishEntry>();
  for (const e of publications(entries)) out.set(`${e.slug}/${e.year}`, e);
  return out;
}
