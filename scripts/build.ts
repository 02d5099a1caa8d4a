// npm run build — validates every report, then writes the site, the PDFs and
// output/manifest.json. On any error it prints every finding and exits 1, leaving
// output/ as it was. `-- --allow-removal` publishes even when reports the current
// site holds are no longer in content/.

import { build } from '../src/build.ts';
import { runCommand } from '../src/cli.ts';

const root = process.cwd();
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--allow-removal');
if (unknown.length) {
  console.error(`未知的参数：${unknown.join(' ')}；用法：npm run build [-- --allow-removal] (unknown argument)`);
  process.exit(2);
}
await runCommand(
  async () => {
    const result = await build({
      root,
      env: process.env,
      allowRemoval: args.includes('--allow-removal'),
      log: { info: (m) => console.log(m), error: (m) => console.error(m) },
    });
    console.log(`完成：${result.manifest.reports.length} 份报告已写入 output/`);
  },
  { root, after: '构建未完成：发现 {n} 处问题，output/ 保持不变。请按提示修改后重新运行 npm run build。' },
);
