// Only the font weights the PDF uses stay installed: after npm ci the weights that
// neither data/fonts.yaml nor data/fonts.local.yaml names are removed.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { namedFontFiles, pruneUnusedWeights } from '../src/render/pdf/font-weights.ts';
import { ROOT } from './helpers/build.ts';

async function project(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'budget-weights-'));
  const pkg = join(root, 'node_modules', '@fonts', 'serif');
  for (const w of ['300Light', '400Regular', '700Bold', '900Black']) {
    await mkdir(join(pkg, w), { recursive: true });
    await writeFile(join(pkg, w, `Serif_${w}.ttf`), 'x'.repeat(1000));
    await writeFile(join(pkg, w, 'index.js'), '');
  }
  await writeFile(join(pkg, 'index.js'), '');
  await mkdir(join(root, 'data'));
  await writeFile(
    join(root, 'data', 'fonts.yaml'),
    'body:\n  normal: node_modules/@fonts/serif/400Regular/Serif_400Regular.ttf\n  bold: node_modules/@fonts/serif/700Bold/Serif_700Bold.ttf\nheading:\n  normal: node_modules/@fonts/serif/700Bold/Serif_700Bold.ttf\ntitle:\n  normal: node_modules/@fonts/serif/700Bold/Serif_700Bold.ttf\n',
  );
  return root;
}

test('the weights no font configuration names are removed; the package itself stays', async () => {
  const root = await project();
  const pkg = join(root, 'node_modules', '@fonts', 'serif');
  const { removed, bytes } = pruneUnusedWeights(root);
  assert.deepEqual(removed, [join('node_modules', '@fonts', 'serif', '300Light'), join('node_modules', '@fonts', 'serif', '900Black')]);
  assert.equal(bytes, 2000);
  assert.ok(existsSync(join(pkg, '400Regular', 'Serif_400Regular.ttf')));
  assert.ok(existsSync(join(pkg, '700Bold', 'Serif_700Bold.ttf')));
  assert.ok(existsSync(join(pkg, 'index.js')));
  assert.deepEqual(pruneUnusedWeights(root).removed, [], 'a second run removes nothing');
});

test('a weight named in data/fonts.local.yaml is kept', async () => {
  const root = await project();
  await writeFile(join(root, 'data', 'fonts.local.yaml'), 'subheading:\n  normal: {file: node_modules/@fonts/serif/300Light/Serif_300Light.ttf, name: X}\n');
  const { removed } = pruneUnusedWeights(root);
  assert.deepEqual(removed, [join('node_modules', '@fonts', 'serif', '900Black')]);
});

test('a font configuration that does not parse removes nothing (the build reports it)', async () => {
  const root = await project();
  await writeFile(join(root, 'data', 'fonts.local.yaml'), 'body: [unclosed\n');
  assert.deepEqual(pruneUnusedWeights(root).removed, []);
});

test('the project’s own configuration names the installed fonts, and they are there', () => {
  const named = [...namedFontFiles(ROOT)];
  assert.ok(named.length >= 3);
  for (const f of named) assert.ok(existsSync(f), `${f} is installed`);
});
