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
import { loadFonts } from '../src/render/pdf/fonts.ts';
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
  await copyFile(npmFont('noto-sans-sc', '400Regular', 'NotoSansSC_400Regular.ttf'), join(dir, 'fonts', '仿宋_GB2312.ttf'));
  await copyFile(npmFont('noto-sans-sc', '700Bold', 'NotoSansSC_700Bold.ttf'), join(dir, 'fonts', '黑体.ttf'));
  await copyFile(npmFont('noto-serif-sc', '900Black', 'NotoSerifSC_900Black.ttf'), join(dir, 'fonts', '方正小标宋简体.ttf'));
  await copyFile(npmFont('noto-serif-sc', '300Light', 'NotoSerifSC_300Light.ttf'), join(dir, 'fonts', '楷体_GB2312.ttf'));
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
    ['NotoSansSC-Bold', 'NotoSansSC-Regular', 'NotoSerifSC-Black'],
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
