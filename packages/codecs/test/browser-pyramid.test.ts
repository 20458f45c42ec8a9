/**
 * PYME tile pyramids in headless Chromium (issue 12 item 2): a pyramid written by real PYME
 * (test/pyme-fixture.ts) is served from a loopback HTTP server; the page opens it with zarrita's
 * `FetchStore` wrapped by `pymePyramidStore`, `zarr.get`s levels 0 and 1 (after `ready()`, so wasm
 * decodes) and the pixels must equal PYME's own `PZFFormat.loads` of its tiles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, launchChromium, SKIP_BROWSER, serveStatic } from './browser-helpers.js';
import { SKIP_PYTHON } from './helpers.js';
import { expectedLevel, type PyramidManifest, writePymePyramids } from './pyme-fixture.js';

const skip = SKIP_BROWSER || SKIP_PYTHON;

// The page's module: zarrita (one copy, shared with our zarr entry), register + the store wrapper.
const ENTRY = `
export * as zarr from 'zarrita';
export { register, pymePyramidStore } from './dist/zarr.js';
export { ready, getBackend } from './dist/index.js';
`;

type Page = typeof import('../src/zarr.js') & {
  zarr: typeof import('zarrita');
  ready: typeof import('../src/index.js').ready;
  getBackend: typeof import('../src/index.js').getBackend;
};

let out = '';
let manifest: PyramidManifest[] = [];
let server: Awaited<ReturnType<typeof serveStatic>> | undefined;

beforeAll(async () => {
  if (skip) return;
  ({ out, manifest } = writePymePyramids());
  const js = await bundle(ENTRY, 'PMCZ');
  server = await serveStatic(
    {
      '/': {
        body: '<!doctype html><title>pmc</title><script src="/pmcz.js"></script>',
        type: 'text/html',
      },
      '/pmcz.js': { body: js, type: 'text/javascript' },
    },
    out,
  );
});

afterAll(async () => {
  await server?.close();
});

describe.skipIf(skip)('PYME pyramids in Chromium (FetchStore + pymePyramidStore)', () => {
  it('levels 0 and 1 of both key schemas decode to PYME pixels', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server!.url}/`);
      const result = await page.evaluate(
        async ({ base, names }) => {
          const P = (globalThis as unknown as { PMCZ: Page }).PMCZ;
          await P.ready();
          P.register();
          const out: Record<string, { shape: number[]; dtype: string; pixels: number[] }[]> = {};
          for (const name of names) {
            const store = P.pymePyramidStore(new P.zarr.FetchStore(`${base}/data/${name}`));
            out[name] = [];
            for (const level of [0, 1]) {
              const arr = await P.zarr.open.v2(P.zarr.root(store).resolve(String(level)), {
                kind: 'array',
              });
              const got = await P.zarr.get(arr);
              out[name].push({
                shape: arr.shape,
                dtype: arr.dtype,
                pixels: Array.from(got.data as Float32Array),
              });
            }
          }
          return { out, backend: P.getBackend().kind };
        },
        { base: server!.url, names: manifest.map((m) => m.name) },
      );
      expect(errors).toEqual([]);
      expect(result.backend).toBe('wasm');
      expect(manifest.map((m) => m.name)).toEqual(['current', 'legacy']);
      for (const m of manifest) {
        for (const level of [0, 1]) {
          const got = result.out[m.name]![level]!;
          const l = m.levels.find((x) => x.level === level)!;
          expect(got.shape).toEqual(l.shape);
          expect(got.dtype).toBe('float32');
          const want = expectedLevel(out, m.name, level);
          expect(got.pixels.length).toBe(want.length);
          let diff = 0;
          for (let i = 0; i < want.length; i++) if (!Object.is(got.pixels[i], want[i])) diff++;
          expect(diff).toBe(0);
          expect(got.pixels.some((v) => v > 0)).toBe(true);
        }
      }
      // The tiles came over HTTP under PYME's own key names (a 404 for the tile PYME never wrote).
      const tiles = server!.requested.filter((p) => p.endsWith('.pzf'));
      expect(tiles).toContain('/data/current/0/000/000/000_img.pzf');
      expect(tiles.some((p) => p.startsWith('/data/legacy/1/'))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
