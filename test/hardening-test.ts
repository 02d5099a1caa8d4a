// The fault classes of the adversarial review (issue: nothing published wrong, nothing
// lost, no stack traces), one test per class. A refused input is reported with its
// message at file:line:col, and output/ and archive/ are left exactly as they were; an
// input that is handled is shown handled correctly. (Class 8, the archive, is
// test/archive-test.ts; the property test over random edits is test/property-test.ts.)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { publish } from '../src/archive/publish.ts';
import { build, deriveAll, loadProject } from '../src/build.ts';
import { checkProject } from '../src/check/project.ts';
import { describeFailure } from '../src/cli.ts';
import { formatFinding, InputError } from '../src/errors.ts';
import { EnvironmentError } from '../src/environment.ts';
import { byCodePoint } from '../src/model/order.ts';
import { toCsv } from '../src/render/data/csv.ts';
import { renderPdf } from '../src/render/pdf/document.ts';
import { loadFonts } from '../src/render/pdf/fonts.ts';
import { sameHostPath, startStaticServer } from '../src/serve/static-server.ts';
import { ROOT } from './helpers/build.ts';
import { encodeGb18030 } from './helpers/gb18030.ts';
import { runScript, tempProject } from './helpers/project.ts';

const dir = await tempProject({ copy: ['data'] });
const unit = 'shenzhen-big-data-center';
const REPORT = `content/${unit}/2024`;
const out = join(dir, 'output');
const archive = join(dir, 'archive');
await mkdir(archive, { recursive: true });
await writeFile(join(archive, 'README.md'), 'the archive of this copy\n');
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Every file under `root` with its hash (an absent folder is empty). */
async function snapshot(root: string): Promise<Record<string, string>> {
  if (!existsSync(root)) return {};
  const walk = async (p: string): Promise<string[]> =>
    (await Promise.all((await readdir(p, { withFileTypes: true })).map((e) => (e.isDirectory() ? walk(join(p, e.name)) : [join(p, e.name)])))).flat();
  const files = await walk(root);
  return Object.fromEntries(await Promise.all(files.sort().map(async (f) => [f.slice(root.length), sha(await readFile(f))] as const)));
}

/** An earlier build's output: a marker and a manifest naming the bundled report. */
async function previousOutput(extra: string[] = []): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'marker.txt'), 'previous build');
  const reports = [`${unit}/2024`, ...extra].map((id) => ({ unit: id, year: 2024, html: `${id}/index.html`, pdf: `${id}/x.pdf`, sha256: '0'.repeat(64) }));
  await writeFile(join(out, 'manifest.json'), JSON.stringify({ reports }));
}

/**
 * Builds with the project as `prepare` leaves it (undone by what it returns) and returns
 * the finding lines. The build must fail with findings only, leaving output/ and archive/
 * as they were and no staging folder.
 */
async function refused(prepare: () => Promise<() => Promise<void>>, opts: { extra?: string[] } = {}): Promise<string[]> {
  await previousOutput(opts.extra);
  const before = { out: await snapshot(out), archive: await snapshot(archive) };
  const undo = await prepare();
  try {
    const err = await build({ root: dir, outDir: out, env: {} }).then(
      () => assert.fail('the build succeeded'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof InputError, `not a finding: ${String(err)}`);
    assert.deepEqual(await snapshot(out), before.out, 'output/ changed');
    assert.deepEqual(await snapshot(archive), before.archive, 'archive/ changed');
    assert.ok(!existsSync(`${out}.staging`) && !existsSync(`${out}.previous`) && !existsSync(`${out}.lock`), 'left a staging folder or a lock');
    return err.findings.map(formatFinding);
  } finally {
    await undo();
  }
}

/** Replaces `from` by `to` in a file of the report; returns the undo. */
function editing(file: string, from: string | RegExp, to: string): () => Promise<() => Promise<void>> {
  return async () => {
    const path = join(dir, REPORT, file);
    const original = await readFile(path, 'utf8');
    const edited = original.replace(from, to);
    assert.notEqual(edited, original, `${file}: nothing to replace`);
    await writeFile(path, edited);
    return () => writeFile(path, original);
  };
}

/** line:col (1-based, UTF-16 columns as editors count them) of the first `needle` in a file of the report as edited. */
function at(text: string, needle: string, from = 0): string {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `${needle} not found`);
  const line = text.slice(0, i).split('\n').length;
  return `${line}:${i - text.lastIndexOf('\n', i - 1)}`;
}

const original = async (file: string) => readFile(join(ROOT, REPORT, file), 'utf8');

function has(lines: string[], re: RegExp): void {
  assert.ok(
    lines.some((l) => re.test(l)),
    `no line matches ${re}\n${lines.join('\n')}`,
  );
}

// ------------------------------------------------------------------ 1. encoding

test('1. a file saved as GB18030/GBK or UTF-16 is refused with how to save it as UTF-8; no U+FFFD gets through', async () => {
  const text = await original('report.yaml');
  const lines = await refused(async () => {
    const path = join(dir, REPORT, 'report.yaml');
    await writeFile(path, encodeGb18030(text));
    return () => writeFile(path, text);
  });
  // The first byte that is not UTF-8: the unit's name on line 2, after "unit: ".
  assert.deepEqual(lines, [
    `${REPORT}/report.yaml:${at(text, '深圳市大数据')} [编码] 文件不是 UTF-8 编码，看起来是 GB18030/GBK（Windows 记事本的 “ANSI”、WPS 等常用），按 GBK 读这一行是 “unit: 深圳市大数据资源管理中心”。为免读错文字，本工具只读 UTF-8。请把文件另存为 UTF-8：VS Code 中点窗口右下角显示的编码（如 GB18030、GBK）→“通过编码保存”→ 选 “UTF-8”；Windows 记事本中“文件 → 另存为”，编码选 “UTF-8” (the file is GB18030/GBK, not UTF-8; save it as UTF-8)`,
  ]);
  const utf16 = await refused(async () => {
    const path = join(dir, REPORT, 'narrative.yaml');
    const saved = await readFile(path);
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(saved.toString('utf8'), 'utf16le')]));
    return () => writeFile(path, saved);
  });
  has(utf16, /^content\/\S+\/narrative\.yaml:1:1 \[编码\] 文件是 UTF-16 编码（记事本中叫 “Unicode”），本工具只读 UTF-8/);
  // A replacement character already in the text (a file once read in the wrong encoding) is refused too.
  const fffd = await refused(editing('report.yaml', 'department: 深圳市政务服务', 'department: 深圳市政务\uFFFD服务'));
  has(fffd, /report\.yaml:3:18 \[文字\] 文字中有不可见的控制字符 U\+FFFD（替换字符，说明文字曾被按错误的编码读取过）/);
});

// ------------------------------------------------------------------ 2. negative amounts

test('2. a negative amount is refused except where the template marks a change (signed: true)', async () => {
  const t3 = await original('tables/03-expenditure-summary.yaml');
  const lines = await refused(editing('tables/03-expenditure-summary.yaml', 'basic: 1552.08, project: 65340.87', 'basic: -1552.08, project: 65340.87'));
  assert.ok(
    lines.includes(
      `${REPORT}/tables/03-expenditure-summary.yaml:${at(t3, '1552.08')} [格式] 金额 “-1552.08” 是负数，但“基本支出”不能为负：只有增减变化栏（行）可以为负数。请填写 1,552.08 或核对正负号 (negative amount where only a change may be negative)`,
    ),
    lines.join('\n'),
  );
  const layout = await readFile(join(dir, 'data/table-sets/shenzhen-2024/tables/09-three-public-expenses.yaml'), 'utf8');
  assert.match(layout, /\{key: change, label: 增减变化金额, signed: true\}/, 'which rows may be negative is template data');
  // The change row of 表9 takes a negative amount (a fall), and the checks judge it as usual.
  const t9 = join(dir, REPORT, 'tables/09-three-public-expenses.yaml');
  const saved = await readFile(t9, 'utf8');
  const fell = saved
    .replace(
      /budget-year: \{total-general: 12\.00,(.*?)vehicles-general: 12\.00,(.*?)vehicle-operation-general: 12\.00/,
      'budget-year: {total-general: 10.00,$1vehicles-general: 10.00,$2vehicle-operation-general: 10.00',
    )
    .replace(
      /change: \{total-general: 0,(.*?)vehicles-general: 0,(.*?)vehicle-operation-general: 0/,
      'change: {total-general: -2.00,$1vehicles-general: -2.00,$2vehicle-operation-general: -2.00',
    );
  await writeFile(t9, fell);
  try {
    const r = await checkProject(dir);
    assert.ok(!r.findings.some((f) => f.ruleId === 'amount-negative'), r.findings.map(formatFinding).join('\n'));
  } finally {
    await writeFile(t9, saved);
  }
});

// ------------------------------------------------------------------ 3. dates

test('3. an impossible calendar date is refused, in report.yaml and on the command line', async () => {
  const lines = await refused(editing('report.yaml', 'tableSet: shenzhen-2024\n', 'tableSet: shenzhen-2024\npublished: 2024-02-30\n'));
  assert.deepEqual(lines, [
    `${REPORT}/report.yaml:8:12 [格式] 公开日期 “2024-02-30” 这一天不存在：2024 年 2 月只有 29 天：请写实际的公开日期 (not a calendar date)`,
  ]);
  const before = await snapshot(archive);
  const err = await publish({ root: dir, slug: unit, year: 2024, published: '2024-02-31' }).then(
    () => assert.fail('published'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof InputError);
  assert.match(formatFinding(err.findings[0]!), /\[发布\] 公开日期 “2024-02-31” 这一天不存在：2024 年 2 月只有 29 天/);
  assert.deepEqual(await snapshot(archive), before);
  assert.doesNotMatch(await readFile(join(dir, REPORT, 'report.yaml'), 'utf8'), /published/);
});

// ------------------------------------------------------------------ 4. reports dropped

test('4. nothing under content/ is skipped without a word, and no report leaves the site unannounced', async () => {
  const content = join(dir, 'content');
  const moved = (from: string, to: string) => async () => {
    await rename(join(content, from), join(content, to));
    return () => rename(join(content, to), join(content, from));
  };
  has(
    await refused(moved(`${unit}/2024/report.yaml`, `${unit}/2024/report.yml`)),
    /^content\/shenzhen-big-data-center\/2024\/report\.yml:1:1 \[文件夹\] 报告文件应叫 report\.yaml，这里是 report\.yml：请改名为 report\.yaml/,
  );
  for (const name of ['.shenzhen', '_shenzhen']) {
    has(
      await refused(moved(unit, name)),
      new RegExp(`^content/${name.replace('.', '\\.')}:1:1 \\[文件夹\\] 单位文件夹名 “${name.replace('.', '\\.')}” 不符合要求`),
    );
  }
  const linked = await refused(async () => {
    await rename(join(content, unit), join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), join(content, unit));
    return async () => {
      await rm(join(content, unit));
      await rename(join(dir, 'elsewhere'), join(content, unit));
    };
  });
  has(linked, /^content\/shenzhen-big-data-center:1:1 \[文件夹\] content\/shenzhen-big-data-center 是符号链接（快捷方式），不会被读取：请把文件夹本身放到这里/);
  const stray = await refused(moved(`${unit}/2024`, `${unit}/2024-draft`));
  has(stray, /年度文件夹名 “2024-draft” 应为四位数字的年度/);
  // An empty content/ publishes nothing, instead of an empty site.
  const empty = await refused(moved(unit, '../parked'));
  has(empty, /^content:1:1 \[完整性\] content\/ 下没有任何报告/);
  // A report the current site holds and content/ no longer has.
  const fewer = await refused(async () => async () => {}, { extra: ['another-unit/2024'] });
  assert.deepEqual(fewer, [
    'content/another-unit/2024:1:1 [完整性] 现有网站上的报告 another-unit/2024 在 content/ 中已经没有了，这次构建会把它从网站上删除：如是文件夹改名或误删，请恢复 content/another-unit/2024/；如确要删除，请运行 npm run build -- --allow-removal (report another-unit/2024 would disappear from the site)',
  ]);
  // A misnamed file inside a report folder is named too.
  has(
    await refused(moved(`${unit}/2024/narrative.yaml`, `${unit}/2024/narrative.yml`)),
    /^content\/shenzhen-big-data-center\/2024\/narrative\.yml:1:1 \[文件夹\] 报告文件夹中的 narrative\.yml 不会被读取：叙述文件应叫 narrative\.yaml，请改名/,
  );
  // Files that are not reports are named as ignored (a warning), never passed over.
  await writeFile(join(content, 'notes.txt'), 'x');
  try {
    const r = await checkProject(dir);
    has(r.findings.map(formatFinding), /^content\/notes\.txt:1:1 警告 \[文件夹\] 已忽略 content\/notes\.txt/);
  } finally {
    await rm(join(content, 'notes.txt'));
  }
});

// ------------------------------------------------------------------ 5. keys that are not data

test('5. __proto__ keys are refused; other names are data like any other, nothing vanishes', async () => {
  const report = await original('report.yaml');
  const lines = await refused(editing('report.yaml', 'projects:\n', 'projects:\n  __proto__:\n    其他项目: 1\n'));
  const line = Number(at(report, 'projects:').split(':')[0]) + 1;
  assert.deepEqual(lines, [
    `${REPORT}/report.yaml:${line}:3 [格式] 键 “__proto__” 不能使用（程序内部的保留名称）：请换一个名称 (the key "__proto__" is reserved)`,
  ]);
  // A category or item called constructor or toString stays in the data.
  const path = join(dir, REPORT, 'report.yaml');
  await writeFile(path, report.replace('  政务综合管理:\n', '  constructor:\n    toString: 0\n  政务综合管理:\n'));
  try {
    const r = (await loadProject(dir)).reports[0]!;
    assert.deepEqual(Object.keys(r.projects).slice(0, 2), ['constructor', '政务综合管理']);
    const group = r.projects['constructor' as string] as Record<string, { cents: number | null }>;
    assert.equal(group['toString' as string]?.cents, 0);
    assert.equal(Object.getPrototypeOf(r.projects), null);
  } finally {
    await writeFile(path, report);
  }
});

// ------------------------------------------------------------------ 6. characters the fonts lack

test('6. a character the PDF fonts lack (Extension G, emoji) is named with its code point before anything is rendered', async () => {
  const fonts = await loadFonts(dir);
  const missing = ['\u{3134A}', '\u{1F600}'];
  for (const ch of missing) assert.ok(!fonts.hasGlyph('body', ch.codePointAt(0)!), `the test needs a character the font lacks: ${ch}`);
  const narrative = await original('narrative.yaml');
  const edited = narrative.replace('参与拟订我市', `参与拟订${missing[0]}我市`).replace('承担城市大数据', `承担城市${missing[1]}大数据`);
  const lines = await refused(editing('narrative.yaml', narrative, edited));
  assert.deepEqual(
    lines.filter((l) => l.includes('[字体]')),
    [
      `${REPORT}/narrative.yaml:${at(edited, missing[0]!)} [字体] PDF 字体中没有 “${missing[0]}”（U+3134A），印出来会是空框（缺字的字体：正文 body.normal、正文粗体 body.bold、标题 heading、封面与表题 title、小标题 subheading）：请换用常用字或文字说明；确需此字时，在 data/fonts.yaml 中为上述字体配置含此字的字体文件 (the PDF fonts have no glyph for U+3134A)`,
      `${REPORT}/narrative.yaml:${at(edited, missing[1]!)} [字体] PDF 字体中没有 “${missing[1]}”（U+1F600），印出来会是空框（缺字的字体：正文 body.normal、正文粗体 body.bold、标题 heading、封面与表题 title、小标题 subheading）：请换用常用字或文字说明；确需此字时，在 data/fonts.yaml 中为上述字体配置含此字的字体文件 (the PDF fonts have no glyph for U+1F600)`,
    ],
  );
});

// ------------------------------------------------------------------ 7. CSV formula injection

test('7. CSV cells a spreadsheet would run as formulas are neutralised; numbers stay numbers', () => {
  const csv = toCsv({
    header: ['名称', '金额'],
    rows: [
      ['=HYPERLINK("http://x","点我")', '-12.50'],
      ['+86 755', '+3'],
      ['-减少', '0.00'],
      ['@SUM(A1)', '68098.25'],
      ['\t开头', '12'],
      ['\r开头', '-0.5'],
      ['＝全角', ''],
      ['正常文字', '1,207.85'],
    ],
  });
  assert.deepEqual(csv.slice(1).split('\r\n'), [
    '名称,金额',
    `"'=HYPERLINK(""http://x"",""点我"")",-12.50`,
    `"'+86 755",+3`,
    `"'-减少",0.00`,
    `"'@SUM(A1)",68098.25`,
    `"'\t开头",12`,
    `"'\r开头",-0.5`,
    `"'＝全角",`,
    '正常文字,"1,207.85"',
    '',
  ]);
});

// ------------------------------------------------------------------ 9. locale

test('9. the same sources give the same site whatever the locale (LANG, LC_ALL)', async () => {
  const src = [...(await readdir(join(ROOT, 'src'), { recursive: true }))].filter((f) => f.endsWith('.ts'));
  for (const f of src) {
    const text = await readFile(join(ROOT, 'src', f), 'utf8');
    assert.doesNotMatch(
      text.replace(/^\s*(\/\/|\*).*$/gm, ''),
      /\blocaleCompare\b|\bIntl\.Collator\b|\btoLocale\w*\(/,
      `src/${f} sorts or formats by the locale`,
    );
  }
  assert.deepEqual(['b-unit', 'a-unit-2', 'a-unit', 'z', '0-unit'].sort(byCodePoint), ['0-unit', 'a-unit', 'a-unit-2', 'b-unit', 'z']);
  assert.ok(byCodePoint('\u{20BB7}', '\uFFFD') > 0, 'by code point, not by UTF-16 unit');
  // Two units, built under two locales: byte-identical home page and manifest.
  const project = await tempProject();
  await cp(join(project, 'content', unit), join(project, 'content', 'another-unit'), { recursive: true });
  const other = join(project, 'content', 'another-unit', '2024', 'report.yaml');
  await writeFile(other, (await readFile(other, 'utf8')).replace('unit: 深圳市大数据资源管理中心', 'unit: 安徽省测试单位'));
  const results: Record<string, string>[] = [];
  for (const locale of [
    { LANG: 'C', LC_ALL: 'C' },
    { LANG: 'zh_CN.UTF-8', LC_ALL: 'zh_CN.UTF-8' },
    { LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
  ]) {
    const r = runScript(project, 'build', [], locale);
    assert.equal(r.status, 0, r.stderr);
    results.push({
      index: await readFile(join(project, 'output', 'index.html'), 'utf8'),
      manifest: await readFile(join(project, 'output', 'manifest.json'), 'utf8'),
    });
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
  const home = results[0]!.index!;
  assert.ok(home.indexOf('another-unit') < home.indexOf(unit), 'units in code-point order of their folder names');
});

// ------------------------------------------------------------------ 10. layout

test('10. no unit name makes the PDF layout throw: it settles, and the 目录 points at the right pages', async () => {
  const fonts = await loadFonts(dir);
  const project = await loadProject(dir);
  for (const name of ['深圳市南山区粤海街道办事处科技园社区工作站党群服务中心附属单位', '某'.repeat(64)]) {
    const report = { ...project.reports[0]!, unit: name };
    const [doc] = deriveAll({ reports: [report] });
    const pdf = await renderPdf(doc!, { fonts, creationDate: new Date('2024-01-01T00:00:00+08:00') });
    assert.ok(pdf.pageCount > 30, name);
    assert.ok(
      pdf.toc.every((e) => e.page > 0),
      name,
    );
  }
});

// ------------------------------------------------------------------ 11. linear checks

test('11. the narrative checks stay linear: 30,000 references in one paragraph are checked, with the same findings as a short one', async () => {
  const { checkReport } = await import('../src/check/check.ts');
  const { loadRules } = await import('../src/check/rules.ts');
  const project = await loadProject(dir);
  const report = project.reports[0]!;
  const rules = await loadRules(report.set, { root: dir });
  const withText = (text: string) => {
    const part = report.narrative[0]!;
    const i = part.blocks.findIndex((b) => b.kind === 'markdown');
    const blocks = [...part.blocks];
    const b = blocks[i]!;
    if (b.kind !== 'markdown') throw new Error('no text');
    blocks[i] = { ...b, source: { ...b.source, text } };
    return { ...report, narrative: [{ ...part, blocks }, ...report.narrative.slice(1)] };
  };
  // A wrong row named before a reference, far into a long paragraph of references.
  const piece = '{{ year }}';
  const wrong = '政务综合管理{{ project-expenditure[信息化运维项目].total }}万元';
  const short = checkReport(withText(`${piece}${wrong}`), rules).filter((f) => f.ruleId === 'narrative-rows');
  const long = checkReport(withText(`${piece.repeat(30_000)}${wrong}`), rules).filter((f) => f.ruleId === 'narrative-rows');
  assert.equal(short.length, 1);
  assert.equal(long.length, 1);
  assert.equal(long[0]!.message, short[0]!.message);
  assert.match(long[0]!.message, /文字写的是“政务综合管理”，引用 \{\{ project-expenditure\[信息化运维项目\]\.total \}\} 取的却是行“信息化运维项目”/);
});

// ------------------------------------------------------------------ 12. font files

test('12. a font path to a device, a folder or a truncated file gives one line, quickly', async () => {
  const local = join(dir, 'data', 'fonts.local.yaml');
  const fontsYaml = await readFile(join(dir, 'data', 'fonts.yaml'), 'utf8');
  const real = /normal: (\S+NotoSerifSC_400Regular\.ttf)/.exec(fontsYaml)![1]!;
  const bytes = await readFile(join(dir, real));
  const truncated = join(dir, 'truncated.ttf');
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 3)));
  const cases: [string, RegExp][] = [
    ['/dev/zero', /这不是普通文件（是设备、管道或文件夹）/],
    [dir, /这不是普通文件/],
    [truncated, /文件不完整（字体表 \w+ 超出文件末尾，可能是下载或复制时被截断）/],
  ];
  try {
    for (const [path, why] of cases) {
      const lines = await refused(async () => {
        await writeFile(local, fontsYaml.replace(real, path));
        return () => rm(local);
      });
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(
        lines[0]!,
        new RegExp(`^data/fonts\\.local\\.yaml:\\d+:11 \\[字体\\] 无法读取字体文件 ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}（body\\.normal）：`),
      );
      assert.match(lines[0]!, why);
    }
  } finally {
    await rm(truncated);
  }
  // Every file read is capped the same way: a YAML source that is a link to /dev/zero.
  const narrative = join(dir, REPORT, 'narrative.yaml');
  const lines = await refused(async () => {
    await rename(narrative, `${narrative}.saved`);
    await symlink('/dev/zero', narrative);
    return async () => {
      await rm(narrative);
      await rename(`${narrative}.saved`, narrative);
    };
  });
  assert.deepEqual(lines, [
    `${REPORT}/narrative.yaml:1:1 [文件] ${REPORT}/narrative.yaml 不是普通文件（是设备、管道、文件夹或指向它们的链接），请换成 YAML 文件 (not a regular file)`,
  ]);
});

// ------------------------------------------------------------------ 13. the machine

test('13. builds take turns, an interrupted swap is recovered, an unwritable output/ is named before any work, system errors are one line', async () => {
  // Two builds at once: the second is told, the first is not disturbed.
  await previousOutput();
  const first = build({ root: dir, outDir: out, env: {} });
  await new Promise((r) => setTimeout(r, 50));
  const second = await build({ root: dir, outDir: out, env: {} }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(second instanceof EnvironmentError, String(second));
  assert.match(second.message, /^另一个构建正在写入 output\/（进程 \d+）：请等它结束后再运行。如确定没有其他构建在运行，请删除 output\.lock 后重试$/);
  await first;
  assert.ok(existsSync(join(out, 'manifest.json')) && !existsSync(join(out, 'marker.txt')));
  const built = await snapshot(out);

  // Killed between the two renames of the swap: output/ missing, output.previous/ holding the site.
  await rename(out, `${out}.previous`);
  await mkdir(`${out}.staging`);
  await writeFile(`${out}.lock`, JSON.stringify({ pid: 999_999_999, host: (await import('node:os')).hostname() }));
  const logged: string[] = [];
  const broken = editing('report.yaml', 'year: 2024', 'year: 二〇二四');
  const undo = await broken();
  try {
    await build({ root: dir, outDir: out, env: {}, log: { info: (m) => logged.push(m), error: (m) => logged.push(m) } }).catch(() => {});
  } finally {
    await undo();
  }
  assert.ok(logged.includes('上次构建在替换 output/ 时被中断，已恢复上一次的输出'), logged.join('\n'));
  assert.deepEqual(await snapshot(out), built, 'the last good site is back');
  for (const left of ['.previous', '.staging', '.lock']) assert.ok(!existsSync(`${out}${left}`), left);

  // An output/ that cannot be replaced is named before any work (run as an ordinary user: root may write anywhere).
  if (process.getuid?.() === 0) {
    const project = await tempProject();
    const user = 65534;
    await mkdir(join(project, 'output', 'sub'), { recursive: true });
    // -h: the links to the project's code stay as they are; only the copy changes hands.
    spawnSync('chown', ['-R', '-h', `${user}:${user}`, project]);
    spawnSync('chmod', ['-R', 'a+rX', project]);
    spawnSync('chmod', ['a-w', join(project, 'output', 'sub')]);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'build.ts')], {
      cwd: project,
      uid: user,
      gid: user,
      encoding: 'utf8',
      env: { ...process.env, HOME: project },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^文件夹 \S+\/output\/sub 不可写（只读或属于其他用户），新的输出无法替换它/m);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.ok(existsSync(join(project, 'output', 'sub')));
  }

  // ENOSPC, EROFS, EACCES: one line each, with what to do.
  for (const [code, what] of [
    ['ENOSPC', '磁盘空间不足（ENOSPC）：output.staging/a.pdf。请清理磁盘'],
    ['EROFS', '文件系统是只读的（EROFS）：output.staging/a.pdf。请把项目放到可写的磁盘上再运行'],
    ['EACCES', '没有权限（EACCES）：output.staging/a.pdf。'],
  ] as const) {
    const e = Object.assign(new Error(`${code}: failure, write`), { code, syscall: 'write', path: join(dir, 'output.staging', 'a.pdf') });
    const r = describeFailure(e, { root: dir });
    assert.equal(r.lines.length, 1);
    assert.ok(r.lines[0]!.startsWith(what), r.lines[0]);
  }
  // A port in use: one line naming the port and what to do.
  const busy = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => busy.once('listening', r));
  const port = (busy.address() as AddressInfo).port;
  try {
    const r = runScript(dir, 'serve', ['--port', String(port)]);
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr.trim(),
      `端口已被占用（可能已有一个预览在运行）（EADDRINUSE）：端口 ${port}。请关闭另一个预览，或用 --port 换一个端口，如 npm run serve -- --port 8081 (address already in use)`,
    );
  } finally {
    busy.close();
  }
});

// ------------------------------------------------------------------ 14. control characters

test('14. control characters, lone surrogates and bidi overrides are refused at their place; long values are not echoed; zero-width ones are warned of', async () => {
  const report = await original('report.yaml');
  const ansi = await refused(editing('report.yaml', 'department: 深圳市政务服务和数据管理局', 'department: "\\e[31m深圳市政务服务和数据管理局"'));
  assert.deepEqual(ansi, [
    `${REPORT}/report.yaml:${at(report, '深圳市政务')} [文字] 文字中有不可见的控制字符 U+001B（ESC，终端控制序列），它会打乱网页和数据文件的显示：请删除它后重新输入这段文字 (control character U+001B in text)`,
  ]);
  assert.ok(!ansi.join('').includes('\u001b'), 'the escape itself is never printed');
  const narrative = await original('narrative.yaml');
  const bidi = await refused(editing('narrative.yaml', '参与拟订我市', '参与拟订\u202E我市'));
  assert.deepEqual(bidi, [
    `${REPORT}/narrative.yaml:${at(narrative, '我市')} [文字] 文字中有不可见的控制字符 U+202E（文字方向控制符，会颠倒显示顺序），它会打乱网页和数据文件的显示：请删除它后重新输入这段文字 (control character U+202E in text)`,
  ]);
  const surrogate = await refused(editing('report.yaml', 'department: 深圳市政务服务和数据管理局', 'department: "深圳\\uD800"'));
  has(surrogate, /report\.yaml:3:13 \[文字\] 文字中有不可见的控制字符 U\+D800（不成对的代理项）/);
  const long = await refused(editing('tables/03-expenditure-summary.yaml', 'total: {total: 68098.25,', `total: {${'长'.repeat(200_000)}: 1, total: 68098.25,`));
  assert.ok(
    long.every((l) => l.length < 1500),
    'no megabyte lines',
  );
  has(long, /未知的键 “长{80}…（共 200000 字）”/);
  // Zero-width characters: allowed, named as a warning.
  const path = join(dir, REPORT, 'report.yaml');
  await writeFile(path, report.replace('unit: 深圳市大数据', 'unit: 深圳市\u200B大数据'));
  try {
    const r = await checkProject(dir);
    has(r.findings.map(formatFinding), new RegExp(`^${REPORT}/report\\.yaml:2:10 警告 \\[文字\\] 文字中有看不见的零宽字符 U\\+200B`));
  } finally {
    await writeFile(path, report);
  }
});

// ------------------------------------------------------------------ 15. officer mistakes

test('15. common officer mistakes are named with what was typed and what to write', async () => {
  const t3 = await original('tables/03-expenditure-summary.yaml');
  const comma = await refused(editing('tables/03-expenditure-summary.yaml', 'basic: 1552.08, project: 65340.87', 'basic: 1,552.08, project: 65340.87'));
  assert.deepEqual(comma, [
    `${REPORT}/tables/03-expenditure-summary.yaml:${at(t3, '1552.08')} [格式] 金额 “1,552.08” 中的逗号在 { } 里被当成了分隔符：请写成 1552.08（不加千位逗号），或加引号写成 "1,552.08" (the comma in 1,552.08 separates entries inside { }: write 1552.08 or "1,552.08")`,
  ]);
  const colon = await refused(editing('report.yaml', 'year: 2024', 'year： 2024'));
  assert.deepEqual(colon, [
    `${REPORT}/report.yaml:4:5 [格式] 键 “year” 后面是全角冒号 “：”：YAML 要用半角冒号加一个空格，请写成 “year: 2024” (full-width colon after "year": write "year: 2024")`,
  ]);
  const tab = await refused(editing('report.yaml', '  year: 2023', '\tyear: 2023'));
  assert.deepEqual(tab, [
    `${REPORT}/report.yaml:9:1 [格式] 这一行的缩进里有制表符（Tab 键，第 1 列）：YAML 只能用空格缩进。请把 Tab 换成空格，与上一级对齐（VS Code：右下角 “制表符长度/空格” → “将缩进转换为空格”） (a tab in the indentation: indent with spaces)`,
  ]);
  // Amounts in 元 where the document publishes 万元: larger than the table total …
  const yuan = await refused(editing('tables/03-expenditure-summary.yaml', 'basic: 1552.08, project: 65340.87', 'basic: 15520800, project: 65340.87'));
  assert.ok(
    yuan.includes(
      `${REPORT}/tables/03-expenditure-summary.yaml:${at(t3, '1552.08')} [金额单位] 表3 支出总表 201 一般公共服务支出 基本支出 填的是 15,520,800.00，是本表合计 2,757.38 的 5,629 倍，看起来是按“元”填写的。本报告的金额以万元为单位：应写作 1,552.08（15,520,800.00 元 ÷ 10,000） (15,520,800.00 looks like an amount in yuan (larger than the table total 2,757.38); in 万元 write 1,552.08)`,
    ),
    yuan.join('\n'),
  );
  // … about 10,000 times the prior year …
  const report = await original('report.yaml');
  const typedPrior = await refused(async () => {
    const path = join(dir, REPORT, 'report.yaml');
    await writeFile(
      path,
      report
        .replace('    figures.operating-expenses: 0.00\n', '    figures.operating-expenses: 0.00\n    figures.procurement-goods: 30.50\n')
        .replace('procurement-goods: 28.8', 'procurement-goods: 288000'),
    );
    return () => writeFile(path, report);
  });
  has(
    typedPrior,
    /report\.yaml:\d+:\d+ \[金额单位\] report\.yaml figures 政府采购预算 货物类 填的是 288,000\.00，是上年同一项 30\.50 的约 9,443 倍，看起来是按“元”填写的。本报告的金额以万元为单位：应写作 28\.80（288,000\.00 元 ÷ 10,000）/,
  );
  // … or about 10,000 times the rest of its row.
  const t9 = await original('tables/09-three-public-expenses.yaml');
  const row = await refused(
    editing(
      'tables/09-three-public-expenses.yaml',
      'budget-year: {total-general: 12.00, total-gov-fund: 0,',
      'budget-year: {total-general: 12.00, total-gov-fund: 120000,',
    ),
  );
  has(
    row,
    new RegExp(
      `09-three-public-expenses\\.yaml:${at(t9, 'total-gov-fund: 0', t9.indexOf('budget-year')).split(':')[0]}:\\d+ \\[金额单位\\] .* 填的是 120,000\\.00，是同一行其他金额（最大 12\\.00）的约 10,000 倍，看起来是按“元”填写的。本报告的金额以万元为单位：应写作 12\\.00`,
    ),
  );
});

// ------------------------------------------------------------------ 16. slugs, titles, redirects

test('16. unit folders must have the slug form; page titles are escaped once; the preview never redirects off-host', async () => {
  const content = join(dir, 'content');
  for (const name of ['Shenzhen', 'shen zhen', 'a&b', '深圳', 'x--y', 'a<b>']) {
    const lines = await refused(async () => {
      await rename(join(content, unit), join(content, name));
      return () => rename(join(content, name), join(content, unit));
    });
    has(lines, /\[文件夹\] 单位文件夹名 “.*” 不符合要求：它是单位的网址，只能用小写英文字母和数字，单词之间用一个连字符/);
  }
  // <title>: the unit's name with an ampersand, escaped once.
  const project = await tempProject();
  const reportYaml = join(project, REPORT, 'report.yaml');
  await writeFile(
    reportYaml,
    (await readFile(reportYaml, 'utf8')).replace('unit: 深圳市大数据资源管理中心', 'unit: "深圳市大数据资源管理中心（数据&<服务>）"'),
  );
  const r = runScript(project, 'build');
  assert.equal(r.status, 0, r.stderr);
  for (const page of [`${unit}/2024/index.html`, `${unit}/index.html`]) {
    const html = await readFile(join(project, 'output', page), 'utf8');
    const title = /<title>(.*?)<\/title>/.exec(html)![1]!;
    assert.match(title, /（数据&amp;&lt;服务&gt;）/, page);
    assert.doesNotMatch(title, /&amp;amp;|&amp;lt;/, page);
  }
  // The preview: folders redirect to their own path, never to another host.
  assert.equal(sameHostPath('//example.com/../'), '/example.com/../');
  assert.equal(sameHostPath('/\\example.com/'), '/example.com/');
  const server = await startStaticServer(join(project, 'output'));
  try {
    for (const path of ['/%2F%2Fexample.com%2F..', '/%2F%2Fexample.com', '/%5C%5Cexample.com%2F..', `/${unit}`]) {
      const res = await fetch(server.origin + path, { redirect: 'manual' });
      if (res.status !== 301) continue;
      const location = res.headers.get('location')!;
      assert.ok(!/^[/\\]{2}/.test(location), `${path} → ${location}`);
      assert.equal(new URL(location, server.origin).origin, server.origin, `${path} → ${location}`);
    }
  } finally {
    await server.close();
  }
});
