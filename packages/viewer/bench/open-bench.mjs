// Browser benchmark (not a test): headless Chromium opens the built viewer (dist/) and
// 1. picks a 2048×2048 quantized PZF frame through the file input and reports the time from the
//    input's change event to the frame drawn on the canvas (performance.now() marks in the hook);
// 2. pans that frame with the mouse for ~2 s and counts long tasks (> 50 ms) on the UI thread
//    (PerformanceObserver 'longtask');
// 3. opens a PYME tile pyramid (about 2304² at level 0, 256² tiles, 5 levels; written by real PYME
//    with bench/pyme_big_pyramid.py through codecs' scripts/setup-pyme.sh) by ?url= and pans it
//    at 1:1 (level 0) and zoomed out (levels 1–2), counting long tasks and the regions loaded.
//    Skipped, with a note, when PYME cannot be set up.
// Run: pnpm --filter @pymecompress/viewer build && node bench/open-bench.mjs
// Env: VIEWER_BENCH_RUNS (opens, default 12; the first is reported apart), VIEWER_BENCH_DIST
// (another build of the app to time instead), VIEWER_BENCH_VS (another build, e.g. an older one,
// timed in the same session, its runs alternating with this build's),
// VIEWER_BENCH_PYRAMID=0 skips part 3.
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePzf } from '@pymecompress/codecs';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { launchChromium } from '@pymecompress/test-browser';

const dist = process.env.VIEWER_BENCH_DIST ?? fileURLToPath(new URL('../dist/', import.meta.url));
const RUNS = Math.max(2, Number(process.env.VIEWER_BENCH_RUNS ?? 12));
/** Another build to time in the same session, its runs alternating with this one's. */
const vs = process.env.VIEWER_BENCH_VS;
const dir = mkdtempSync(join(tmpdir(), 'viewer-bench-'));
const N = 2048;
const frame = syntheticCameraFrame({ width: N, height: N, seed: 1 });
const pzf = join(dir, 'frame2048.pzf');
writeFileSync(pzf, encodePzf(frame, { shape: [N, N], quantization: { offset: 100, scale: 1 } }));

/** The PYME pyramid's folder, or null when PYME could not be set up. */
function pymePyramid() {
  const codecs = fileURLToPath(new URL('../../codecs/', import.meta.url));
  try {
    const [py, src] = execFileSync('sh', [join(codecs, 'scripts/setup-pyme.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n')
      .slice(-2);
    const script = fileURLToPath(new URL('./pyme_big_pyramid.py', import.meta.url));
    const r = spawnSync(py, [script, dir], { env: { ...process.env, PYTHONPATH: src } });
    if (r.status !== 0) throw new Error(String(r.stderr));
    return join(dir, 'pyramid');
  } catch (err) {
    console.log(`(no PYME pyramid: ${String(err.message).split('\n')[0]})`);
    return null;
  }
}
const pyramid = process.env.VIEWER_BENCH_PYRAMID === '0' ? null : pymePyramid();

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer((req, res) => {
  const p = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/\.\./g, '');
  const f = p.startsWith('/data/pyramid/')
    ? join(pyramid ?? '/nonexistent', p.slice('/data/pyramid/'.length))
    : vs && p.startsWith('/vs/')
      ? join(vs, p === '/vs/' ? 'index.html' : p.slice('/vs/'.length))
      : join(dist, p === '/' ? 'index.html' : p);
  res.setHeader('content-type', types[extname(f)] ?? 'application/octet-stream');
  createReadStream(f)
    .on('error', () => res.writeHead(404).end())
    .pipe(res);
}).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const builds = [{ label: 'this build', path: '/', runs: [] }];
if (vs) builds.push({ label: `VIEWER_BENCH_VS (${vs})`, path: '/vs/', runs: [] });
for (let run = 0; run < RUNS; run++)
  for (const build of builds) {
    await page.goto(`${origin}${build.path}`);
    // The worker instantiates its decoder as the page loads; a person takes longer than that to
    // pick a file. Run 0 picks at once (its time includes the instantiation still under way).
    // (Builds before this one name the backend only once a file is open: wait at most 3 s.)
    if (run > 0)
      await page
        .waitForFunction(() => window.pymecompressViewer.backend !== null, null, { timeout: 3000 })
        .catch(() => undefined);
    await page.setInputFiles('#file', pzf);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await page.waitForFunction(() => window.pymecompressViewer.timings.painted !== undefined);
    build.runs.push(await page.evaluate(() => window.pymecompressViewer.timings));
  }
const runs = builds[0].runs;
const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)].toFixed(1);
  return `median ${q(0.5)}, p90 ${q(0.9)} (min ${s[0].toFixed(1)}, max ${s.at(-1).toFixed(1)})`;
};
const warm = runs.slice(1);
const since = (a, b) => (t) => t[b] - t[a];
for (const { label, runs: other } of builds.slice(1))
  for (const end of ['drawn', 'painted'])
    console.log(
      `${label}: chosen -> ${end}: first ${since('chosen', end)(other[0]).toFixed(1)} ms, then ${stat(other.slice(1).map(since('chosen', end)))} ms`,
    );
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

if (pyramid) {
  await page.goto(`${origin}/?url=${encodeURIComponent('/data/pyramid')}`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  const levels = await page.evaluate(() => window.pymecompressViewer.meta.levels.length);
  const b = await page.locator('#canvas').boundingBox();
  /** Drags across the canvas in sweeps for `ms` and reports long tasks and regions loaded. */
  async function pan(label, ms) {
    await page.evaluate(() => {
      window.__long = [];
      window.__regions = new Set();
      new PerformanceObserver((l) =>
        window.__long.push(...l.getEntries().map((e) => e.duration)),
      ).observe({ type: 'longtask', buffered: false });
      const seen = () => {
        const f = window.pymecompressViewer.frame;
        if (f) window.__regions.add(f);
        if (window.__regions) requestAnimationFrame(seen);
      };
      seen();
    });
    const t0 = Date.now();
    let moves = 0;
    for (let sweep = 0; Date.now() - t0 < ms; sweep++) {
      // Sweeps one way, then back (~500 screen pixels each): the view keeps the image on screen
      // at every zoom while the region on screen keeps changing.
      const dir = sweep % 2 === 0 ? -1 : 1;
      const y = b.y + b.height / 2 + 100 * Math.sin(sweep);
      const [x0, x1] = [b.x + b.width / 2 - dir * 250, b.x + b.width / 2 + dir * 250];
      await page.mouse.move(x0, y);
      await page.mouse.down();
      for (let k = 1; k <= 25 && Date.now() - t0 < ms; k++, moves++)
        await page.mouse.move(x0 + ((x1 - x0) * k) / 25, y + 40 * Math.sin(k / 4));
      await page.mouse.up();
    }
    await new Promise((r) => setTimeout(r, 400));
    const [long, regions, level] = await page.evaluate(() => {
      const n = window.__regions.size;
      window.__regions = null;
      const h = window.pymecompressViewer;
      return [window.__long, n, `${h.frame.level}, zoom ${h.view.zoom.toFixed(2)}`];
    });
    console.log(
      `  ${label}: ${moves} pointer moves in ${(ms / 1000).toFixed(0)} s, ${regions} regions loaded (level ${level}): ${long.length} long task(s) on the UI thread${long.length ? ` (max ${Math.max(...long).toFixed(0)} ms)` : ''}`,
    );
  }
  console.log(`PYME pyramid (${levels} levels, 256² tiles) by ?url=, panning:`);
  await page.locator('#canvas').focus();
  // Each zoom waits for its level on screen first (a level-0 read of ~60 float32 tiles takes
  // hundreds of ms in the worker on this machine), so each pan starts from a settled view.
  const settle = (level) =>
    page.waitForFunction((k) => window.pymecompressViewer.frame?.level === k, level, {
      timeout: 60_000,
    });
  await page.keyboard.press('1');
  await settle(0);
  await pan('at 1:1', 3000);
  for (let i = 0; i < 4; i++) await page.keyboard.press('-');
  await settle(1);
  await pan('at 0.41× (level 1)', 2000);
  for (let i = 0; i < 3; i++) await page.keyboard.press('-');
  await settle(2);
  await pan('at 0.21× (level 2)', 2000);
}
await browser.close();
server.close();
