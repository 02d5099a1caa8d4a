// npm run publish -- <unit> <year> [--published YYYY-MM-DD|today] [--revision] [--note "更正说明"]
// Adds the year's PDF to the append-only archive (archive/<unit>/<year>/rN/) with a
// line in archive/log.jsonl, signed with the key ARCHIVE_SIGNING_KEY names once one is
// registered. Commit archive/ afterwards: the archive is part of the record.

import { relative } from 'node:path';
import { publish } from '../src/archive/publish.ts';
import { runCommand } from '../src/cli.ts';

const root = process.cwd();
const args = process.argv.slice(2);
const pos: string[] = [];
const opts: { published?: string; revision?: boolean; note?: string } = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--revision') opts.revision = true;
  else if (a === '--published' || a === '--note') {
    const v = args[++i];
    if (v === undefined) pos.push('?');
    else if (a === '--published') opts.published = v;
    else opts.note = v;
  } else if (a.startsWith('--')) pos.push('?');
  else pos.push(a);
}
if (pos.length !== 2 || !/^\d{4}$/.test(pos[1]!) || pos.includes('?')) {
  console.error('用法：npm run publish -- <单位文件夹名> <年度> [--published YYYY-MM-DD|today] [--revision] [--note "更正说明"]');
  process.exit(2);
}
await runCommand(
  async () => {
    const r = await publish({
      root,
      slug: pos[0]!,
      year: Number(pos[1]),
      ...opts,
      clock: () => new Date(),
      log: (m) => console.log(m),
      signingKeyFile: process.env.ARCHIVE_SIGNING_KEY || undefined,
    });
    console.log(`已发布 ${pos[0]} ${pos[1]} 年 r${r.entry.revision}（公开日期 ${r.entry.published}）${r.entry.signature ? '，已签名' : ''}：`);
    console.log(`  ${relative(root, r.pdf)}  ${r.entry.bytes} 字节  sha256 ${r.entry.sha256}`);
    console.log(`  存档记录 ${relative(root, r.logFile)} 第 ${r.entry.seq} 行`);
    console.log(`存档链头（head）：${r.head}`);
    console.log('请把 archive/ 的改动提交到版本库：存档是公开记录的一部分；链头可一并公布，供他人核对。');
  },
  { root },
);
