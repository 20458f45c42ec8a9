/**
 * Shared by the browser tests: the esbuild browser bundle, headless Chromium, and a loopback
 * static server (127.0.0.1, port 0) so pages can `fetch` from a real HTTP origin.
 * Needs /usr/bin/chromium (scripts/install-chromium.sh); PYMECOMPRESS_SKIP_BROWSER=1 skips.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { requireChromium } from '@pymecompress/test-browser';
import { build } from 'esbuild';
import { PKG } from './helpers.js';

// The launcher, path and skip switch have one home (packages/test-browser).
export { CHROMIUM, launchChromium, SKIP_BROWSER } from '@pymecompress/test-browser';

requireChromium();

/** Bundles `contents` (an ES module resolved from the package root) as an IIFE assigning `globalName`. */
export async function bundle(
  contents = "export * from './dist/index.js';",
  globalName = 'PMC',
): Promise<string> {
  const r = await build({
    stdin: { contents, resolveDir: PKG, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

export interface StaticServer {
  url: string;
  /** Paths the page asked for, in order. */
  requested: string[];
  close(): Promise<void>;
}

/**
 * Serves `routes` (exact path → body, with its content type) and, under `/data/`, the files of
 * `dataDir`; anything else is a 404 (what zarrita's FetchStore reads as a missing key).
 */
export async function serveStatic(
  routes: Record<string, { body: string; type: string }>,
  dataDir?: string,
): Promise<StaticServer> {
  const requested: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requested.push(path);
    const route = routes[path];
    if (route) {
      res.writeHead(200, { 'content-type': route.type });
      res.end(route.body);
      return;
    }
    if (dataDir && path.startsWith('/data/')) {
      const file = normalize(join(dataDir, path.slice('/data/'.length)));
      if (file.startsWith(dataDir + sep) && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(readFileSync(file));
        return;
      }
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requested,
    close: () => new Promise<void>((ok, ko) => server.close((e) => (e ? ko(e) : ok()))),
  };
}
