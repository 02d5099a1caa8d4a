// The open fonts come from npm packages that hold every weight of a family (about
// 15 MB each); the PDF uses two or three. After `npm ci` (postinstall), the weights
// that neither data/fonts.yaml nor data/fonts.local.yaml names are removed from
// node_modules — about 170 MB. Only folders of font files beside a named one are
// touched, so a package's code and licence stay. A weight named later comes back
// with `npm ci` (the message for a missing font file says so).

import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { byCodePoint } from '../../model/order.ts';

const FONT_FILE = /\.(ttf|otf|ttc)$/i;

/** Every font file the font configurations name (resolved against the project root). */
export function namedFontFiles(root: string): Set<string> {
  const named = new Set<string>();
  for (const name of ['fonts.yaml', 'fonts.local.yaml']) {
    const path = join(root, 'data', name);
    if (!existsSync(path)) continue;
    let data: unknown;
    try {
      data = parse(readFileSync(path, 'utf8'));
    } catch {
      // A configuration that does not parse keeps everything: the build reports it.
      return new Set(['*']);
    }
    const visit = (v: unknown): void => {
      if (typeof v === 'string' && FONT_FILE.test(v)) named.add(isAbsolute(v) ? v : join(root, v));
      else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x);
    };
    visit(data);
  }
  return named;
}

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0);
}

/**
 * Removes, in the packages under node_modules that hold a named font file, the
 * sibling folders of font files that hold none. Returns what was removed.
 */
export function pruneUnusedWeights(root: string): { removed: string[]; bytes: number } {
  const named = namedFontFiles(root);
  const out = { removed: [] as string[], bytes: 0 };
  if (named.has('*')) return out;
  const modules = join(root, 'node_modules') + sep;
  // Folders holding a named font file inside node_modules, by their parent (the package).
  const kept = new Map<string, Set<string>>();
  for (const file of named) {
    if (!file.startsWith(modules) || !existsSync(file)) continue;
    const folder = dirname(file);
    const parent = dirname(folder);
    if (!relative(modules, parent) || parent === dirname(modules)) continue;
    kept.set(parent, (kept.get(parent) ?? new Set()).add(folder));
  }
  for (const [parent, folders] of [...kept.entries()].sort((a, b) => byCodePoint(a[0], b[0]))) {
    for (const entry of readdirSync(parent, { withFileTypes: true }).sort((a, b) => byCodePoint(a.name, b.name))) {
      const folder = join(parent, entry.name);
      if (!entry.isDirectory() || folders.has(folder)) continue;
      if (!readdirSync(folder).some((f) => FONT_FILE.test(f))) continue;
      out.bytes += sizeOf(folder);
      rmSync(folder, { recursive: true, force: true });
      out.removed.push(relative(root, folder));
    }
  }
  return out;
}
