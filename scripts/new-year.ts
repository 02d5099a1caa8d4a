// npm run new-year -- <unit> <year>
// Creates content/<unit>/<year>/ from the unit's latest year: rows and narrative
// carried forward, amounts left empty. Refuses to overwrite an existing year.

import { relative } from 'node:path';
import { runCommand } from '../src/cli.ts';
import { createNextYear } from '../src/year/new-year.ts';

const root = process.cwd();
const [unit, yearArg, ...rest] = process.argv.slice(2);
if (!unit || !yearArg || !/^\d{4}$/.test(yearArg) || rest.length) {
  console.error('用法：npm run new-year -- <单位文件夹名> <新年度>，例如 npm run new-year -- shenzhen-big-data-center 2025');
  process.exit(2);
}
await runCommand(
  async () => {
    const r = await createNextYear(root, unit, Number(yearArg));
    const dir = relative(root, r.dir);
    console.log(`已由 ${r.from.year} 年结转生成 ${dir}/（${r.files.length} 个文件）：`);
    console.log(`  year: ${r.report.year}，prior.year: ${r.report.prior.year}（文字部分的上年比较改为读取 ${r.from.year} 年报告）`);
    console.log(`  表9 “${r.from.year}年” 一行已填入 ${r.from.year} 年预算数；其余金额均留空（null），共 ${r.pending.length} 项待填写。`);
    console.log(`下一步：在 ${dir}/ 中填写金额、更新文字，然后运行 npm run check 查看还有哪些待填写，最后 npm run build。`);
  },
  { root },
);
