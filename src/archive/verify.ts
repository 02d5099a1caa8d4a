// Every build checks the archive before it writes anything: each archived PDF must
// have exactly the bytes its manifest records, and nothing may sit in the archive
// unrecorded — otherwise the build fails and output/ stays as it was. Then each
// published year's freshly rendered PDF is compared with its latest revision: a
// difference is announced with a text-level diff, and the archive is never touched.

import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { error, InputError, type Finding } from '../errors.ts';
import { manifestPaths, readManifest, sha256Hex, type ArchiveEntry, type LoadedManifest } from './manifest.ts';
import { pdfTextDiff, type TextDiff } from './pdf-text.ts';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/** Checks the whole archive; throws InputError listing every problem. */
export async function verifyArchive(root: string): Promise<LoadedManifest[]> {
  const findings: Finding[] = [];
  const loaded: LoadedManifest[] = [];
  for (const path of await manifestPaths(root)) {
    const dir = join(path, '..');
    const shownDir = relative(root, dir);
    if (!existsSync(path)) {
      findings.push(
        error(
          '存档',
          'archive-manifest-missing',
          `存档文件夹 ${shownDir} 缺少 manifest.json：存档只能由 npm run publish 写入，请从版本库恢复`,
          { file: relative(root, path), line: 1, col: 1 },
          'archive folder without manifest',
        ),
      );
      continue;
    }
    const r = await readManifest(root, path);
    findings.push(...r.findings);
    if (!r.loaded) continue;
    loaded.push(r.loaded);
    const { manifest, file } = r.loaded;
    const registered = new Set(['manifest.json', ...manifest.entries.map((e) => e.file)]);
    for (const [i, e] of manifest.entries.entries()) {
      const pdf = join(dir, e.file);
      const at = r.loaded.src.positions.get(`/entries/${i}/sha256`) ?? { file, line: 1, col: 1 };
      if (!existsSync(pdf)) {
        findings.push(
          error(
            '存档',
            'archive-file-missing',
            `已公开的 ${manifest.year} 年 r${e.revision} 文件 ${relative(root, pdf)} 不见了；请从版本库恢复（git checkout -- ${relative(root, pdf)}）`,
            at,
            'archived PDF missing',
          ),
        );
        continue;
      }
      const bytes = await readFile(pdf);
      const hash = sha256Hex(bytes);
      if (hash !== e.sha256 || bytes.length !== e.bytes) {
        findings.push(
          error(
            '存档',
            'archive-file-changed',
            `已公开的 PDF ${relative(root, pdf)} 与存档清单不符（清单 sha256 ${e.sha256.slice(0, 12)}…，${e.bytes} 字节；实际 ${hash.slice(0, 12)}…，${bytes.length} 字节）。存档文件不得修改；请从版本库恢复，更正请用 npm run publish -- … --revision 发布新修订版`,
            at,
            'archived PDF differs from its manifest',
          ),
        );
      }
    }
    for (const f of await filesUnder(dir)) {
      const rel = relative(dir, f).split(/[\\/]/).join('/');
      if (!registered.has(rel)) {
        findings.push(
          error(
            '存档',
            'archive-unregistered-file',
            `存档中有清单未登记的文件 ${relative(root, f)}：存档只能由 npm run publish 写入，请删除它`,
            { file: relative(root, f), line: 1, col: 1 },
            'file in the archive that no manifest records',
          ),
        );
      }
    }
  }
  if (findings.length) throw new InputError(findings);
  return loaded;
}

export interface ArchiveNotice {
  slug: string;
  year: number;
  revision: number;
  archived: ArchiveEntry;
  sha256: string;
  bytes: number;
  text: TextDiff;
}

/** The latest revision of every published (unit, year). */
export function latestRevisions(manifests: readonly LoadedManifest[]): Map<string, { entry: ArchiveEntry; loaded: LoadedManifest }> {
  const out = new Map<string, { entry: ArchiveEntry; loaded: LoadedManifest }>();
  for (const m of manifests) out.set(`${m.manifest.slug}/${m.manifest.year}`, { entry: m.manifest.entries[m.manifest.entries.length - 1]!, loaded: m });
  return out;
}

/** Compares freshly rendered PDFs with the latest archived revision of their year. */
export async function compareWithArchive(
  manifests: readonly LoadedManifest[],
  built: readonly { slug: string; year: number; bytes: Uint8Array }[],
): Promise<ArchiveNotice[]> {
  const latest = latestRevisions(manifests);
  const notices: ArchiveNotice[] = [];
  for (const b of built) {
    const l = latest.get(`${b.slug}/${b.year}`);
    if (!l) continue;
    const hash = sha256Hex(b.bytes);
    if (hash === l.entry.sha256) continue;
    const archived = new Uint8Array(await readFile(join(l.loaded.dir, l.entry.file)));
    notices.push({
      slug: b.slug,
      year: b.year,
      revision: l.entry.revision,
      archived: l.entry,
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
