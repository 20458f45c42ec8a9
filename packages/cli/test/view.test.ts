/// <reference lib="dom" />
/**
 * `pymecompress view`: the viewer in headless Chromium (the server's confinement is in
 * view-server.test.ts) opening every input kind through the server (?url=), through the file
 * picker, dropped on the page, and by ?url= from a second loopback server; the pixels on screen
 * checked against the source and the noise lens against the CLI's own compress/info/decompress.
 * Fixtures: a seeded stack turned into each format by the CLI (Zarr v3 written here).
 * Needs Chromium (the shared launcher, @pymecompress/test-browser); PYMECOMPRESS_SKIP_BROWSER=1 skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, SKIP_BROWSER } from '@pymecompress/test-browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewServer, type ViewServer } from '../src/commands/view.js';
import { cameraStack, cli, readNpy, repoRoot, tempDir, writeNpy } from './helpers.js';
import { staticServer, writeZarrV3 } from './view-fixtures.js';

const SHOTS = process.env.PYMECOMPRESS_SCREENSHOTS;

const F = 3;
const H = 96;
const W = 128;

describe.skipIf(SKIP_BROWSER)('viewer in headless Chromium', () => {
  let dir: string;
  let stack: Uint16Array;
  let browser: Browser;
  let page: Page;
  const servers: ViewServer[] = [];
  let other: { origin: string; close(): Promise<void> };
  const frameOf = (a: ArrayLike<number>, k: number, h = H, w = W) =>
    Array.from(a).slice(k * h * w, (k + 1) * h * w);
  const run = (args: string[]) => {
    const r = cli(args);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    dir = tempDir();
    stack = cameraStack(F, H, W, 7);
    writeNpy(join(dir, 'stack.npy'), stack, [F, H, W]);
    run([
      'compress',
      join(dir, 'stack.npy'),
      '-o',
      join(dir, 'lossless.pzf'),
      '--frame',
      '1',
      '-q',
    ]);
    run([
      'compress',
      join(dir, 'stack.npy'),
      '-o',
      join(dir, 'quant.pzf'),
      '--frame',
      '2',
      '--offset',
      '100',
      '--scale',
      '0.5',
      '-q',
    ]);
    run(['decompress', join(dir, 'quant.pzf'), '-o', join(dir, 'quant-recon.npy'), '-q']);
    run([
      'compress',
      join(dir, 'stack.npy'),
      '-o',
      join(dir, 'stack.zarr'),
      '-q',
      '--threads',
      '1',
    ]);
    run([
      'decompress',
      join(dir, 'stack.zarr'),
      '-o',
      join(dir, 'stack.tif'),
      '-q',
      '--threads',
      '1',
    ]);
    // OME-Zarr group with two levels: level 1 is the stack binned 2×2 (mean, rounded down).
    const half = new Uint16Array(F * (H / 2) * (W / 2));
    for (let f = 0; f < F; f++)
      for (let y = 0; y < H / 2; y++)
        for (let x = 0; x < W / 2; x++) {
          const at = (yy: number, xx: number) => stack[f * H * W + yy * W + xx]!;
          half[(f * (H / 2) + y) * (W / 2) + x] =
            (at(2 * y, 2 * x) +
              at(2 * y + 1, 2 * x) +
              at(2 * y, 2 * x + 1) +
              at(2 * y + 1, 2 * x + 1)) >>
            2;
        }
    writeNpy(join(dir, 'half.npy'), half, [F, H / 2, W / 2]);
    run(['compress', join(dir, 'half.npy'), '-o', join(dir, 'half.zarr'), '-q', '--threads', '1']);
    const ome = join(dir, 'group.ome.zarr');
    mkdirSync(ome);
    cpSync(join(dir, 'stack.zarr'), join(ome, '0'), { recursive: true });
    cpSync(join(dir, 'half.zarr'), join(ome, '1'), { recursive: true });
    writeFileSync(join(ome, '.zgroup'), JSON.stringify({ zarr_format: 2 }));
    writeFileSync(
      join(ome, '.zattrs'),
      JSON.stringify({
        multiscales: [
          {
            version: '0.4',
            axes: [
              { name: 't', type: 'time', unit: 'second' },
              { name: 'y', type: 'space', unit: 'micrometer' },
              { name: 'x', type: 'space', unit: 'micrometer' },
            ],
            datasets: [
              { path: '0', coordinateTransformations: [{ type: 'scale', scale: [1, 0.1, 0.1] }] },
              { path: '1', coordinateTransformations: [{ type: 'scale', scale: [1, 0.2, 0.2] }] },
            ],
            coordinateTransformations: [{ type: 'scale', scale: [0.5, 1, 1] }],
          },
        ],
      }),
    );
    writeZarrV3(join(dir, 'stack-v3.zarr'), stack, [F, H, W]);
    other = await staticServer(dir);
    browser = await launchChromium();
    // README screenshots (PYMECOMPRESS_SCREENSHOTS) are taken at a smaller size.
    page = await browser.newPage({
      viewport: SHOTS ? { width: 820, height: 560 } : { width: 1100, height: 900 },
    });
    page.on('pageerror', (e) => console.error('page error:', e.message));
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    await other?.close();
  });

  async function serve(path: string): Promise<ViewServer> {
    const s = await startViewServer(path, {});
    servers.push(s);
    return s;
  }
  async function ready(): Promise<void> {
    await page.waitForFunction(() =>
      ['ready', 'error'].includes(document.body.dataset.state ?? ''),
    );
    const err = await page.evaluate(
      () => (window as never as { pymecompressViewer: { error: string } }).pymecompressViewer.error,
    );
    expect(err).toBeNull();
  }
  const frame = () =>
    page.evaluate(() => {
      const f = (
        window as never as {
          pymecompressViewer: { frame: { data: ArrayLike<number> } & Record<string, unknown> };
        }
      ).pymecompressViewer.frame;
      return { ...f, data: Array.from(f.data) } as {
        data: number[];
        width: number;
        height: number;
        level: number;
        x0: number;
        y0: number;
      };
    });
  const hook = (k: string) =>
    page.evaluate(
      (key) =>
        (window as never as { pymecompressViewer: Record<string, unknown> }).pymecompressViewer[
          key
        ],
      k,
    );

  const cases: [string, string, () => number[]][] = [
    ['npy', 'stack.npy', () => frameOf(stack, 0)],
    ['lossless pzf', 'lossless.pzf', () => frameOf(stack, 1)],
    ['quantized pzf', 'quant.pzf', () => Array.from(readNpy(join(dir, 'quant-recon.npy')).data)],
    ['tif', 'stack.tif', () => frameOf(stack, 0)],
    ['zarr v2', 'stack.zarr', () => frameOf(stack, 0)],
    ['ome-zarr', 'group.ome.zarr', () => frameOf(stack, 0)],
    ['zarr v3', 'stack-v3.zarr', () => frameOf(stack, 0)],
  ];

  it.each(cases)('%s through pymecompress view', async (kind, name, expected) => {
    const s = await serve(join(dir, name));
    await page.goto(s.url);
    await ready();
    const f = await frame();
    expect([f.width, f.height, f.level]).toEqual([W, H, 0]);
    expect(f.data).toEqual(expected());
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${kind.replace(/ /g, '-')}.png`) });
  });

  it.each(cases)('%s through the file picker', async (_kind, name, expected) => {
    const s = await serve(dir);
    await page.goto(`${s.origin}/`);
    const isDir = name.endsWith('.zarr');
    await page.setInputFiles(isDir ? '#folder' : '#file', join(dir, name));
    await ready();
    const f = await frame();
    expect(f.data).toEqual(expected());
  });

  it.each(cases.filter(([, name]) => !name.endsWith('.zarr')))(
    '%s dropped on the page (a drop event carrying a File)',
    async (_kind, name, expected) => {
      const s = await serve(dir);
      await page.goto(`${s.origin}/`);
      const bytes = readFileSync(join(dir, name)).toString('base64');
      await page.evaluate(
        ([b64, fileName]) => {
          const raw = Uint8Array.from(atob(b64!), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([raw], fileName!));
          const stage = document.getElementById('stage')!;
          stage.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true }));
          stage.dispatchEvent(
            new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
          );
        },
        [bytes, name],
      );
      await ready();
      expect((await hook('meta')) as { name: string }).toMatchObject({ name });
      expect((await frame()).data).toEqual(expected());
    },
  );

  it.each([
    ['zarr v2', 'stack.zarr'],
    ['zarr v3', 'stack-v3.zarr'],
    ['ome-zarr', 'group.ome.zarr'],
  ])('%s by ?url= from another loopback server (FetchStore, CORS)', async (_kind, name) => {
    const s = await serve(dir);
    await page.goto(`${s.origin}/?url=${encodeURIComponent(`${other.origin}/${name}`)}`);
    await ready();
    const f = await frame();
    expect([f.width, f.height, f.level]).toEqual([W, H, 0]);
    expect(f.data).toEqual(frameOf(stack, 0));
  });

  it('Zarr v3 (numcodecs.<id> + crc32c): metadata says format 3 and the codec chain', async () => {
    const s = await serve(join(dir, 'stack-v3.zarr'));
    await page.goto(s.url);
    await ready();
    const meta = (await hook('meta')) as {
      details: { zarrFormat: number };
      codec: { id: string };
    };
    expect(meta.details.zarrFormat).toBe(3);
    expect(meta.codec.id).toBe('numcodecs.pymecompress-huffman → crc32c');
  });

  it('OME-Zarr: the metadata panel shows axes, units and the pixel size', async () => {
    const s = await serve(join(dir, 'group.ome.zarr'));
    await page.goto(s.url);
    await ready();
    const rows = Object.fromEntries(
      await page.$$eval('#meta tr', (trs) =>
        trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]),
      ),
    );
    expect(rows.axes).toBe('t (time, second), y (space, micrometer), x (space, micrometer)');
    expect(rows['pixel size']).toBe('y 0.1 µm × x 0.1 µm');
    // The multiscale's own scale (t × 0.5) applies to every level.
    expect(rows['level scales']).toBe('0: 0.5 × 0.1 × 0.1; 1: 0.5 × 0.2 × 0.2');
  });

  it("the CLI's own .ome.zarr output (--levels, --chunks, --pixel-size) opens with its pixel size", async () => {
    const out = join(dir, 'cli.ome.zarr');
    run([
      'compress',
      join(dir, 'stack.npy'),
      '-o',
      out,
      '--levels',
      '1',
      '--chunks',
      '1,48,64',
      '--pixel-size',
      '0.1',
      '--stack-step',
      '0.5',
      '-q',
      '--threads',
      '1',
    ]);
    const s = await serve(out);
    await page.goto(s.url);
    await ready();
    const meta = (await hook('meta')) as { kind: string; levels: { width: number }[] };
    expect(meta.kind).toBe('ome-zarr');
    expect(meta.levels.map((l) => l.width)).toEqual([W, W / 2]);
    const f = await frame();
    expect([f.width, f.height, f.level]).toEqual([W, H, 0]);
    expect(f.data).toEqual(frameOf(stack, 0));
    const rows = Object.fromEntries(
      await page.$$eval('#meta tr', (trs) =>
        trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]),
      ),
    );
    expect(rows['pixel size']).toBe('y 0.1 µm × x 0.1 µm');
    expect(rows['level scales']).toBe('0: 0.5 × 0.1 × 0.1; 1: 0.5 × 0.2 × 0.2');
  });

  it('steps through the frames of a stack', async () => {
    const s = await serve(join(dir, 'stack.zarr'));
    await page.goto(s.url);
    await ready();
    await page.locator('#frame').fill('2');
    await page.waitForFunction(
      () =>
        (window as never as { pymecompressViewer: { frame: { index: number } } }).pymecompressViewer
          .frame?.index === 2,
    );
    await ready();
    expect((await frame()).data).toEqual(frameOf(stack, 2));
  });

  it('noise lens agrees with the CLI (ratio and reconstruction)', async () => {
    const s = await serve(join(dir, 'stack.npy'));
    await page.goto(s.url);
    await ready();
    await page.locator('#dark').fill('100');
    await page.locator('#gain').fill('2');
    await page.locator('#step').fill('0.8');
    await page.waitForFunction(() => {
      const l = (
        window as never as {
          pymecompressViewer: { lens: { params?: { step: number; gain: number } } | null };
        }
      ).pymecompressViewer.lens;
      return l?.params?.step === 0.8 && l.params.gain === 2;
    });
    const lens = (await page.evaluate(() => {
      const l = (
        window as never as {
          pymecompressViewer: {
            lens: Record<string, unknown> & { reconstruction: ArrayLike<number> };
          };
        }
      ).pymecompressViewer.lens;
      return { ...l, reconstruction: Array.from(l.reconstruction) };
    })) as Record<string, number> & {
      reconstruction: number[];
      export: { command: string; numcodecs: string };
    };
    const out = join(dir, 'lens.pzf');
    run([
      'compress',
      join(dir, 'stack.npy'),
      '-o',
      out,
      '--frame',
      '0',
      '--dark-level',
      '100',
      '--gain',
      '2',
      '--step',
      '0.8',
      '-q',
      '-f',
    ]);
    const info = JSON.parse(run(['info', out, '--json'])) as {
      compressionRatio: number;
      fileBytes: number;
    };
    expect(lens.pzfBytes).toBe(info.fileBytes);
    expect(Number(lens.compressionRatio!.toFixed(3))).toBe(info.compressionRatio);
    run(['decompress', out, '-o', join(dir, 'lens.npy'), '-q', '-f']);
    expect(lens.reconstruction).toEqual(Array.from(readNpy(join(dir, 'lens.npy')).data));
    expect(lens.violations).toBe(0);
    expect(lens.maxErrorOverBound).toBeLessThanOrEqual(1);
    expect(lens.maxErrorSigma).toBeGreaterThan(0);
    expect(lens.export.command).toContain('--dark-level 100 --gain 2 --step 0.8');
    expect(JSON.parse(lens.export.numcodecs)).toEqual({
      id: 'pymecompress-quant16',
      offset: 100,
      scale: (0.8 * Math.sqrt(2)) / 2,
    });
    if (SHOTS) await page.locator('#lens').screenshot({ path: join(SHOTS, 'noise-lens.png') });
  });

  it('zooms and pans with keyboard and mouse; zoomed out it reads the coarser level', async () => {
    const s = await serve(join(dir, 'group.ome.zarr'));
    await page.goto(s.url);
    await ready();
    type V = { zoom: number; cx: number; cy: number; level: number };
    const v0 = (await hook('view')) as V;
    await page.locator('#canvas').focus();
    await page.keyboard.press('+');
    const v1 = (await hook('view')) as V;
    expect(v1.zoom).toBeCloseTo(v0.zoom * 1.25, 6);
    await page.keyboard.press('ArrowRight');
    const v2 = (await hook('view')) as V;
    expect(v2.cx).toBeCloseTo(v1.cx + 50 / v1.zoom, 6);
    const box = (await page.locator('#canvas').boundingBox())!;
    await page.mouse.move(box.x + 200, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + 260, box.y + 230);
    await page.mouse.up();
    const v3 = (await hook('view')) as V;
    expect(v3.cx).toBeCloseTo(v2.cx - 60 / v2.zoom, 6);
    expect(v3.cy).toBeCloseTo(v2.cy - 30 / v2.zoom, 6);
    for (let i = 0; i < 16; i++) await page.mouse.wheel(0, 100);
    expect(((await hook('view')) as V).zoom).toBeLessThan(0.5);
    await page.waitForFunction(
      () =>
        (window as never as { pymecompressViewer: { frame: { level: number } } }).pymecompressViewer
          .frame?.level === 1,
    );
    const f = await frame();
    expect([f.width, f.height]).toEqual([W / 2, H / 2]);
    expect(f.data).toEqual(
      Array.from(readNpy(join(dir, 'half.npy')).data).slice(0, (H / 2) * (W / 2)),
    );
  });
  // PYME tile pyramids written by real PYME (python-microscopy 26.9.3): the codecs package's setup
  // script and generator, which writes each level's expected pixels (from PYME's own tiles) beside
  // the pyramid. No skip: if PYME cannot be set up the test fails.
  describe('PYME tile pyramid', () => {
    let out: string;
    const levelPixels = (name: string, level: number) => {
      const b = readFileSync(join(out, `${name}-level${level}.f32`));
      return Array.from(
        new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
      );
    };
    beforeAll(() => {
      const codecs = join(repoRoot, 'packages', 'codecs');
      const [py, src] = execFileSync('sh', [join(codecs, 'scripts/setup-pyme.sh')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: 900_000,
      })
        .trim()
        .split('\n')
        .slice(-2) as [string, string];
      out = tempDir();
      const r = spawnSync(py, [join(codecs, 'test/python/pyme_pyramid.py'), out], {
        encoding: 'utf8',
        env: { ...process.env, PYTHONPATH: src },
        timeout: 300_000,
      });
      if (r.status !== 0) throw new Error(`pyme_pyramid.py failed:\n${r.stderr}`);
    }, 900_000);

    const level = (n: number) =>
      page.waitForFunction(
        (k) =>
          (window as never as { pymecompressViewer: { frame: { level: number } } })
            .pymecompressViewer.frame?.level === k,
        n,
      );

    it('opens through pymecompress view; zooming out picks the levels by their 2× scale', async () => {
      const s = await serve(join(out, 'current'));
      await page.goto(s.url);
      await ready();
      const meta = (await hook('meta')) as { kind: string; levels: { width: number }[] };
      expect(meta.kind).toBe('pyme-pyramid');
      expect(meta.levels.map((l) => l.width)).toEqual([192, 128, 64]);
      let f = await frame();
      expect([f.width, f.height, f.level]).toEqual([192, 192, 0]);
      expect(f.data).toEqual(levelPixels('current', 0));
      expect(f.data.some((v) => v > 0)).toBe(true);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'pyme-pyramid.png') });
      // Zooming out step by step: the level on screen is always the one PYME's 2^n binning calls
      // for (the padded sizes, 192 → 128 → 64, would give 1.5 and 3 and the wrong level at some
      // zooms), and each level's pixels are PYME's. From 1:1, '-' (×0.8) passes 0.64 and 0.33.
      await page.locator('#canvas').focus();
      await page.keyboard.press('1');
      expect(((await hook('view')) as { zoom: number }).zoom).toBe(1);
      const seen = new Set<number>();
      for (let i = 0; i < 40; i++) {
        const zoom = ((await hook('view')) as { zoom: number }).zoom;
        const want = Math.max(0, Math.min(2, Math.floor(-Math.log2(zoom) + 1e-4)));
        // Let the debounced (60 ms) region request for this zoom go out before looking.
        await page.waitForTimeout(250);
        await level(want);
        await ready();
        expect(((await frame()) as { level: number }).level).toBe(want);
        await ready();
        if (!seen.has(want)) {
          seen.add(want);
          f = await frame();
          const side = [192, 128, 64][want]!;
          expect([f.width, f.height, f.x0, f.y0]).toEqual([side, side, 0, 0]);
          expect(f.data).toEqual(levelPixels('current', want));
        }
        if (zoom < 0.2) break;
        await page.keyboard.press('-');
      }
      expect([...seen]).toEqual([0, 1, 2]);
    });

    it('opens by ?url= from another loopback server (FetchStore over HTTP)', async () => {
      const far = await staticServer(out);
      try {
        const s = await serve(out);
        await page.goto(`${s.origin}/?url=${encodeURIComponent(`${far.origin}/current`)}`);
        await ready();
        expect(((await hook('meta')) as { kind: string }).kind).toBe('pyme-pyramid');
        const f = await frame();
        expect([f.width, f.height, f.level]).toEqual([192, 192, 0]);
        expect(f.data).toEqual(levelPixels('current', 0));
      } finally {
        await far.close();
      }
    });

    it.each(['current', 'legacy'])(
      'opens the %s key schema through the folder picker',
      async (name) => {
        const s = await serve(out);
        await page.goto(`${s.origin}/`);
        await page.setInputFiles('#folder', join(out, name));
        await ready();
        const f = await frame();
        expect(f.level).toBe(0);
        expect(f.data).toEqual(levelPixels(name, 0));
      },
    );
  });
});
