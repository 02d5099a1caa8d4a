// npm run build — validates every report, then writes the site, the PDFs and
// output/manifest.json. On any error it prints every finding and exits 1, leaving
// output/ as it was.

import { build } from '../src/build.ts';
import { formatFinding, InputError } from '../src/errors.ts';

const root = process.cwd();
try {
  const result = await build({ root, env: process.env, log: { info: (m) => console.log(m), error: (m) => console.error(m) } });
  console.log(`完成：${result.manifest.reports.length} 份报告已写入 output/`);
} catch (e) {
  if (e instanceof InputError) {
    for (const f of e.findings) console.error(formatFinding(f));
    console.error(`\n构建未完成：发现 ${e.findings.length} 处问题，output/ 保持不变。请按提示修改后重新运行 npm run build。`);
    process.exit(1);
  }
  throw e;
}
