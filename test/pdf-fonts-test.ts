// Fonts: a unit with licensed 仿宋_GB2312 / 黑体 / 方正小标宋 / 楷体 points
// data/fonts.local.yaml at its files and rebuilds without touching code. Simulated
// with the npm fonts copied under those names (different weights, so the PDF shows
// which file was used); a wrong path gives a Chinese error with file:line:col.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from '../src/build.ts';
import { formatFinding, InputError } from '../src/errors.ts';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadFonts } from '../src/render/pdf/fonts.ts';
import { systemFontDirs } from '../src/render/pdf/system-fonts.ts';
import { ROOT } from './helpers/build.ts';
import { readPdf } from './helpers/pdf.ts';
import { tempProject } from './helpers/project.ts';

const npmFont = (pkg: string, weight: string, file: string) => join(ROOT, 'node_modules', '@expo-google-fonts', pkg, weight, file);

function embeddedFonts(pdfFile: string): string[] {
  const r = spawnSync('pdffonts', [pdfFile], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdffonts (poppler-utils) is needed: ${r.error?.message ?? r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .slice(2)
    .map((row) =>
      row
        .trim()
        .split(/\s+/)[0]!
        .replace(/^[A-Z]{6}\+/, ''),
    );
}

async function fontsFailure(dir: string): Promise<string[]> {
  try {
    await loadFonts(dir);
  } catch (e) {
    if (e instanceof InputError) return e.findings.map(formatFinding);
    throw e;
  }
  assert.fail('the font configuration was accepted');
}

test('data/fonts.local.yaml replaces the default fonts, and only the faces used are embedded', async () => {
  const dir = await tempProject({ copy: ['data'] });
  await mkdir(join(dir, 'fonts'));
  // Only the weights the default configuration names are installed: they stand in for the licensed faces.
  await copyFile(npmFont('noto-sans-sc', '700Bold', 'NotoSansSC_700Bold.ttf'), join(dir, 'fonts', '仿宋_GB2312.ttf'));
  await copyFile(npmFont('noto-serif-sc', '400Regular', 'NotoSerifSC_400Regular.ttf'), join(dir, 'fonts', '黑体.ttf'));
  await copyFile(npmFont('noto-serif-sc', '700Bold', 'NotoSerifSC_700Bold.ttf'), join(dir, 'fonts', '方正小标宋简体.ttf'));
  await copyFile(npmFont('noto-serif-sc', '700Bold', 'NotoSerifSC_700Bold.ttf'), join(dir, 'fonts', '楷体_GB2312.ttf'));
  await writeFile(
    join(dir, 'data', 'fonts.local.yaml'),
    [
      '# yaml-language-server: $schema=schema/fonts.schema.json',
      'body:',
      '  normal: fonts/仿宋_GB2312.ttf',
      '  bold: fonts/黑体.ttf',
      'heading:',
      '  normal: fonts/黑体.ttf',
      'title:',
      `  normal: ${join(dir, 'fonts', '方正小标宋简体.ttf')}`,
      'subheading:',
      '  normal: fonts/楷体_GB2312.ttf',
      '',
    ].join('\n'),
  );
  const out = join(dir, 'output');
  const result = await build({ root: dir, outDir: out, env: {} });
  const file = join(out, result.manifest.reports[0]!.pdf);
  const fonts = embeddedFonts(file);
  assert.deepEqual(
    fonts.sort(),
    ['NotoSansSC-Bold', 'NotoSerifSC-Bold', 'NotoSerifSC-Regular'],
    'the configured files are used; 楷体 (no （一） headings in this report) is not embedded',
  );
  // The layout follows the fonts' own metrics: still nothing outside the pages.
  const pdf = await readPdf(new Uint8Array(await (await import('node:fs/promises')).readFile(file)));
  for (const p of pdf.pages) for (const i of p.items) assert.ok(i.x >= 0 && i.x + i.width <= p.width + 0.5, `page ${p.number}: ${i.str}`);
});

test('a font file that is not there: a Chinese error naming data/fonts.local.yaml, line and column', async () => {
  const dir = await tempProject({ copy: ['data'] });
  await writeFile(
    join(dir, 'data', 'fonts.local.yaml'),
    [
      'body:',
      '  normal: fonts/仿宋_GB2312.ttf',
      '  bold: node_modules/@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
      'heading:',
      '  normal: {file: fonts/simhei.ttc, name: SimHei}',
      'title:',
      '  normal: node_modules/@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
      '',
    ].join('\n'),
  );
  const lines = await fontsFailure(dir);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(
    lines[0]!,
    /^data\/fonts\.local\.yaml:2:11 \[字体\] 找不到字体文件 fonts\/仿宋_GB2312\.ttf（body\.normal）；请检查 data\/fonts\.local\.yaml 中的路径/,
  );
  assert.match(lines[1]!, /^data\/fonts\.local\.yaml:5:\d+ \[字体\] 找不到字体文件 fonts\/simhei\.ttc（heading\.normal）/);
  assert.match(lines[0]!, /\(font file not found\)$/);
});

test('a file that is not a font, or a font collection without a name: clear errors', async () => {
  const dir = await tempProject({ copy: ['data'] });
  const serif = 'node_modules/@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf';
  await writeFile(
    join(dir, 'data', 'fonts.local.yaml'),
    [
      'body:',
      '  normal: content/shenzhen-big-data-center/2024/report.yaml',
      `  bold: ${serif}`,
      'heading:',
      `  normal: ${serif}`,
      'title:',
      `  normal: ${serif}`,
      'extra: 1',
      '',
    ].join('\n'),
  );
  const lines = await fontsFailure(dir);
  assert.ok(
    lines.some((l) => /^data\/fonts\.local\.yaml:8:1 /.test(l)),
    `an unknown key is named with its position:\n${lines.join('\n')}`,
  );
  await writeFile(
    join(dir, 'data', 'fonts.local.yaml'),
    [
      'body:',
      '  normal: content/shenzhen-big-data-center/2024/report.yaml',
      `  bold: ${serif}`,
      'heading:',
      `  normal: ${serif}`,
      'title:',
      `  normal: ${serif}`,
      '',
    ].join('\n'),
  );
  const [line] = await fontsFailure(dir);
  assert.match(line!, /^data\/fonts\.local\.yaml:2:11 \[字体\] 无法读取字体文件 content\/shenzhen-big-data-center\/2024\/report\.yaml（body\.normal）/);
});

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

test('fonts: system uses the licensed faces found by their file names, the configured ones elsewhere, and says which', async () => {
  const dir = await tempProject({ copy: ['data'] });
  const machine = join(dir, 'machine-fonts');
  await mkdir(join(machine, 'chinese'), { recursive: true });
  // Stand-ins for 仿宋 (simfang.ttf), 黑体 (simhei.ttf) and 楷体 (simkai.ttf); no 方正小标宋 on this machine.
  await copyFile(npmFont('noto-sans-sc', '700Bold', 'NotoSansSC_700Bold.ttf'), join(machine, 'SimFang.TTF'));
  await copyFile(npmFont('noto-serif-sc', '400Regular', 'NotoSerifSC_400Regular.ttf'), join(machine, 'chinese', 'simhei.ttf'));
  await copyFile(npmFont('noto-serif-sc', '700Bold', 'NotoSerifSC_700Bold.ttf'), join(machine, 'chinese', 'simkai.ttf'));
  const defaults = await readFile(join(dir, 'data', 'fonts.yaml'), 'utf8');
  await writeFile(join(dir, 'data', 'fonts.local.yaml'), `fonts: system\n${defaults}`);
  const fonts = await loadFonts(dir, { systemDirs: [join(dir, 'nowhere'), machine] });
  const used = new Map(fonts.used().map((u) => [u.role, u]));
  assert.equal(used.get('body')!.file, 'machine-fonts/SimFang.TTF');
  assert.equal(used.get('body')!.system, true);
  assert.equal(used.get('bodyBold')!.file, 'machine-fonts/chinese/simhei.ttf');
  assert.equal(used.get('heading')!.file, 'machine-fonts/chinese/simhei.ttf');
  assert.equal(used.get('subheading')!.file, 'machine-fonts/chinese/simkai.ttf', '（一） headings in 楷体 when the machine has one');
  assert.equal(used.get('title')!.system, undefined, 'no 方正小标宋 here: the configured face');
  assert.match(used.get('title')!.file, /^node_modules\/@expo-google-fonts\/noto-serif-sc\//);
  assert.equal(used.get('body')!.sha256, await sha256(join(machine, 'SimFang.TTF')));
  assert.equal(used.get('body')!.postscriptName, 'NotoSansSC-Bold');
});

test('without fonts: system nothing on the machine is used; the manifest records the fonts and their SHA-256', async () => {
  const dir = await tempProject({ copy: ['data'] });
  const machine = join(dir, 'machine-fonts');
  await mkdir(machine);
  await copyFile(npmFont('noto-sans-sc', '700Bold', 'NotoSansSC_700Bold.ttf'), join(machine, 'simkai.ttf'));
  const out = join(dir, 'output');
  const result = await build({ root: dir, outDir: out, env: { FONT_DIRS: machine } });
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as typeof result.manifest;
  assert.deepEqual(
    manifest.fonts.map((f) => f.role),
    ['body', 'bodyBold', 'heading', 'title', 'subheading'],
  );
  for (const f of manifest.fonts) {
    assert.equal(f.system, undefined);
    assert.equal(f.sha256, await sha256(join(dir, f.file)), f.file);
  }
  assert.equal(
    manifest.fonts.find((f) => f.role === 'subheading')!.file,
    manifest.fonts.find((f) => f.role === 'body')!.file,
    'no 楷体 configured: the body face',
  );
});

test('where each kind of machine keeps its fonts', () => {
  const win = systemFontDirs('win32', { WINDIR: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u');
  assert.ok(win[0]!.replace(/\\/g, '/').endsWith('Windows/Fonts'), win.join(' '));
  assert.ok(win.some((d) => d.replace(/\\/g, '/').includes('Microsoft/Windows/Fonts')));
  const mac = systemFontDirs('darwin', {}, '/Users/u');
  assert.ok(mac.includes('/Library/Fonts') && mac.includes('/System/Library/Fonts') && mac.includes('/Users/u/Library/Fonts'));
  const linux = systemFontDirs('linux', {}, '/home/u');
  assert.ok(linux.includes('/usr/share/fonts') && linux.includes('/home/u/.local/share/fonts'));
});
