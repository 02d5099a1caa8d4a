// "Fills in" a year made by new-year the way an officer would if nothing changed:
// every empty value takes the value written at the same place in another year's
// file. Edits go through the yaml Document API, so the files keep their shape.

import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { YAML_WRITE } from '../../src/year/next-year.ts';

function fillNode(target: YamlNode | null | undefined, source: YamlNode | null | undefined): number {
  let n = 0;
  if (isMap(target) && isMap(source)) {
    for (const pair of target.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      const v = pair.value as YamlNode | null;
      const s = source.get(key, true) as YamlNode | undefined;
      if (isScalar(v) && v.value === null && isScalar(s) && s.value !== null) {
        pair.value = s.clone();
        n++;
      } else n += fillNode(v, s);
    }
  } else if (isSeq(target) && isSeq(source)) {
    target.items.forEach((item, i) => {
      n += fillNode(item as YamlNode, source.items[i] as YamlNode);
    });
  }
  return n;
}

/** Fills every empty value of the files of `dir` from `from`; returns how many were filled. */
export async function fillFrom(dir: string, from: string): Promise<number> {
  const files = ['report.yaml', ...(await readdir(join(dir, 'tables'))).map((f) => join('tables', f))];
  let n = 0;
  for (const f of files) {
    const doc = parseDocument(await readFile(join(dir, f), 'utf8'));
    const src = parseDocument(await readFile(join(from, f), 'utf8'));
    n += fillNode(doc.contents as YamlNode, src.contents as YamlNode);
    await writeFile(join(dir, f), doc.toString(YAML_WRITE));
  }
  return n;
}
