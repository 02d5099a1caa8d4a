// npm run serve: the preview serves the built site and builds again when a YAML
// file is saved; a broken file leaves the last good site in place and says where
// the problem is.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../src/errors.ts';
import { startPreview } from '../src/serve/preview.ts';
import { tempProject } from './helpers/project.ts';

async function until(cond: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the preview rebuilds when a YAML file changes, and keeps the last good site when it is broken', async () => {
  const dir = await tempProject();
  const errors: string[] = [];
  const preview = await startPreview({ root: dir, port: 0, env: {}, debounceMs: 100, log: { info: () => {}, error: (m) => errors.push(m) } });
  try {
    const page = `${preview.server.origin}/shenzhen-big-data-center/2024/`;
    const first = await (await fetch(page)).text();
    assert.ok(first.includes('注：无'));
    // Only the built site is served: nothing outside output/.
    for (const path of ['/..%2fpackage.json', '/%2e%2e/package.json', '/../content/']) {
      const res = await fetch(preview.server.origin + path);
      assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
    }
    const file = join(dir, 'content', 'shenzhen-big-data-center', '2024', 'tables', '09-three-public-expenses.yaml');
    const yaml = await readFile(file, 'utf8');

    let before = preview.builds();
    await writeFile(file, yaml.replace('注：无', '注：本年无“三公”经费变化'));
    await until(() => preview.builds() > before);
    await preview.settled();
    assert.equal(preview.lastError(), null);
    const second = await (await fetch(page)).text();
    assert.ok(second.includes('注：本年无“三公”经费变化'), 'the page shows the edit');

    before = preview.builds();
    await writeFile(file, yaml.replace('total-general: 12.00,', 'total-general: 12.0.0,'));
    await until(() => preview.builds() > before);
    await preview.settled();
    assert.ok(preview.lastError() instanceof InputError);
    assert.ok(
      errors.some((e) => /09-three-public-expenses\.yaml:\d+:\d+/.test(e)),
      errors.join('\n'),
    );
    const third = await (await fetch(page)).text();
    assert.equal(third, second, 'the last good site is still served');
  } finally {
    await preview.close();
  }
});
