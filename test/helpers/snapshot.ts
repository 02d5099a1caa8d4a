// Fixture snapshots: compares a value with test/fixtures/<name>.json; run with
// UPDATE_SNAPSHOTS=1 to rewrite the fixtures after an intended change.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './build.ts';

export function matchSnapshot(name: string, value: unknown): void {
  const file = join(ROOT, 'test', 'fixtures', `${name}.json`);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (process.env.UPDATE_SNAPSHOTS !== '1') assert.fail(`snapshot ${name} did not exist and was written; check it and run again`);
    return;
  }
  assert.equal(text, readFileSync(file, 'utf8'), `snapshot ${name} differs (UPDATE_SNAPSHOTS=1 to accept)`);
}
