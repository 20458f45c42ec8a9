import { encodePzf } from '@pymecompress/codecs';
import { cameraQuantization, coreBackend, stepOfScale } from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { exportParams, noiseLens, sigmaGrid } from '../src/lens.js';
import { openNpy, parseNpyHeader } from '../src/sources/npy.js';
import { describeOme, omeSpatial } from '../src/sources/ome.js';
import { cropFrame } from '../src/sources/types.js';
import { fileStore, openZarr } from '../src/sources/zarr.js';
import { computeStats } from '../src/stats.js';
import { colourise, decimate, lut, scaledSize } from '../src/view/lut.js';
import {
  fitView,
  levelFor,
  levelScale,
  panBy,
  toImage,
  visibleRegion,
  zoomAt,
} from '../src/view/viewport.js';

describe('stats', () => {
  it('min, max, percentiles and histogram counts', () => {
    const d = new Uint16Array(10000);
    for (let i = 0; i < d.length; i++) d[i] = i % 1000;
    d[0] = 60000;
    const s = computeStats(d);
    expect([s.min, s.max, s.count]).toEqual([1 - 1, 60000, 10000]);
    // The histogram spans the contrast range widened by half (not the hot pixel at 60000).
    const [a, b] = s.histogramRange;
    expect(a).toBe(0);
    expect(b).toBeGreaterThan(s.high);
    expect(b).toBeLessThan(2000);
    expect(s.histogram.reduce((x, y) => x + y, 0)).toBe(9999);
    expect(s.high).toBeLessThan(1100);
    expect(s.low).toBeLessThanOrEqual(15);
  });
});

describe('viewport', () => {
  it('zooms about the cursor and pans in screen pixels', () => {
    const v = fitView(200, 100, 400, 400);
    expect(v.zoom).toBe(2);
    const before = toImage(v, 50, 70, 400, 400);
    const z = zoomAt(v, 1.25, 50, 70, 400, 400);
    const after = toImage(z, 50, 70, 400, 400);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
    expect(panBy(v, 20, -10)).toEqual({ zoom: 2, cx: 90, cy: 55 });
  });
  it('picks the level by zoom and a chunk-aligned visible region', () => {
    const levels = [
      { path: '0', width: 4096, height: 4096, chunkWidth: 256, chunkHeight: 256 },
      { path: '1', width: 2048, height: 2048, chunkWidth: 256, chunkHeight: 256 },
      { path: '2', width: 1024, height: 1024, chunkWidth: 256, chunkHeight: 256 },
    ];
    expect(levelFor(levels, 2)).toBe(0);
    expect(levelFor(levels, 0.5)).toBe(1);
    expect(levelFor(levels, 0.1)).toBe(2);
    const r = visibleRegion({ zoom: 1, cx: 1000, cy: 1000 }, levels, 0, 300, 300);
    expect(r).toEqual({ x0: 768, y0: 768, x1: 1280, y1: 1280 });
  });
  it("uses a level's own scale when padding makes its size lie (PYME pyramids)", () => {
    // PYME: level 0 192 wide, level 1 (binned 2×) padded to 128, level 2 (4×) to 64.
    const t = { chunkWidth: 64, chunkHeight: 64 };
    const levels = [
      { path: '0', width: 192, height: 192, ...t },
      { path: '1', width: 128, height: 128, scale: 2, ...t },
      { path: '2', width: 64, height: 64, scale: 4, ...t },
    ];
    expect(levelScale(levels, 1)).toEqual([2, 2]);
    expect(levelScale(levels.slice(0, 1), 0)).toEqual([1, 1]);
    expect(levelFor(levels, 0.6)).toBe(0); // 192/128 = 1.5 would pick level 1
    expect(levelFor(levels, 0.3)).toBe(1); // 192/64 = 3 would pick level 2
    expect(levelFor(levels, 0.25)).toBe(2);
    // Level-0 pixels 140..180 (20 screen pixels at zoom 0.5) are level-1 pixels 70..90: tile 64..128.
    const r = visibleRegion({ zoom: 0.5, cx: 160, cy: 160 }, levels, 1, 20, 20);
    expect(r).toEqual({ x0: 64, y0: 64, x1: 128, y1: 128 });
  });
});

describe('sources', () => {
  it('parses .npy headers and crops frames', () => {
    const text = "{'descr': '>u2', 'fortran_order': False, 'shape': (3, 4, 5), }";
    const header = new TextEncoder().encode(`${text.padEnd(118, ' ')}\n`);
    const b = new Uint8Array(10 + header.length);
    b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
    b.set(header, 10);
    expect(parseNpyHeader(b)).toEqual({
      descr: '>u2',
      fortranOrder: false,
      shape: [3, 4, 5],
      dataOffset: 10 + header.length,
    });
    const f = Uint16Array.from({ length: 20 }, (_, i) => i);
    expect(Array.from(cropFrame(f, 5, { x0: 1, y0: 2, x1: 3, y1: 4 }))).toEqual([11, 12, 16, 17]);
  });
});

describe('noise lens', () => {
  it('encodes as the CLI does and keeps the error within the bound', () => {
    const rows = 32;
    const cols = 40;
    const d = Uint16Array.from({ length: rows * cols }, (_, i) => 100 + ((i * 7919) % 3000));
    const p = { darkLevel: 100, gain: 2, step: 0.8 };
    const r = noiseLens(d, rows, cols, p, coreBackend);
    const q = cameraQuantization(p);
    const pzf = encodePzf(d, {
      shape: [rows, cols],
      order: 'C',
      compression: 'huffman',
      quantization: q,
    });
    expect(r.pzfBytes).toBe(pzf.length);
    expect(r.violations).toBe(0);
    expect(r.maxErrorOverBound).toBeLessThanOrEqual(1);
    expect(Number.isNaN(r.errorSigma[0])).toBe(true);
    expect(exportParams('data/a b.npy', p).command).toBe(
      "pymecompress compress 'data/a b.npy' -o 'data/a b.zarr' --dark-level 100 --gain 2 --step 0.8",
    );
    expect(stepOfScale(q.scale, 2)).toBeCloseTo(0.8, 12);
    const grid = sigmaGrid(q, 2);
    expect(grid[10]!.spacingSigma).toBeCloseTo(0.8, 1);
  });
});

describe('one-pass stats and colouring of 8/16-bit blocks', () => {
  // A seeded block with a long tail, so percentiles, histogram and clamping all matter.
  const block = (n: number) => {
    const d = new Uint16Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      d[i] = 100 + (s % 900) + (i % 997 === 0 ? 50000 : 0);
    }
    return d;
  };
  it('gives the same stats as the float path', () => {
    const d = block(200_000);
    const a = computeStats(d);
    const b = computeStats(Float64Array.from(d));
    expect([a.min, a.max, a.low, a.high, a.count]).toEqual([b.min, b.max, b.low, b.high, b.count]);
    expect(a.histogramRange).toEqual(b.histogramRange);
    // Integer blocks count each value in its display bin exactly.
    const [lo, hi] = a.histogramRange;
    const want = new Array<number>(256).fill(0);
    for (const v of d)
      if (v >= lo && v <= hi) want[Math.min(255, Math.floor(((v - lo) * 256) / (hi - lo)))]!++;
    expect(Array.from(a.histogram)).toEqual(want);
    const s = Int16Array.from(d, (v) => v - 30000);
    const c = computeStats(s);
    expect([c.min, c.max, c.count]).toEqual([b.min - 30000, b.max - 30000, b.count]);
  });
  it('colours through the per-value table as the direct mapping does', () => {
    const d = block(100_000);
    const t = lut('fire');
    const fast = colourise(d, 300, 700, t);
    const direct = colourise(Float64Array.from(d), 300, 700, t);
    expect(Array.from(fast)).toEqual(Array.from(direct));
    const s = Int8Array.from(d, (v) => (v % 256) - 128);
    expect(Array.from(colourise(s, -50, 60, t))).toEqual(
      Array.from(colourise(Float64Array.from(s), -50, 60, t)),
    );
  });
  it('decimates by nearest neighbour (pixel centres) to the screen resolution', () => {
    const d = new Uint16Array(8 * 4).map((_, i) => i);
    expect(scaledSize(8, 4, 0.5)).toEqual([4, 2]);
    expect(scaledSize(8, 4, 2)).toEqual([8, 4]);
    expect(Array.from(decimate(d, 8, 4, 4, 2))).toEqual([9, 11, 13, 15, 25, 27, 29, 31]);
    expect(decimate(d, 8, 4, 8, 4)).toBe(d);
  });
});

describe('OME axes and pixel sizes', () => {
  const ms = {
    axes: [
      { name: 'z', type: 'space', unit: 'micrometer' },
      { name: 'y', type: 'space', unit: 'nanometer' },
      { name: 'x', type: 'space', unit: 'nanometer' },
    ],
    datasets: [
      {
        path: 's0',
        coordinateTransformations: [
          { type: 'scale', scale: [0.2, 65, 65] },
          { type: 'translation', translation: [0, 10, 20] },
        ],
      },
      { path: 's1', coordinateTransformations: [{ type: 'scale', scale: [0.2, 130, 130] }] },
    ],
    coordinateTransformations: [{ type: 'scale', scale: [2, 1, 1] }],
  };
  it('composes level and multiscale transformations (scale then translation)', () => {
    const s = omeSpatial(ms, 3)!;
    expect(s.levels.map((l) => l.scale)).toEqual([
      [0.4, 65, 65],
      [0.4, 130, 130],
    ]);
    expect(s.levels[0]!.translation).toEqual([0, 10, 20]);
    expect(describeOme(s)).toEqual([
      ['axes', 'z (space, micrometer), y (space, nanometer), x (space, nanometer)'],
      ['pixel size', 'z 0.4 µm × y 65 nm × x 65 nm'],
      ['origin', 'z 0 µm, y 10 nm, x 20 nm'],
      ['level scales', 's0: 0.4 × 65 × 65; s1: 0.4 × 130 × 130'],
    ]);
  });
  it('is null without axes or transformations (NGFF < 0.4), ignores malformed ones', () => {
    expect(omeSpatial({ datasets: [{ path: '0' }] }, 2)).toBeNull();
    expect(omeSpatial(null, 2)).toBeNull();
    const s = omeSpatial(
      { datasets: [{ path: '0', coordinateTransformations: [{ type: 'scale', scale: [1] }] }] },
      2,
    )!;
    expect(s.levels[0]!.scale).toEqual([1, 1]);
    // Axes without transformations (PYME pyramids): the axes only, no pixel size.
    const p = omeSpatial({ axes: ['z', 'x', 'y'], datasets: [{ path: '0' }] }, 3)!;
    expect(describeOme(p)).toEqual([['axes', 'z, x, y']]);
  });
});

describe('sizes read from files: the one rule (codecs/untrusted, docs/FORMAT.md §5)', () => {
  const npy = (shape: string, dataBytes: number) => {
    const dict = `{'descr': '<u2', 'fortran_order': False, 'shape': (${shape}), }`;
    const header = `${dict.padEnd(118)}\n`;
    const head = new Uint8Array(10 + header.length);
    head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
    head.set(new TextEncoder().encode(header), 10);
    return new Blob([head, new Uint8Array(dataBytes)]);
  };
  it('refuses .npy frames that hold no pixels or are over 2 GiB, before reading them', async () => {
    await expect(openNpy('a.npy', npy('1000000, 0, 5', 0))).rejects.toMatchObject({
      code: 'ERR_VIEWER_INPUT',
      message: expect.stringContaining('hold no data'),
    });
    await expect(openNpy('b.npy', npy('65536, 32768', 0))).rejects.toMatchObject({
      message: expect.stringContaining('2 GiB'),
    });
    const ok = await openNpy('c.npy', npy('2, 3, 4', 48));
    expect(ok.meta.frames).toBe(2);
  });
  it('refuses a .zarray with impossible fields', async () => {
    const store = (zarray: unknown) =>
      fileStore(new Map([['.zarray', new Blob([JSON.stringify(zarray)])]]));
    const base = { zarr_format: 2, dtype: '<u2', compressor: null, fill_value: 0, order: 'C' };
    await expect(
      openZarr('x', store({ ...base, shape: [4, -1], chunks: [4, 4] }), coreBackend, null),
    ).rejects.toMatchObject({
      code: 'ERR_VIEWER_INPUT',
      message: expect.stringContaining('shape[1]'),
    });
    await expect(
      openZarr('x', store({ ...base, shape: [4, 4], chunks: [4, 0] }), coreBackend, null),
    ).rejects.toMatchObject({ message: expect.stringContaining('chunks[1] is 0') });
    await expect(
      openZarr('x', store({ ...base, shape: [9, 0, 4], chunks: [1, 1, 4] }), coreBackend, null),
    ).rejects.toMatchObject({ message: expect.stringContaining('hold no data') });
  });
});
