// npm run check — validates every report (schema, then the consistency rules of its
// table set) and prints every finding at once, one line each:
//   file:line:col [规则] what is wrong (English)
// Exit code 1 when there is an error, 0 when clean (warnings alone do not fail).
// `npm run check -- --json` prints the findings as JSON for other tools.

import { checkProject } from '../src/check/project.ts';
import { hasErrors } from '../src/check/check.ts';
import { runCommand } from '../src/cli.ts';
import { formatFinding } from '../src/errors.ts';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--json');
if (unknown.length) {
  console.error(`未知的参数：${unknown.join(' ')}；用法：npm run check [-- --json] (unknown argument)`);
  process.exit(2);
}
const root = process.cwd();
let result: Awaited<ReturnType<typeof checkProject>> | undefined;
await runCommand(
  async () => {
    result = await checkProject(root);
  },
  { root },
);
const { reports, rules, findings } = result!;
const errors = findings.filter((f) => f.severity === 'error').length;
const warnings = findings.length - errors;

if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ reports, rules, errors, warnings, findings }, null, 2)}\n`);
} else {
  for (const f of findings) console.log(formatFinding(f));
  if (errors)
    console.error(`\n检查未通过：${reports.length} 份报告，${rules} 条规则，错误 ${errors} 处，警告 ${warnings} 处。请按提示修改后重新运行 npm run check。`);
  else console.error(`检查通过：${reports.length} 份报告，${rules} 条规则${warnings ? `，警告 ${warnings} 处` : ''}。`);
}
// exitCode, not exit(): a long JSON written to a pipe is flushed before the process ends.
process.exitCode = hasErrors(findings) ? 1 : 0;
