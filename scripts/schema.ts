// npm run schema — writes the JSON Schemas of the table sets and of every report
// file to data/schema/, where the `# yaml-language-server: $schema=…` line of each
// YAML file points. Run it after changing a table set; a test checks they are current.

import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { schemaFiles } from '../src/schema/export.ts';

const root = process.cwd();
const files = await schemaFiles(root);
for (const [rel, text] of files) {
  await mkdir(join(root, rel, '..'), { recursive: true });
  await writeFile(join(root, rel), text);
}
console.log(`已写入 ${files.size} 个 JSON Schema 到 data/schema/`);
