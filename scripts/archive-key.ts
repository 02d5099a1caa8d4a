// npm run archive-key -- <private-key-file>
// Registers the publisher's Ed25519 signing key in the archive's log (archive/log.jsonl),
// creating the key pair first when the file does not exist yet. From then on every
// publication must be signed: set ARCHIVE_SIGNING_KEY to the private key file when
// running npm run publish. To replace a registered key, run this with the new key's file
// and ARCHIVE_SIGNING_KEY set to the current one. Keep the private key outside the
// project and out of version control.

import { registerKey } from '../src/archive/publish.ts';
import { runCommand } from '../src/cli.ts';

const root = process.cwd();
const args = process.argv.slice(2);
if (args.length !== 1 || args[0]!.startsWith('--')) {
  console.error('用法：npm run archive-key -- <私钥文件路径>（文件不存在时新建密钥对）');
  process.exit(2);
}
await runCommand(
  async () => {
    const r = await registerKey({ root, keyFile: args[0]!, signingKeyFile: process.env.ARCHIVE_SIGNING_KEY || undefined });
    if (r.created) console.log(`已新建签名私钥 ${args[0]}：请妥善保管（不要放进项目、不要提交到版本库），丢失后无法再签名。`);
    console.log(`已在 archive/log.jsonl 第 ${r.entry.seq} 行登记签名公钥 ${r.entry.publicKey}`);
    console.log(`存档链头（head）：${r.head}`);
    console.log('此后每次 npm run publish 都要设置 ARCHIVE_SIGNING_KEY=<私钥文件>。请提交 archive/ 的改动。');
  },
  { root },
);
