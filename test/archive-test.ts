// The archive of published PDFs, on a throwaway copy of the project (the bundled
// report is published there only): publish writes r1 with its manifest entry; the
// build reproduces the archived bytes; a second publication without --revision is
// refused; a tampered PDF, a tampered manifest or a stray file stop the build with
// output/ untouched; changed sources are announced with a text diff and never
// overwrite the archive; a correction is a new revision that keeps the first.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { chainOf, sourceHash, type YearManifest } from '../src/archive/manifest.ts';
import { chinaDate } from '../src/archive/publish.ts';
import { loadProject } from '../src/build.ts';
import { assertOutputUntouched, markPreviousOutput, runScript, tempProject } from './helpers/project.ts';

const unit = 'shenzhen-big-data-center';
const dir = await tempProject();
const yearDir = join(dir, 'archive', unit, '2024');
const manifestPath = join(yearDir, 'manifest.json');
const r1 = join(yearDir, 'r1', `${unit}-2024.pdf`);
const reportYaml = join(dir, 'content', unit, '2024', 'report.yaml');
const narrativeYaml = join(dir, 'content', unit, '2024', 'narrative.yaml');
const out = join(dir, 'output');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const readManifest = async () => JSON.parse(await readFile(manifestPath, 'utf8')) as YearManifest;

async function archiveSnapshot(): Promise<Record<string, string>> {
  const walk = async (p: string): Promise<string[]> =>
    (await Promise.all((await readdir(p, { withFileTypes: true })).map((e) => (e.isDirectory() ? walk(join(p, e.name)) : [join(p, e.name)])))).flat();
  const files = existsSync(join(dir, 'archive')) ? await walk(join(dir, 'archive')) : [];
  return Object.fromEntries(await Promise.all(files.sort().map(async (f) => [f.slice(dir.length), sha(await readFile(f))] as const)));
}

test('publishing needs a publication date: it never takes the clock by itself', async () => {
  const r = runScript(dir, 'publish', [unit, '2024']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /report\.yaml:1:1 \[发布\] report\.yaml 中没有公开日期 published/);
  assert.ok(!existsSync(join(dir, 'archive', unit)));
  const bad = runScript(dir, 'publish', [unit, '2024', '--published', '2024/02/01']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /应写作 YYYY-MM-DD/);
});

test('--published today reads the injected clock, as a date in China', () => {
  assert.equal(chinaDate(new Date('2024-01-31T16:30:00Z')), '2024-02-01');
  assert.equal(chinaDate(new Date('2024-01-31T15:59:59Z')), '2024-01-31');
});

test('publish writes r1 and its manifest entry; the date goes into report.yaml', async () => {
  const r = runScript(dir, 'publish', [unit, '2024', '--published', '2024-02-01']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(await readFile(reportYaml, 'utf8'), /^tableSet: shenzhen-2024\npublished: 2024-02-01\nprior:/m);
  const m = await readManifest();
  assert.equal(m.slug, unit);
  assert.equal(m.year, 2024);
  assert.equal(m.entries.length, 1);
  const e = m.entries[0]!;
  const pdf = new Uint8Array(await readFile(r1));
  assert.equal(e.file, `r1/${unit}-2024.pdf`);
  assert.equal(e.sha256, sha(pdf));
  assert.equal(e.bytes, pdf.length);
  assert.equal(e.published, '2024-02-01');
  assert.equal(e.toolVersion, (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version);
  const report = (await loadProject(dir)).reports.find((x) => x.year === 2024)!;
  assert.equal(e.sourceHash, sourceHash(report));
  assert.equal(e.chain, chainOf(unit, 2024, '', e));
  assert.ok(new TextDecoder().decode(pdf.subarray(0, 5)).startsWith('%PDF-'));
});

test('the build verifies the archive and reproduces the archived bytes', async () => {
  const b = runScript(dir, 'build');
  assert.equal(b.status, 0, b.stderr);
  assert.doesNotMatch(b.stderr, /注意/);
  const built = new Uint8Array(await readFile(join(out, unit, '2024', `${unit}-2024.pdf`)));
  assert.equal(sha(built), (await readManifest()).entries[0]!.sha256);
});

test('publishing the same year again without --revision is refused', async () => {
  const before = await archiveSnapshot();
  const r = runScript(dir, 'publish', [unit, '2024']);
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /archive\/shenzhen-big-data-center\/2024\/manifest\.json:1:1 \[发布\] .*2024 年已于 2024-02-01 公开（存档 r1），不能重复发布。如需更正，请加 --revision/,
  );
  assert.deepEqual(await archiveSnapshot(), before);
  const none = runScript(dir, 'publish', [unit, '2024', '--revision']);
  assert.equal(none.status, 1, 'nothing changed: no new revision');
  assert.match(none.stderr, /与已公开的 r1 完全相同，无需发布新修订版/);
  assert.deepEqual(await archiveSnapshot(), before);
});

test('a tampered archived PDF stops the build; output/ is untouched', async () => {
  const original = await readFile(r1);
  const tampered = Buffer.from(original);
  const at = tampered.length - 100;
  tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
  await writeFile(r1, tampered);
  await markPreviousOutput(out);
  const b = runScript(dir, 'build');
  await writeFile(r1, original);
  assert.equal(b.status, 1);
  assert.match(
    b.stderr,
    /archive\/shenzhen-big-data-center\/2024\/manifest\.json:\d+:\d+ \[存档\] 已公开的 PDF archive\/shenzhen-big-data-center\/2024\/r1\/shenzhen-big-data-center-2024\.pdf 与存档清单不符/,
  );
  await assertOutputUntouched(out);
});

test('a tampered manifest stops the build, whichever field was edited', async () => {
  const original = await readFile(manifestPath, 'utf8');
  const m = JSON.parse(original) as YearManifest;
  const edits: [string, (x: YearManifest) => void, RegExp][] = [
    ['sha256', (x) => (x.entries[0]!.sha256 = '0'.repeat(64)), /与存档清单不符/],
    ['published', (x) => (x.entries[0]!.published = '2024-01-15'), /第 1 条（r1）在发布后被改动过/],
    ['sourceHash', (x) => (x.entries[0]!.sourceHash = 'f'.repeat(64)), /第 1 条（r1）在发布后被改动过/],
    ['entries removed', (x) => (x.entries = []), /\[存档\]/],
  ];
  for (const [what, edit, message] of edits) {
    const copy = structuredClone(m);
    edit(copy);
    await writeFile(manifestPath, `${JSON.stringify(copy, null, 2)}\n`);
    await markPreviousOutput(out);
    const b = runScript(dir, 'build');
    assert.equal(b.status, 1, what);
    assert.match(b.stderr, message, what);
    await assertOutputUntouched(out);
  }
  await writeFile(manifestPath, '{ "unit": ');
  const broken = runScript(dir, 'build');
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /manifest\.json:\d+:\d+ \[格式\]/);
  await writeFile(manifestPath, original);
});

test('a file the manifest does not record stops the build', async () => {
  const stray = join(yearDir, 'r2', `${unit}-2024.pdf`);
  await mkdir(join(yearDir, 'r2'), { recursive: true });
  await writeFile(stray, await readFile(r1));
  await markPreviousOutput(out);
  const b = runScript(dir, 'build');
  await rm(join(yearDir, 'r2'), { recursive: true });
  assert.equal(b.status, 1);
  assert.match(b.stderr, /存档中有清单未登记的文件 archive\/shenzhen-big-data-center\/2024\/r2\/shenzhen-big-data-center-2024\.pdf/);
  await assertOutputUntouched(out);
});

test('changed sources: the build says so with a text diff, and leaves the archive alone', async () => {
  const before = await archiveSnapshot();
  const original = await readFile(narrativeYaml, 'utf8');
  await writeFile(narrativeYaml, original.replace('实现政务活动短信准时送达', '实现政务活动短信按时送达'));
  const b = runScript(dir, 'build');
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stderr, /注意：shenzhen-big-data-center 2024 年已于 2024-02-01 公开（存档 r1），但按现在的源文件生成的 PDF 与存档不同/);
  assert.match(b.stderr, /文字差异（- 存档 r1，\+ 现在生成）：删除 \d+ 行，新增 \d+ 行/);
  const minus = b.stderr.split('\n').filter((l) => l.startsWith('  - '));
  const plus = b.stderr.split('\n').filter((l) => l.startsWith('  + '));
  assert.ok(
    minus.some((l) => l.includes('准时')) ||
      minus
        .join('')
        .replace(/\s|第\d+页/g, '')
        .includes('准时'),
    b.stderr,
  );
  assert.ok(
    plus
      .join('')
      .replace(/\s|第\d+页/g, '')
      .includes('按时'),
    b.stderr,
  );
  assert.match(b.stderr, /npm run publish -- shenzhen-big-data-center 2024 --revision/);
  assert.deepEqual(await archiveSnapshot(), before, 'the archive is never overwritten');
});

test('a correction is published as r2 and keeps r1', async () => {
  const r1Bytes = await readFile(r1);
  const r = runScript(dir, 'publish', [unit, '2024', '--revision', '--published', '2024-03-01', '--note', '更正第一部分“准时”为“按时”']);
  assert.equal(r.status, 0, r.stderr);
  const m = await readManifest();
  assert.deepEqual(
    m.entries.map((e) => [e.revision, e.file, e.published]),
    [
      [1, `r1/${unit}-2024.pdf`, '2024-02-01'],
      [2, `r2/${unit}-2024.pdf`, '2024-03-01'],
    ],
  );
  assert.equal(m.entries[1]!.note, '更正第一部分“准时”为“按时”');
  assert.equal(m.entries[1]!.chain, chainOf(unit, 2024, m.entries[0]!.chain, m.entries[1]!));
  assert.deepEqual(await readFile(r1), r1Bytes, 'r1 is kept as it was');
  assert.match(await readFile(reportYaml, 'utf8'), /^published: 2024-03-01$/m);
  const b = runScript(dir, 'build');
  assert.equal(b.status, 0, b.stderr);
  assert.doesNotMatch(b.stderr, /注意/, 'the sources now render to the latest revision');
  assert.equal(sha(new Uint8Array(await readFile(join(out, unit, '2024', `${unit}-2024.pdf`)))), m.entries[1]!.sha256);
});

test('a year with values still to fill is not published', async () => {
  const ny = runScript(dir, 'new-year', [unit, '2025']);
  assert.equal(ny.status, 0, ny.stderr);
  const r = runScript(dir, 'publish', [unit, '2025', '--published', '2025-02-01']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /content\/shenzhen-big-data-center\/2025\/\S+:\d+:\d+ \[发布\] 待填写：/);
  assert.match(r.stderr, /还有 \d+ 项未填写，不能发布/);
  assert.ok(!existsSync(join(dir, 'archive', unit, '2025')));
});
