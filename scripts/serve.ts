// npm run serve — a local preview of the site at http://127.0.0.1:8080/ (another
// port with --port N or PORT=N). It builds with the same pipeline as npm run build
// and builds again whenever a YAML file under content/ or data/ (or a template)
// is saved; reload the page in the browser to see the result. Ctrl+C stops it.
// Changes to the TypeScript code need a restart.

import { runCommand } from '../src/cli.ts';
import { startPreview } from '../src/serve/preview.ts';

const arg = process.argv.indexOf('--port');
const port = Number(arg > 0 ? process.argv[arg + 1] : (process.env.PORT ?? 8080));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`端口无效：${port}（--port 后应为 0—65535 的整数）`);
  process.exit(1);
}
const log = { info: (m: string) => console.log(m), error: (m: string) => console.error(m) };
const root = process.cwd();
await runCommand(
  async () => {
    const preview = await startPreview({ root, port, env: process.env, log });
    console.log(`预览：${preview.server.origin}/  保存 content/、data/ 或 templates/ 下的文件后自动重新构建；按 Ctrl+C 退出。`);
    const stop = async () => {
      await preview.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  { root },
);
