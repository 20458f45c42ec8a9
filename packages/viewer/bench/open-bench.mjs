// Browser benchmark (not a test): headless Chromium opens the built viewer (dist/) and
// 1. picks a 2048×2048 quantized PZF frame through the file input and reports the time from the
//    input's change event to the frame drawn on the canvas (performance.now() marks in the hook);
// 2. pans that frame with the mouse for ~2 s and counts long tasks (> 50 ms) on the UI thread
//    (PerformanceObserver 'longtask').
// Run: pnpm --filter @pymecompress/viewer build && node bench/open-bench.mjs
// Env: VIEWER_BENCH_RUNS (opens, default 12; the first is reported apart), VIEWER_BENCH_DIST
// (another build of the app, e.g. an older one to compare with in the same session).
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePzf } from '@pymecompress/codecs';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { chromium } from 'playwright-core';

const dist = process.env.VIEWER_BENCH_DIST ?? fileURLToPath(new URL('../dist/', import.meta.url));
const RUNS = Math.max(2, Number(process.env.VIEWER_BENCH_RUNS ?? 12));
const dir = mkdtempSync(join(tmpdir(), 'viewer-bench-'));
const N = 2048;
const frame = syntheticCameraFrame({ width: N, height: N, seed: 1 });
const pzf = join(dir, 'frame2048.pzf');
writeFileSync(pzf, encodePzf(frame, { shape: [N, N], quantization: { offset: 100, scale: 1 } }));

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer((req, res) => {
  const p = (req.url ?? '/').split('?')[0];
  const f = join(dist, p === '/' ? 'index.html' : p.replace(/\.\./g, ''));
  res.setHeader('content-type', types[extname(f)] ?? 'application/octet-stream');
  createReadStream(f)
    .on('error', () => res.writeHead(404).end())
    .pipe(res);
}).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.PYMECOMPRESS_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
  ],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const runs = [];
for (let run = 0; run < RUNS; run++) {
  await page.goto(`${origin}/`);
  // The worker instantiates its decoder as the page loads; a person takes longer than that to
  // pick a file. Run 0 picks at once (its time includes the instantiation still under way).
  if (run > 0) await page.waitForFunction(() => window.pymecompressViewer.backend !== null);
  await page.setInputFiles('#file', pzf);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  await page.waitForFunction(() => window.pymecompressViewer.timings.painted !== undefined);
  runs.push(await page.evaluate(() => window.pymecompressViewer.timings));
}
const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)].toFixed(1);
  return `median ${q(0.5)}, p90 ${q(0.9)} (min ${s[0].toFixed(1)}, max ${s.at(-1).toFixed(1)})`;
};
const warm = runs.slice(1);
const since = (a, b) => (t) => t[b] - t[a];
console.log(
  `2048x2048 quantized PZF, file chosen -> drawn: first ${since('chosen', 'drawn')(runs[0]).toFixed(1)} ms, then over ${warm.length} runs ${stat(warm.map(since('chosen', 'drawn')))} ms`,
);
console.log(
  `  chosen -> painted (next frame presented): first ${since('chosen', 'painted')(runs[0]).toFixed(1)} ms, then ${stat(warm.map(since('chosen', 'painted')))} ms`,
);
for (const [label, f] of [
  ['chosen -> opened (worker read + decoded the file)', since('chosen', 'opened')],
  ['  worker open', (t) => t.workerOpenMs],
  ...['backend', 'read', 'decode'].map((k) => [`    open ${k}`, (t) => t[`open.${k}`] ?? 0]),
  ['opened -> region read (worker stats/colour + transfer)', since('opened', 'read')],
  ['  worker read', (t) => t.workerReadMs],
  ...['region', 'decimate', 'stats', 'colour', 'bitmap'].map((k) => [
    `    worker ${k}`,
    (t) => t[`worker.${k}`] ?? 0,
  ]),
  ['read -> coloured (page: takes the worker bitmap)', since('read', 'coloured')],
  ['coloured -> drawn (page)', since('coloured', 'drawn')],
  ['drawn -> painted', since('drawn', 'painted')],
])
  console.log(`  ${label}: ${stat(warm.map(f))} ms`);
const backend = await page.evaluate(() => window.pymecompressViewer.backend);
console.log(`decoder backend in the worker: ${backend}`);

await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((l) =>
    window.__long.push(...l.getEntries().map((e) => e.duration)),
  ).observe({ type: 'longtask', buffered: false });
});
const box = await page.locator('#canvas').boundingBox();
await page.locator('#canvas').focus();
for (let i = 0; i < 4; i++) await page.keyboard.press('+');
await page.mouse.move(box.x + 400, box.y + 400);
await page.mouse.down();
const t0 = Date.now();
let steps = 0;
while (Date.now() - t0 < 2000) {
  const a = (steps % 100) / 100;
  await page.mouse.move(
    box.x + 400 + 300 * Math.sin(a * 6.28),
    box.y + 400 + 200 * Math.cos(a * 6.28),
  );
  steps++;
}
await page.mouse.up();
await new Promise((r) => setTimeout(r, 300));
const long = await page.evaluate(() => window.__long);
console.log(
  `panning at 16x zoom for 2 s (${steps} pointer moves): ${long.length} long task(s) on the UI thread${long.length ? ` (max ${Math.max(...long).toFixed(0)} ms)` : ''}`,
);
await browser.close();
server.close();
