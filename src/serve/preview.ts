// The local preview behind `npm run serve`: builds the site with the same
// pipeline as `npm run build`, serves output/ on this machine, and rebuilds when
// a report's YAML (or a table set, template or stylesheet) changes. A failed
// rebuild prints its findings and leaves the last good site in place, exactly as
// `npm run build` does. Files are watched with chokidar.

import { join, relative } from 'node:path';
import chokidar from 'chokidar';
import { build, type BuildResult, type Logger } from '../build.ts';
import { describeFailure } from '../cli.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

/** What a change to these files means: the site must be built again. */
export const WATCHED = /\.(ya?ml|njk|css|svg|md)$/;

export interface PreviewOptions {
  root: string;
  port?: number;
  host?: string;
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Wait this long after the last change before rebuilding (editors save in bursts). */
  debounceMs?: number;
}

export interface Preview {
  server: StaticServer;
  /** Resolves after the build that includes every change seen so far. */
  settled(): Promise<void>;
  /** Number of builds finished (successful or not). */
  builds(): number;
  lastError(): unknown;
  close(): Promise<void>;
}

export async function startPreview(opts: PreviewOptions): Promise<Preview> {
  const log = opts.log ?? { info: () => {}, error: () => {} };
  const outDir = join(opts.root, 'output');
  let finished = 0;
  let error: unknown = null;
  let running: Promise<void> = Promise.resolve();
  let pending = false;
  let timer: NodeJS.Timeout | null = null;

  const runBuild = async (): Promise<void> => {
    const started = performance.now();
    try {
      const r: BuildResult = await build({ root: opts.root, env: opts.env ?? process.env, log });
      error = null;
      log.info(`已构建 ${r.manifest.reports.length} 份报告（${Math.round(performance.now() - started)} ms）`);
    } catch (e) {
      error = e;
      const report = describeFailure(e, { root: opts.root, after: '构建未完成：发现 {n} 处问题，预览仍显示上一次成功构建的内容。修改后保存即可重新构建。' });
      for (const line of report.lines) log.error(line);
    } finally {
      finished++;
    }
  };
  // Builds run one at a time; changes during a build cause one more build after it.
  const schedule = () => {
    if (pending) return;
    pending = true;
    running = running.then(async () => {
      pending = false;
      await runBuild();
    });
  };

  // The port first: a port in use is said at once, before a build has been waited for.
  const server = await startStaticServer(outDir, { port: opts.port ?? 8080, host: opts.host ?? '127.0.0.1' });
  await runBuild();
  const watcher = chokidar.watch(
    ['content', 'data', 'templates'].map((d) => join(opts.root, d)),
    {
      ignoreInitial: true,
      ignored: (path: string) => /(^|[/\\])(\.|node_modules)/.test(relative(opts.root, path)),
    },
  );
  let changed = false;
  watcher.on('all', (_event, path) => {
    if (!WATCHED.test(path)) return;
    changed = true;
    log.info(`已修改：${relative(opts.root, path)}`);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      changed = false;
      schedule();
    }, opts.debounceMs ?? 200);
  });
  await new Promise<void>((ok) => watcher.once('ready', () => ok()));

  return {
    server,
    settled: async () => {
      // Wait out the debounce of changes already seen, then every build scheduled.
      while (timer || changed || pending) await new Promise((r) => setTimeout(r, 50));
      await running;
    },
    builds: () => finished,
    lastError: () => error,
    close: async () => {
      if (timer) clearTimeout(timer);
      await watcher.close();
      await running;
      await server.close();
    },
  };
}
