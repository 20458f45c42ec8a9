/**
 * `pymecompress view PATH|URL`: serves the built viewer (@pymecompress/viewer's dist) and the
 * given file or folder, read-only, on loopback unless --host says otherwise, and opens the browser.
 *
 * URL layout: `/` the app, `/data/<name>` the file or folder given. Nothing outside that file or
 * folder is reachable: paths are decoded, normalised and must stay below the root after symlinks
 * are resolved (realpath), so `..`, `%2e%2e` and symlinks pointing outside all give 404.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { badInput, usageError } from '../errors.js';

export const VIEW_HELP = `Usage: pymecompress view PATH|URL [--port N] [--host 127.0.0.1] [--no-open]

Opens a .pzf, .npy, .tif file, a Zarr v2/v3 array or OME-Zarr group (a folder), or a URL of one,
in the pymecompress viewer: zoom/pan, contrast, LUTs, histogram, metadata and the noise lens.
Serves the viewer and PATH read-only on loopback (nothing outside PATH is reachable), prints the
URL and opens the system browser. Ctrl-C stops the server.

Options:
  --port N      port (default: any free port)
  --host H      interface to listen on (default 127.0.0.1; anything else exposes PATH to that network)
  --no-open     do not open a browser
  -h, --help    this help`;

export const VIEW_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'no-open': { type: 'boolean' },
} as const;

export interface ViewOptions {
  port?: string | undefined;
  host?: string | undefined;
  'no-open'?: boolean | undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

/** The built viewer app: @pymecompress/viewer's dist folder. */
export function viewerAppDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@pymecompress/viewer/package.json')), 'dist');
}

/** Resolves a URL path below `root`, or null when it would leave it (after symlinks). */
export async function containedPath(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return null;
  const candidate = resolve(root, ...parts);
  try {
    const real = await realpath(candidate);
    const realRoot = await realpath(root);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return null;
    return real;
  } catch {
    return null;
  }
}

export interface ViewServer {
  server: Server;
  /** The page URL that opens the input. */
  url: string;
  /** The server's origin (http://host:port). */
  origin: string;
  close(): Promise<void>;
}

/** Starts the server (used by the command and by tests). `input` is a path or an http(s) URL. */
export async function startViewServer(input: string, o: ViewOptions = {}): Promise<ViewServer> {
  const host = o.host ?? '127.0.0.1';
  const port = o.port === undefined ? 0 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--port ${o.port}: expected 0..65535`);
  const app = viewerAppDir();
  const isUrl = /^https?:\/\//i.test(input);
  let dataRoot: string | null = null;
  let dataName = '';
  let isDir = false;
  if (!isUrl) {
    const abs = resolve(input.replace(/[/\\]+$/, ''));
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(abs);
    } catch {
      throw badInput(input, 'no such file or folder');
    }
    isDir = st.isDirectory();
    dataName = basename(abs);
    dataRoot = abs;
  }
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const path = (req.url ?? '/').split('?')[0]!;
      let file: string | null = null;
      const prefix = `/data/${encodeURIComponent(dataName)}`;
      if (dataRoot && (path === prefix || path.startsWith(`${prefix}/`))) {
        const rest = path.slice(prefix.length);
        file = isDir ? await containedPath(dataRoot, rest) : rest === '' ? dataRoot : null;
      } else if (!path.startsWith('/data/')) {
        file = await containedPath(app, path === '/' ? 'index.html' : path);
      }
      const st = file ? await stat(file).catch(() => null) : null;
      if (!file || !st?.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  const addr = server.address() as AddressInfo;
  const origin = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  const target = isUrl ? input : `/data/${encodeURIComponent(dataName)}${isDir ? '/' : ''}`;
  return {
    server,
    origin,
    url: `${origin}/?url=${encodeURIComponent(target)}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

function openBrowser(url: string): void {
  const cmd =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', (err) =>
      console.error(
        `pymecompress: warning: could not open a browser (${err.message}); open ${url}`,
      ),
    );
    child.unref();
  } catch (err) {
    console.error(
      `pymecompress: warning: could not open a browser (${(err as Error).message}); open ${url}`,
    );
  }
}

/** The command: serves until SIGINT/SIGTERM, then resolves with exit code 0. */
export async function view(input: string, o: ViewOptions): Promise<number> {
  const s = await startViewServer(input, o);
  console.log(`pymecompress view: ${s.url}`);
  if ((o.host ?? '127.0.0.1') !== '127.0.0.1' && o.host !== 'localhost' && o.host !== '::1')
    console.error(
      `pymecompress: warning: serving on ${o.host}: anyone who can reach it can read ${input}`,
    );
  if (!o['no-open']) openBrowser(s.url);
  await new Promise<void>((ok) => {
    const stop = () => ok();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await s.close();
  return 0;
}
