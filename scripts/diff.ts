// npm run diff -- <unit> <yearA> <yearB> [--json]
// npm run diff -- <folderA> <folderB> [--json]
// Compares two reports: tables row by row, figures, and the narrative word by word.

import { formatDiffText, diffJson } from '../src/diff/format.ts';
import { loadPair, unitYearDir } from '../src/diff/load.ts';
import { diffReports } from '../src/diff/report-diff.ts';
import { runCommand } from '../src/cli.ts';

const root = process.cwd();
const args = process.argv.slice(2);
const json = args.includes('--json');
const pos = args.filter((a) => !a.startsWith('--'));
const unknown = args.filter((a) => a.startsWith('--') && a !== '--json');

let dirs: [string, string] | null = null;
if (pos.length === 3 && /^\d{4}$/.test(pos[1]!) && /^\d{4}$/.test(pos[2]!)) dirs = [unitYearDir(root, pos[0]!, pos[1]!), unitYearDir(root, pos[0]!, pos[2]!)];
else if (pos.length === 2) dirs = [pos[0]!, pos[1]!];
if (!dirs || unknown.length) {
  console.error('用法：npm run diff -- <单位文件夹名> <年度A> <年度B> [--json]');
  console.error('　或：npm run diff -- <报告文件夹A> <报告文件夹B> [--json]');
  process.exit(2);
}
await runCommand(
  async () => {
    const [a, b] = await loadPair(root, dirs[0], dirs[1]);
    const d = diffReports(a, b);
    process.stdout.write(json ? `${JSON.stringify(diffJson(d), null, 2)}\n` : formatDiffText(d));
  },
  { root },
);
