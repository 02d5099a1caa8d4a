// The archive of published PDFs, on a throwaway copy of the project kept in its own git
// repository (the bundled report is published there only): publish writes r1 with its
// line in archive/log.jsonl; the build reproduces the archived bytes; a second
// publication without --revision is refused; a tampered PDF, an edited or dropped line,
// a forgery with recomputed hashes, a rolled-back revision, a deleted year and a stray
// file anywhere in archive/ stop the build with output/ and archive/ untouched; once the
// publisher's Ed25519 key is registered every line must carry its signature; changed
// sources are announced with a text diff and never overwrite the archive; a correction
// is a new revision that keeps the first.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { entryHash, entryLine, type LogEntry, parseLog, type PublishEntry, sourceHash } from '../src/archive/log.ts';
import { chinaDate, publish } from '../src/archive/publish.ts';
import { build, loadProject } from '../src/build.ts';
import { formatFinding, InputError } from '../src/errors.ts';
import { assertOutputUntouched, markPreviousOutput, runScript, tempProject } from './helpers/project.ts';

const unit = 'shenzhen-big-data-center';
const dir = await tempProject();
const archive = join(dir, 'archive');
const logFile = join(archive, 'log.jsonl');
const yearDir = join(archive, unit, '2024');
const r1 = join(yearDir, 'r1', `${unit}-2024.pdf`);
const reportYaml = join(dir, 'content', unit, '2024', 'report.yaml');
const narrativeYaml = join(dir, 'content', unit, '2024', 'narrative.yaml');
const out = join(dir, 'output');
const keys = await mkdtemp(join(tmpdir(), 'archive-keys-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const readEntries = async () => parseLog(await readFile(logFile, 'utf8'), 'archive/log.jsonl').entries;

function git(...args: string[]): string {
  const r = spawnSync('git', ['-C', dir, '-c', 'user.name=Publisher', '-c', 'user.email=publisher@example.org', '-c', 'commit.gpgsign=false', ...args], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
git('init', '-q');
const commitArchive = (message: string) => {
  git('add', '-A', 'archive');
  git('commit', '-q', '-m', message);
};

async function archiveSnapshot(): Promise<Record<string, string>> {
  const walk = async (p: string): Promise<string[]> =>
    (await Promise.all((await readdir(p, { withFileTypes: true })).map((e) => (e.isDirectory() ? walk(join(p, e.name)) : [join(p, e.name)])))).flat();
  const files = existsSync(archive) ? await walk(archive) : [];
  return Object.fromEntries(await Promise.all(files.sort().map(async (f) => [f.slice(dir.length), sha(await readFile(f))] as const)));
}

/** Builds in process and returns the finding lines; the build must fail and leave output/ and archive/ as they were. */
async function failingBuild(): Promise<string[]> {
  await markPreviousOutput(out);
  const before = await archiveSnapshot();
  const err = await build({ root: dir, outDir: out, env: {} }).then(
    () => assert.fail('the build succeeded'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof InputError, String(err));
  await assertOutputUntouched(out);
  assert.deepEqual(await archiveSnapshot(), before, 'the archive is never written by a build');
  return err.findings.map(formatFinding);
}

/** Rewrites line `seq` of the log with `edit` applied, recomputing its hash (and, with `rechain`, every later line's). */
async function rewriteLine(seq: number, edit: (e: PublishEntry) => void, rechain = true): Promise<void> {
  const entries = await readEntries();
  let prev = seq > 1 ? entries[seq - 2]!.hash : '';
  const lines = entries.map((e, i) => {
    if (i + 1 < seq) return entryLine(e);
    const copy = structuredClone(e) as LogEntry;
    if (i + 1 === seq) edit(copy as PublishEntry);
    if (rechain || i + 1 === seq) {
      copy.prev = prev;
      const { hash: _h, signature: _s, ...rest } = copy;
      copy.hash = entryHash(rest as Parameters<typeof entryHash>[0]);
      if (i + 1 === seq) delete copy.signature;
    }
    prev = copy.hash;
    return entryLine(copy);
  });
  await writeFile(logFile, `${lines.join('\n')}\n`);
}

test('publishing needs a publication date that exists: it never takes the clock by itself', async () => {
  const r = runScript(dir, 'publish', [unit, '2024']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /report\.yaml:1:1 \[发布\] report\.yaml 中没有公开日期 published/);
  assert.ok(!existsSync(join(dir, 'archive', unit)));
  for (const [date, message] of [
    ['2024/02/01', /应写作 YYYY-MM-DD/],
    ['2024-02-30', /“2024-02-30” 这一天不存在：2024 年 2 月只有 29 天/],
    ['2023-13-01', /月份 13 不存在/],
  ] as const) {
    const bad = runScript(dir, 'publish', [unit, '2024', '--published', date]);
    assert.equal(bad.status, 1, date);
    assert.match(bad.stderr, message, date);
  }
  assert.ok(!existsSync(archive));
  assert.doesNotMatch(await readFile(reportYaml, 'utf8'), /published:/);
});

test('--published today reads the injected clock, as a date in China', () => {
  assert.equal(chinaDate(new Date('2024-01-31T16:30:00Z')), '2024-02-01');
  assert.equal(chinaDate(new Date('2024-01-31T15:59:59Z')), '2024-01-31');
});

test('publish writes r1 and its line in the archive log; the date goes into report.yaml', async () => {
  const r = runScript(dir, 'publish', [unit, '2024', '--published', '2024-02-01']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /存档链头（head）：[0-9a-f]{64}/);
  assert.match(await readFile(reportYaml, 'utf8'), /^tableSet: shenzhen-2024\npublished: 2024-02-01\nprior:/m);
  const entries = await readEntries();
  assert.equal(entries.length, 1);
  const e = entries[0] as PublishEntry;
  const pdf = new Uint8Array(await readFile(r1));
  assert.deepEqual([e.seq, e.kind, e.slug, e.year, e.revision, e.file], [1, 'publish', unit, 2024, 1, `${unit}/2024/r1/${unit}-2024.pdf`]);
  assert.equal(e.sha256, sha(pdf));
  assert.equal(e.bytes, pdf.length);
  assert.equal(e.published, '2024-02-01');
  assert.equal(e.toolVersion, (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version);
  const report = (await loadProject(dir)).reports.find((x) => x.year === 2024)!;
  assert.equal(e.sourceHash, sourceHash(report));
  assert.equal(e.prev, '');
  const { hash, ...rest } = e;
  assert.equal(hash, entryHash(rest));
  assert.equal(e.signature, undefined, 'no key registered yet');
  assert.ok(new TextDecoder().decode(pdf.subarray(0, 5)).startsWith('%PDF-'));
  commitArchive('publish 2024 r1');
});

test('the build verifies the archive and reproduces the archived bytes', async () => {
  const b = runScript(dir, 'build');
  assert.equal(b.status, 0, b.stderr);
  assert.doesNotMatch(`${b.stdout}${b.stderr}`, /注意/);
  const built = new Uint8Array(await readFile(join(out, unit, '2024', `${unit}-2024.pdf`)));
  assert.equal(sha(built), ((await readEntries())[0] as PublishEntry).sha256);
});

test('publishing the same year again without --revision is refused', async () => {
  const before = await archiveSnapshot();
  const r = runScript(dir, 'publish', [unit, '2024']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^archive\/log\.jsonl:1:1 \[发布\] .*2024 年已于 2024-02-01 公开（存档 r1），不能重复发布。如需更正，请加 --revision/m);
  assert.deepEqual(await archiveSnapshot(), before);
  const none = runScript(dir, 'publish', [unit, '2024', '--revision']);
  assert.equal(none.status, 1, 'nothing changed: no new revision');
  assert.match(none.stderr, /与已公开的 r1 完全相同，无需发布新修订版/);
  assert.deepEqual(await archiveSnapshot(), before);
});

test('a tampered archived PDF stops the build; output/ and archive/ are untouched', async () => {
  const original = await readFile(r1);
  const tampered = Buffer.from(original);
  const at = tampered.length - 100;
  tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
  await writeFile(r1, tampered);
  try {
    const lines = await failingBuild();
    assert.ok(
      lines.some((l) =>
        /^archive\/log\.jsonl:1:1 \[存档\] 已公开的 PDF archive\/shenzhen-big-data-center\/2024\/r1\/shenzhen-big-data-center-2024\.pdf 与存档记录不符/.test(l),
      ),
      lines.join('\n'),
    );
  } finally {
    await writeFile(r1, original);
  }
});

test('an edited log line stops the build, whichever field was edited', async () => {
  const original = await readFile(logFile, 'utf8');
  const edits: [string, (t: string) => string, RegExp][] = [
    [
      'sha256',
      (t) => t.replace(/"sha256":"[0-9a-f]{64}"/, `"sha256":"${'0'.repeat(64)}"`),
      /^archive\/log\.jsonl:1:\d+ \[存档\] 存档记录第 1 行在写入后被改动过/,
    ],
    ['published', (t) => t.replace('"published":"2024-02-01"', '"published":"2024-01-15"'), /第 1 行在写入后被改动过/],
    ['impossible date', (t) => t.replace('"published":"2024-02-01"', '"published":"2024-02-30"'), /第 1 行的 published 不符合格式/],
    ['half a line', (t) => t.slice(0, 80), /第 1 行不是完整的一条记录/],
    ['line removed', () => '', /已提交的存档记录第 1 行（shenzhen-big-data-center 2024 年 r1）在 archive\/log\.jsonl 中被删除或改写/],
  ];
  try {
    for (const [what, edit, message] of edits) {
      await writeFile(logFile, edit(original));
      const lines = await failingBuild();
      assert.ok(
        lines.some((l) => message.test(l)),
        `${what}\n${lines.join('\n')}`,
      );
    }
  } finally {
    await writeFile(logFile, original);
  }
});

test('a forged PDF with its hashes and the chain recomputed is caught by the git history', async () => {
  const originalPdf = await readFile(r1);
  const forged = Buffer.concat([originalPdf, Buffer.from('\n% forged\n')]);
  await writeFile(r1, forged);
  await rewriteLine(1, (e) => {
    e.sha256 = sha(forged);
    e.bytes = forged.length;
  });
  try {
    // Not committed: the working copy rewrote a committed line.
    let lines = await failingBuild();
    assert.ok(
      lines.some((l) => /^archive\/log\.jsonl:1:1 \[存档\] 已提交的存档记录第 1 行.*被删除或改写（尚未提交的改动）/.test(l)),
      lines.join('\n'),
    );
    assert.ok(!lines.some((l) => /与存档记录不符|改动过（内容与 hash 不符）/.test(l)), 'the forgery is consistent in itself');
    // Committed: the commit shows the rewritten line.
    commitArchive('forgery');
    lines = await failingBuild();
    assert.ok(
      lines.some((l) =>
        /^archive\/log\.jsonl:1:1 \[存档\] 版本库提交 [0-9a-f]{10} 删除或改写了已公开的存档记录第 1 行（shenzhen-big-data-center 2024 年 r1）.*git revert/.test(
          l,
        ),
      ),
      lines.join('\n'),
    );
  } finally {
    git('reset', '-q', '--hard', 'HEAD~1');
    assert.deepEqual(await readFile(r1), originalPdf);
  }
});

test('the publisher registers an Ed25519 key; from then on unsigned or wrongly signed publications are refused', async () => {
  const key = join(keys, 'publisher.pem');
  const k = runScript(dir, 'archive-key', [key]);
  assert.equal(k.status, 0, k.stderr);
  assert.match(k.stdout, /已新建签名私钥/);
  const entries = await readEntries();
  assert.equal(entries.length, 2);
  assert.equal(entries[1]!.kind, 'key');
  commitArchive('register the publisher key');

  await writeFile(narrativeYaml, (await readFile(narrativeYaml, 'utf8')).replace('实现政务活动短信准时送达', '实现政务活动短信按时送达'));
  const before = await archiveSnapshot();
  const unsigned = runScript(dir, 'publish', [unit, '2024', '--revision', '--published', '2024-03-01', '--note', '更正'], { ARCHIVE_SIGNING_KEY: '' });
  assert.equal(unsigned.status, 1);
  assert.match(unsigned.stderr, /存档已登记发布者的签名公钥，每条记录都要签名：请把环境变量 ARCHIVE_SIGNING_KEY 设为私钥文件的路径/);
  const other = join(keys, 'other.pem');
  spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', other]);
  if (!existsSync(other)) {
    const { generateKeyPairSync } = await import('node:crypto');
    await writeFile(other, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }
  const wrong = runScript(dir, 'publish', [unit, '2024', '--revision', '--published', '2024-03-01', '--note', '更正'], { ARCHIVE_SIGNING_KEY: other });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /ARCHIVE_SIGNING_KEY 的私钥与存档登记的公钥不符/);
  assert.deepEqual(await archiveSnapshot(), before);
});

test('changed sources: the build says so with a text diff, and leaves the archive alone', async () => {
  const before = await archiveSnapshot();
  const b = runScript(dir, 'build');
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stderr, /注意：shenzhen-big-data-center 2024 年已于 2024-02-01 公开（存档 r1），但按现在的源文件生成的 PDF 与存档不同/);
  assert.match(b.stderr, /文字差异（- 存档 r1，\+ 现在生成）：删除 \d+ 行，新增 \d+ 行/);
  const minus = b.stderr.split('\n').filter((l) => l.startsWith('  - '));
  const plus = b.stderr.split('\n').filter((l) => l.startsWith('  + '));
  assert.ok(
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

test('a correction is published as r2, signed, and keeps r1', async () => {
  const r1Bytes = await readFile(r1);
  const r = await publish({
    root: dir,
    slug: unit,
    year: 2024,
    revision: true,
    published: '2024-03-01',
    note: '更正第一部分“准时”为“按时”',
    signingKeyFile: join(keys, 'publisher.pem'),
  });
  assert.ok(r.entry.signature, 'signed with the registered key');
  const entries = (await readEntries()).filter((e): e is PublishEntry => e.kind === 'publish');
  assert.deepEqual(
    entries.map((e) => [e.revision, e.file, e.published]),
    [
      [1, `${unit}/2024/r1/${unit}-2024.pdf`, '2024-02-01'],
      [2, `${unit}/2024/r2/${unit}-2024.pdf`, '2024-03-01'],
    ],
  );
  assert.equal(entries[1]!.note, '更正第一部分“准时”为“按时”');
  assert.deepEqual(await readFile(r1), r1Bytes, 'r1 is kept as it was');
  assert.match(await readFile(reportYaml, 'utf8'), /^published: 2024-03-01$/m);
  commitArchive('publish 2024 r2');
  const b = runScript(dir, 'build');
  assert.equal(b.status, 0, b.stderr);
  assert.doesNotMatch(`${b.stdout}${b.stderr}`, /注意/, 'the sources now render to the latest revision');
  assert.equal(sha(new Uint8Array(await readFile(join(out, unit, '2024', `${unit}-2024.pdf`)))), entries[1]!.sha256);
});

test('a line forged after the key was registered fails its signature, even with the chain recomputed', async () => {
  const original = await readFile(logFile, 'utf8');
  await rewriteLine(3, (e) => {
    e.note = '伪造的说明';
  });
  try {
    const lines = await failingBuild();
    assert.ok(
      lines.some((l) => /^archive\/log\.jsonl:3:1 \[存档\] 存档记录第 3 行没有签名：登记签名公钥之后的每一行都必须由发布者的私钥签名/.test(l)),
      lines.join('\n'),
    );
  } finally {
    await writeFile(logFile, original);
  }
});

test('rolling back the latest revision (its line and its PDF) is caught by the git history', async () => {
  const original = await readFile(logFile, 'utf8');
  const r2 = join(yearDir, 'r2', `${unit}-2024.pdf`);
  const r2Bytes = await readFile(r2);
  await writeFile(logFile, original.split('\n').slice(0, 2).join('\n').concat('\n'));
  await rm(join(yearDir, 'r2'), { recursive: true });
  try {
    let lines = await failingBuild();
    assert.ok(
      lines.some((l) => /^archive\/log\.jsonl:3:1 \[存档\] 已提交的存档记录第 3 行（shenzhen-big-data-center 2024 年 r2）.*被删除或改写/.test(l)),
      lines.join('\n'),
    );
    commitArchive('roll back r2');
    lines = await failingBuild();
    assert.ok(
      lines.some((l) =>
        /^archive\/log\.jsonl:3:1 \[存档\] 版本库提交 [0-9a-f]{10} 删除或改写了已公开的存档记录第 3 行（shenzhen-big-data-center 2024 年 r2）/.test(l),
      ),
      lines.join('\n'),
    );
  } finally {
    git('reset', '-q', '--hard', 'HEAD~1');
    assert.deepEqual(await readFile(r2), r2Bytes);
  }
});

test("deleting a published year's folder stops the build", async () => {
  const saved = await archiveSnapshot();
  await rm(yearDir, { recursive: true });
  try {
    const lines = await failingBuild();
    for (const seq of [1, 3]) {
      assert.ok(
        lines.some((l) =>
          new RegExp(`^archive/log\\.jsonl:${seq}:1 \\[存档\\] 已公开的 shenzhen-big-data-center 2024 年 r${seq === 1 ? 1 : 2} 文件 .* 不见了`).test(l),
        ),
        lines.join('\n'),
      );
    }
  } finally {
    git('checkout', '-q', '--', 'archive');
    assert.deepEqual(await archiveSnapshot(), saved);
  }
});

test('a file the log does not record, anywhere in archive/, stops the build', async () => {
  const strays = [join(yearDir, 'r3', `${unit}-2024.pdf`), join(archive, 'notes.txt'), join(archive, 'other-unit', '2023', 'r1', 'other-unit-2023.pdf')];
  for (const f of strays) {
    await mkdir(join(f, '..'), { recursive: true });
    await writeFile(f, 'stray');
  }
  try {
    const lines = await failingBuild();
    for (const f of strays) {
      const rel = f.slice(dir.length + 1);
      assert.ok(
        lines.includes(
          `${rel}:1:1 [存档] 存档中有记录之外的文件 ${rel}：存档只能由 npm run publish 写入，请删除它 (file in the archive that the log does not record)`,
        ),
        lines.join('\n'),
      );
    }
  } finally {
    await rm(join(yearDir, 'r3'), { recursive: true });
    await rm(join(archive, 'notes.txt'));
    await rm(join(archive, 'other-unit'), { recursive: true });
  }
});

test('a year with values still to fill is not published', async () => {
  const ny = runScript(dir, 'new-year', [unit, '2025']);
  assert.equal(ny.status, 0, ny.stderr);
  const r = runScript(dir, 'publish', [unit, '2025', '--published', '2025-02-01'], { ARCHIVE_SIGNING_KEY: join(keys, 'publisher.pem') });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /content\/shenzhen-big-data-center\/2025\/\S+:\d+:\d+ \[发布\] 待填写：/);
  assert.match(r.stderr, /还有 \d+ 项未填写，不能发布/);
  assert.ok(!existsSync(join(dir, 'archive', unit, '2025')));
});

test('every line ever committed is still in the log, as committed', () => {
  const history = git('log', '--first-parent', '-p', '--format=%H', '--', 'archive/log.jsonl');
  const removed = history.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
  assert.deepEqual(removed, [], 'no commit on the main line removed or rewrote a line');
});

test("the project's own archive: no committed line of archive/log.jsonl has ever been removed or rewritten", async () => {
  const { checkHistory } = await import('../src/archive/history.ts');
  const { ROOT } = await import('./helpers/build.ts');
  const r = checkHistory(ROOT);
  assert.deepEqual(r.findings.map(formatFinding), []);
});
