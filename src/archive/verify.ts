// Every build checks the archive before it writes anything: the log is whole (its chain,
// its hashes, its signatures once a key is registered), no committed line of it has
// disappeared or changed (the git history), each archived PDF has exactly the bytes its
// line records, and nothing sits in archive/ unrecorded — otherwise the build fails and
// output/ stays as it was. Then each published year's freshly rendered PDF is compared
// with its latest revision: a difference is announced with a text-level diff, and the
// archive is never touched.

import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { error, InputError, type Finding } from '../errors.ts';
import { checkHistory } from './history.ts';
import { ARCHIVE_DIR, ARCHIVE_OWN_FILES, LOG_FILE, latestRevisions, type LogEntry, publications, type PublishEntry, readLog, sha256Hex } from './log.ts';
import { pdfTextDiff, type TextDiff } from './pdf-text.ts';
import { checkSignatures } from './signing.ts';

export interface VerifiedArchive {
  entries: LogEntry[];
  /** What could not be checked (no git history), for the build to print. */
  notices: string[];
}

/** Every file under `dir` (symbolic links included, as files), relative to it with / separators. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  let list: import('node:fs').Dirent[];
  try {
    list = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of list) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out;
}

/** Checks the whole archive; throws InputError listing every problem. */
export async function verifyArchive(root: string): Promise<VerifiedArchive> {
  const base = join(root, ARCHIVE_DIR);
  const logFile = `${ARCHIVE_DIR}/${LOG_FILE}`;
  const log = await readLog(root);
  const findings: Finding[] = [...log.findings, ...checkSignatures(log.entries, logFile)];
  const notices: string[] = [];
  const history = checkHistory(root);
  findings.push(...history.findings);
  if (history.skipped && log.entries.length) notices.push(history.skipped);

  const recorded = new Set<string>();
  for (const e of publications(log.entries)) {
    recorded.add(e.file);
    const path = join(base, e.file);
    const shown = `${ARCHIVE_DIR}/${e.file}`;
    const at = { file: logFile, line: e.seq, col: 1 };
    const info = await lstat(path).catch(() => null);
    if (!info) {
      findings.push(
        error(
          '存档',
          'archive-file-missing',
          `已公开的 ${e.slug} ${e.year} 年 r${e.revision} 文件 ${shown} 不见了：存档文件不得删除；请从版本库恢复（git checkout -- ${ARCHIVE_DIR}/${e.slug}）`,
          at,
          'archived PDF missing',
        ),
      );
      continue;
    }
    if (!info.isFile()) {
      findings.push(
        error(
          '存档',
          'archive-file-changed',
          `${shown} 应是已公开的 PDF 文件，现在不是普通文件（如符号链接）：请从版本库恢复`,
          at,
          'archived PDF is not a regular file',
        ),
      );
      continue;
    }
    const bytes = await readFile(path);
    const hash = sha256Hex(bytes);
    if (hash !== e.sha256 || bytes.length !== e.bytes) {
      findings.push(
        error(
          '存档',
          'archive-file-changed',
          `已公开的 PDF ${shown} 与存档记录不符（记录 sha256 ${e.sha256.slice(0, 12)}…，${e.bytes} 字节；实际 ${hash.slice(0, 12)}…，${bytes.length} 字节）。存档文件不得修改；请从版本库恢复，更正请用 npm run publish -- … --revision 发布新修订版`,
          at,
          'archived PDF differs from its record',
        ),
      );
    }
  }
  for (const rel of await filesUnder(base)) {
    if (recorded.has(rel) || ARCHIVE_OWN_FILES.has(rel)) continue;
    findings.push(
      error(
        '存档',
        'archive-unregistered-file',
        `存档中有记录之外的文件 ${ARCHIVE_DIR}/${rel}：存档只能由 npm run publish 写入，请删除它`,
        { file: `${ARCHIVE_DIR}/${rel}`, line: 1, col: 1 },
        'file in the archive that the log does not record',
      ),
    );
  }
  if (findings.length) throw new InputError(findings);
  return { entries: log.entries, notices };
}

export interface ArchiveNotice {
  slug: string;
  year: number;
  revision: number;
  archived: PublishEntry;
  sha256: string;
  bytes: number;
  text: TextDiff;
}

/** Compares freshly rendered PDFs with the latest archived revision of their year. */
export async function compareWithArchive(
  root: string,
  entries: readonly LogEntry[],
  built: readonly { slug: string; year: number; bytes: Uint8Array }[],
): Promise<ArchiveNotice[]> {
  const latest = latestRevisions(entries);
  const notices: ArchiveNotice[] = [];
  for (const b of built) {
    const entry = latest.get(`${b.slug}/${b.year}`);
    if (!entry) continue;
    const hash = sha256Hex(b.bytes);
    if (hash === entry.sha256) continue;
    const archived = new Uint8Array(await readFile(join(root, ARCHIVE_DIR, entry.file)));
    notices.push({
      slug: b.slug,
      year: b.year,
      revision: entry.revision,
      archived: entry,
      sha256: hash,
      bytes: b.bytes.length,
      text: await pdfTextDiff(archived, b.bytes),
    });
  }
  return notices;
}

/** The notice printed by the build, in lines. */
export function formatNotice(n: ArchiveNotice, maxLines = 60): string[] {
  const out = [
    `注意：${n.slug} ${n.year} 年已于 ${n.archived.published} 公开（存档 r${n.revision}），但按现在的源文件生成的 PDF 与存档不同（存档 sha256 ${n.archived.sha256.slice(0, 12)}…，现在 ${n.sha256.slice(0, 12)}…）。存档未被改动。`,
  ];
  if (n.text.lines.length) {
    out.push(`文字差异（- 存档 r${n.revision}，+ 现在生成）：删除 ${n.text.removed} 行，新增 ${n.text.added} 行`);
    out.push(...n.text.lines.slice(0, maxLines).map((l) => `  ${l}`));
    if (n.text.lines.length > maxLines) out.push(`  …（另有 ${n.text.lines.length - maxLines} 行）`);
  } else {
    out.push('文字内容与存档相同：差异只在版式、字体或文件结构。');
  }
  out.push(
    `如这是对已公开内容的更正，请发布新修订版：npm run publish -- ${n.slug} ${n.year} --revision --published <更正公开日期> --note "<更正说明>"；如非有意修改，请撤销源文件的改动。`,
  );
  return out;
}
