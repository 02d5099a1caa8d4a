// The archive of published PDFs: archive/<unit>/<year>/manifest.json lists every
// revision published for that year (r1, r2 …), each with the PDF's sha256 and size,
// a hash of the report's sources, the tool version and the publication date. One
// manifest per unit-year, so units publishing at the same time never touch the same
// file. Entries are chained (each `chain` hashes the entry and the one before), so an
// edited entry is caught even when its PDF still matches; git history keeps the rest.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { error, type Finding } from '../errors.ts';
import { readYamlFile } from '../load/yaml-file.ts';
import { byCodePoint } from '../model/order.ts';
import type { Report } from '../model/report.ts';
import { positionOf, validateSchema } from '../validate/schema.ts';
import type { YamlSource } from '../load/yaml-file.ts';

export const ARCHIVE_DIR = 'archive';

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });

export const ArchiveEntry = Type.Object(
  {
    revision: Type.Integer({ minimum: 1, description: '修订号：1 为首次公开，更正依次为 2、3 …' }),
    file: Type.String({ pattern: '^r[1-9]\\d*/[^/]+\\.pdf$', description: '相对本清单的 PDF 路径，如 r1/<单位>-<年度>.pdf' }),
    sha256: Sha256,
    bytes: Type.Integer({ minimum: 1 }),
    sourceHash: Sha256,
    toolVersion: Type.String({ minLength: 1 }),
    published: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '公开日期 YYYY-MM-DD' }),
    note: Type.Optional(Type.String({ minLength: 1, description: '更正说明' })),
    chain: Sha256,
  },
  { additionalProperties: false },
);
export type ArchiveEntry = Static<typeof ArchiveEntry>;

export const YearManifest = Type.Object(
  {
    unit: Type.String({ minLength: 1 }),
    slug: Type.String({ minLength: 1 }),
    year: Type.Integer(),
    entries: Type.Array(ArchiveEntry, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type YearManifest = Static<typeof YearManifest>;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function yearDir(root: string, slug: string, year: number): string {
  return join(root, ARCHIVE_DIR, slug, String(year));
}

export function manifestFile(root: string, slug: string, year: number): string {
  return join(yearDir(root, slug, year), 'manifest.json');
}

/** r2/<slug>-<year>.pdf */
export function revisionFile(slug: string, year: number, revision: number): string {
  return `r${revision}/${slug}-${year}.pdf`;
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

type Unchained = Omit<ArchiveEntry, 'chain'>;

/** The chain link of an entry: over the unit-year, the previous link and the entry's fields in a fixed order. */
export function chainOf(slug: string, year: number, previous: string, e: Unchained): string {
  const fields = [e.revision, e.file, e.sha256, e.bytes, e.sourceHash, e.toolVersion, e.published, e.note ?? ''];
  return sha256Hex(JSON.stringify([`${slug}/${year}`, previous, ...fields]));
}

export function chained(m: Pick<YearManifest, 'slug' | 'year' | 'entries'>, e: Unchained): ArchiveEntry {
  const previous = m.entries[m.entries.length - 1]?.chain ?? '';
  // Keys in a fixed order, so the file reads the same whoever writes it.
  return {
    revision: e.revision,
    file: e.file,
    sha256: e.sha256,
    bytes: e.bytes,
    sourceHash: e.sourceHash,
    toolVersion: e.toolVersion,
    published: e.published,
    ...(e.note ? { note: e.note } : {}),
    chain: chainOf(m.slug, m.year, previous, e),
  };
}

export function manifestText(m: YearManifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

export interface LoadedManifest {
  manifest: YearManifest;
  src: YamlSource;
  /** Project-relative path of the manifest, for messages. */
  file: string;
  dir: string;
}

/** Reads and checks one manifest's shape and chain; findings carry file:line:col. */
export async function readManifest(root: string, path: string): Promise<{ loaded?: LoadedManifest; findings: Finding[] }> {
  const file = relative(root, path) || path;
  let src: YamlSource;
  try {
    src = await readYamlFile(path, file);
  } catch (e) {
    const findings = (e as { findings?: Finding[] }).findings;
    if (findings) return { findings };
    throw e;
  }
  const findings = validateSchema(src, YearManifest);
  if (findings.length) return { findings: findings.map((f) => ({ ...f, rule: '存档', ruleId: `archive-${f.ruleId}` })) };
  const manifest = src.data as unknown as YearManifest;
  const at = (p: string) => positionOf(src, p);
  const parts = file.split(/[\\/]/);
  const [slug, year] = [parts[parts.length - 3], parts[parts.length - 2]];
  if (manifest.slug !== slug || String(manifest.year) !== year) {
    findings.push(
      error(
        '存档',
        'archive-manifest-place',
        `存档清单写的是 ${manifest.slug}/${manifest.year}，但它位于 ${slug}/${year}：清单不得移动或改写`,
        at('/slug'),
        'manifest does not match its folder',
      ),
    );
  }
  let previous = '';
  manifest.entries.forEach((e, i) => {
    const p = `/entries/${i}`;
    if (e.revision !== i + 1)
      findings.push(
        error(
          '存档',
          'archive-revision-order',
          `第 ${i + 1} 条应为修订 r${i + 1}，实际是 r${e.revision}：存档只能追加，不能删改`,
          at(`${p}/revision`),
          'revisions must be r1, r2, … in order',
        ),
      );
    if (e.file !== revisionFile(manifest.slug, manifest.year, e.revision))
      findings.push(
        error(
          '存档',
          'archive-file-name',
          `修订 r${e.revision} 的文件应为 ${revisionFile(manifest.slug, manifest.year, e.revision)}`,
          at(`${p}/file`),
          'unexpected file name',
        ),
      );
    const expected = chainOf(manifest.slug, manifest.year, previous, e);
    if (e.chain !== expected) {
      findings.push(
        error(
          '存档',
          'archive-manifest-tampered',
          `存档清单第 ${i + 1} 条（r${e.revision}）在发布后被改动过（校验链不符）。已公开的记录不得修改；请从版本库恢复该文件（git checkout -- ${file}）`,
          at(`${p}/chain`),
          'manifest entry was edited after publication',
        ),
      );
    }
    previous = e.chain;
  });
  return { loaded: { manifest, src, file, dir: join(path, '..') }, findings };
}

/** Every manifest under archive/: archive/<slug>/<year>/manifest.json. */
export async function manifestPaths(root: string): Promise<string[]> {
  const base = join(root, ARCHIVE_DIR);
  if (!existsSync(base)) return [];
  const out: string[] = [];
  for (const unit of (await readdir(base, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => byCodePoint(a.name, b.name))) {
    for (const year of (await readdir(join(base, unit.name), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .sort((a, b) => byCodePoint(a.name, b.name))) {
      out.push(join(base, unit.name, year.name, 'manifest.json'));
    }
  }
  return out;
}
