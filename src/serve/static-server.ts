// A small static file server for the built site, bound to this machine only: the
// local preview (npm run serve), the screenshot script and the browser tests all
// serve output/ through it. Folders answer with their index.html, like a web host.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** http://127.0.0.1:<port> (no trailing slash) */
  origin: string;
  port: number;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

async function fileAt(path: string): Promise<{ path: string; size: number } | 'folder' | null> {
  try {
    const s = await stat(path);
    if (s.isFile()) return { path, size: s.size };
    if (s.isDirectory()) return 'folder';
  } catch {
    /* not found */
  }
  return null;
}

/** A path that a browser resolves on the same host: leading slashes and backslashes collapsed to one. */
export function sameHostPath(path: string): string {
  return `/${path.replace(/^[/\\]+/, '')}`;
}

/** Serves the files under `root`; `root` is read on every request, so a rebuilt site is served at once. */
export function startStaticServer(root: string, opts: StaticServerOptions = {}): Promise<StaticServer> {
  const base = resolve(root);
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed', { allow: 'GET, HEAD' });
    let pathname: string;
    let encoded: string;
    try {
      encoded = new URL(req.url ?? '/', 'http://localhost').pathname;
      pathname = decodeURIComponent(encoded);
    } catch {
      return send(400, 'bad request');
    }
    const target = resolve(join(base, pathname));
    if (target !== base && !target.startsWith(base + sep)) return send(403, 'forbidden');
    let found = await fileAt(target);
    if (found === 'folder') {
      // The redirect stays on this host: a path as it was sent (still encoded), never
      // one that starts with // or /\ (which a browser reads as another host).
      if (!pathname.endsWith('/')) return send(301, 'moved', { location: sameHostPath(`${encoded}/`) });
      found = await fileAt(join(target, 'index.html'));
      if (found === 'folder') found = null;
    }
    if (!found) return send(404, `not found: ${pathname}`);
    res.writeHead(200, {
      'content-type': TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(found.size),
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(found.path).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      ok({
        origin: `http://${opts.host ?? '127.0.0.1'}:${port}`,
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
