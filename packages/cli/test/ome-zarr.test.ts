/**
 * `compress -o x.ome.zarr` (docs/FORMAT.md "OME-Zarr output"): the group metadata passes the
 * official OME-NGFF 0.4 JSON schemas (vendored in test/ngff-0.4, see SOURCE.md), every level
 * decodes to what an independent 2x2 mean binning of the input gives, tiles and edge padding
 * follow zarr's rules, and failures leave nothing behind. zarr-python's reading is in
 * python.test.ts (check_ome_zarr.py).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Huffman, HuffmanQuant16 } from '@pymecompress/codecs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkZarrLayout } from '../src/outputs/zarr-encode.js';
import { planZarr } from '../src/outputs.js';
import { cameraStack, cli, pkgRoot, tempDir, writeNpy } from './helpers.js';

const schemaDir = join(pkgRoot, 'test', 'ngff-0.4');
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, 'image.schema'), 'utf8')));
const validateImage = ajv.getSchema('https://ngff.openmicroscopy.org/0.4/schemas/image.schema')!;
const validateStrict = ajv.compile(
  JSON.parse(readFileSync(join(schemaDir, 'strict_image.schema'), 'utf8')),
);

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Naive reference binning: mean of the 2x2 block's existing pixels, rounded half up. */
function refBin(
  data: Uint16Array,
  h: number,
  w: number,
): { data: Uint16Array; h: number; w: number } {
  const h2 = Math.ceil(h / 2);
  const w2 = Math.ceil(w / 2);
  const out = new Uint16Array(h2 * w2);
  for (let i = 0; i < h2; i++)
    for (let j = 0; j < w2; j++) {
      let sum = 0;
      let n = 0;
      for (let di = 0; di < 2; di++)
        for (let dj = 0; dj < 2; dj++) {
          const y = 2 * i + di;
          const x = 2 * j + dj;
          if (y < h && x < w) {
            sum += data[y * w + x]!;
            n++;
          }
        }
      out[i * w2 + j] = Math.floor(sum / n + 0.5);
    }
  return { data: out, h: h2, w: w2 };
}

/** Reassembles a Zarr v2 uint16 array from its chunk files (decoding each with `decode`). */
function readArray(dir: string, decode: (b: Uint8Array, n: number) => Uint16Array): Uint16Array {
  const z = json(join(dir, '.zarray'));
  const shape: number[] = z.shape;
  const chunks: number[] = z.chunks;
  const sep: string = z.dimension_separator;
  const out = new Uint16Array(shape.reduce((a, b) => a * b, 1));
  const grid = shape.map((s, i) => Math.ceil(s / chunks[i]!));
  const chunkLen = chunks.reduce((a, b) => a * b, 1);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  for (;;) {
    const file = join(dir, ...idx.join(sep).split('/'));
    const chunk = decode(new Uint8Array(readFileSync(file)), chunkLen);
    // copy element by element (test code: clarity over speed)
    const pos = new Array<number>(rank).fill(0);
    for (let k = 0; k < chunkLen; k++) {
      let rem = k;
      for (let a = rank - 1; a >= 0; a--) {
        pos[a] = rem % chunks[a]!;
        rem = Math.floor(rem / chunks[a]!);
      }
      let flat = 0;
      let inside = true;
      for (let a = 0; a < rank; a++) {
        const g = idx[a]! * chunks[a]! + pos[a]!;
        if (g >= shape[a]!) inside = false;
        flat = flat * shape[a]! + g;
      }
      if (inside) out[flat] = chunk[k]!;
      else expect(chunk[k]).toBe(0); // edge padding is the fill value
    }
    let a = rank - 1;
    for (; a >= 0; a--) {
      if (++idx[a]! < grid[a]!) break;
      idx[a] = 0;
    }
    if (a < 0) break;
  }
  return out;
}

const lossless = (b: Uint8Array, n: number) => {
  const bytes = new Huffman({ dtype: '<u2', chunkShape: [n] }).decodeSync(b).slice();
  return new Uint16Array(bytes.buffer, 0, n);
};

const N = 3;
const H = 67;
const W = 45;
let dir: string;
let stack: Uint16Array;

beforeAll(() => {
  dir = tempDir();
  stack = cameraStack(N, H, W, 21);
  writeNpy(join(dir, 'stack.npy'), stack, [N, H, W]);
  writeNpy(join(dir, 'frame.npy'), stack.slice(0, H * W), [H, W]);
});

describe('compress -o .ome.zarr', () => {
  it('writes an NGFF 0.4 group the official schemas accept, levels binned 2x by mean', () => {
    const out = join(dir, 'pyr.ome.zarr');
    const r = cli([
      'compress',
      join(dir, 'stack.npy'),
      '-o',
      out,
      '--levels',
      '2',
      '--chunks',
      '2,32,32',
      '-q',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(join(out, '.zgroup'))).toEqual({ zarr_format: 2 });
    const attrs = json(join(out, '.zattrs'));
    expect(validateImage(attrs), JSON.stringify(validateImage.errors)).toBe(true);
    expect(validateStrict(attrs), JSON.stringify(validateStrict.errors)).toBe(true);
    const ms = attrs.multiscales[0];
    expect(ms.version).toBe('0.4');
    expect(ms.axes).toEqual([
      { name: 't', type: 'time' },
      { name: 'y', type: 'space' },
      { name: 'x', type: 'space' },
    ]);
    expect(ms.datasets).toEqual([
      { path: '0', coordinateTransformations: [{ type: 'scale', scale: [1, 1, 1] }] },
      {
        path: '1',
        coordinateTransformations: [
          { type: 'scale', scale: [1, 2, 2] },
          { type: 'translation', translation: [0, 0.5, 0.5] },
        ],
      },
      {
        path: '2',
        coordinateTransformations: [
          { type: 'scale', scale: [1, 4, 4] },
          { type: 'translation', translation: [0, 1.5, 1.5] },
        ],
      },
    ]);
    expect(attrs.pymecompress.writer).toMatch(/^@pymecompress\/cli /);
    // level arrays: '/'-nested keys, tiles clipped to small levels
    const z1 = json(join(out, '1', '.zarray'));
    expect(z1).toMatchObject({
      shape: [N, 34, 23],
      chunks: [2, 32, 23],
      dimension_separator: '/',
      compressor: { id: 'pymecompress-huffman' },
      dtype: '<u2',
      zarr_format: 2,
    });
    expect(readdirSync(join(out, '0')).sort()).toEqual(['.zarray', '0', '1']);
    expect(existsSync(join(out, '0', '1', '2', '1'))).toBe(true);
    // pixels: level 0 exact, lower levels equal to the reference binning of the level above
    type Ref = { data: Uint16Array; h: number; w: number };
    let ref: Ref = { data: stack, h: H, w: W };
    const frames = Array.from({ length: N }, (_, t) => stack.slice(t * H * W, (t + 1) * H * W));
    let refFrames: Ref[] = frames.map((f) => ({ data: f, h: H, w: W }));
    for (let level = 0; level <= 2; level++) {
      if (level > 0) refFrames = refFrames.map((f) => refBin(f.data, f.h, f.w));
      ref = {
        data: Uint16Array.from(refFrames.flatMap((f) => Array.from(f.data))),
        h: refFrames[0]!.h,
        w: refFrames[0]!.w,
      };
      const got = readArray(join(out, String(level)), lossless);
      expect(json(join(out, String(level), '.zarray')).shape).toEqual([N, ref.h, ref.w]);
      expect(got).toEqual(ref.data);
    }
  });

  it('a 2-D frame is y/x; --stack-axis z with sizes gives units and scales', () => {
    const f = join(dir, 'frame.ome.zarr');
    expect(cli(['compress', join(dir, 'frame.npy'), '-o', f, '--levels', '1', '-q']).code).toBe(0);
    const a = json(join(f, '.zattrs'));
    expect(validateStrict(a), JSON.stringify(validateStrict.errors)).toBe(true);
    expect(a.multiscales[0].axes.map((x: { name: string }) => x.name)).toEqual(['y', 'x']);
    expect(json(join(f, '0', '.zarray')).chunks).toEqual([H, W]);
    expect(readArray(join(f, '0'), lossless)).toEqual(stack.slice(0, H * W));
    expect(readArray(join(f, '1'), lossless)).toEqual(refBin(stack.slice(0, H * W), H, W).data);

    const z = join(dir, 'z.ome.zarr');
    const args = ['--stack-axis', 'z', '--pixel-size', '0.065', '--stack-step', '0.2', '-q'];
    expect(cli(['compress', join(dir, 'stack.npy'), '-o', z, ...args]).code).toBe(0);
    const ms = json(join(z, '.zattrs')).multiscales[0];
    expect(validateStrict(json(join(z, '.zattrs')))).toBe(true);
    expect(ms.axes).toEqual([
      { name: 'z', type: 'space', unit: 'micrometer' },
      { name: 'y', type: 'space', unit: 'micrometer' },
      { name: 'x', type: 'space', unit: 'micrometer' },
    ]);
    expect(ms.datasets[0].coordinateTransformations).toEqual([
      { type: 'scale', scale: [0.2, 0.065, 0.065] },
    ]);
    const t = join(dir, 't.ome.zarr');
    expect(
      cli(['compress', join(dir, 'stack.npy'), '-o', t, '--stack-step', '0.05', '-q']).code,
    ).toBe(0);
    expect(json(join(t, '.zattrs')).multiscales[0].axes[0]).toEqual({
      name: 't',
      type: 'time',
      unit: 'second',
    });
  });

  it('quantized: every level is the binned raw data quantized with the same parameters', () => {
    const out = join(dir, 'q.ome.zarr');
    const q = ['--offset', '100', '--scale', '1.5'];
    expect(
      cli(['compress', join(dir, 'stack.npy'), '-o', out, ...q, '--levels', '1', '-q']).code,
    ).toBe(0);
    const z1 = json(join(out, '1', '.zarray'));
    expect(z1.compressor).toEqual({ id: 'pymecompress-quant16', offset: 100, scale: 1.5 });
    const decodeQ = (b: Uint8Array, n: number) =>
      new HuffmanQuant16({
        offset: 100,
        scale: 1.5,
        dtype: '<u2',
        chunkShape: [n],
      }).decodeUint16Sync(b);
    const frame1 = stack.slice(H * W, 2 * H * W);
    const binned = refBin(frame1, H, W);
    const expected = new HuffmanQuant16({
      offset: 100,
      scale: 1.5,
      dtype: '<u2',
      chunkShape: [binned.data.length],
    }).decodeUint16Sync(
      new HuffmanQuant16({
        offset: 100,
        scale: 1.5,
        dtype: '<u2',
        chunkShape: [binned.data.length],
      }).encodeSync(binned.data),
    );
    const got = readArray(join(out, '1'), decodeQ);
    expect(got.slice(binned.data.length, 2 * binned.data.length)).toEqual(expected);
  });

  it('--force replaces a group of ours; a failure leaves no group and no temporary', () => {
    const out = join(dir, 'again.ome.zarr');
    expect(cli(['compress', join(dir, 'frame.npy'), '-o', out, '-q']).code).toBe(0);
    expect(cli(['compress', join(dir, 'stack.npy'), '-o', out, '-q']).code).toBe(4);
    expect(cli(['compress', join(dir, 'stack.npy'), '-o', out, '-q', '-f']).code).toBe(0);
    expect(json(join(out, '0', '.zarray')).shape).toEqual([N, H, W]);

    const failed = join(dir, 'failed.ome.zarr');
    const r = cli(['compress', join(dir, 'stack.npy'), '-o', failed, '--levels', '1', '-q'], {
      PYMECOMPRESS_CLI_TEST_FAIL_AFTER_FRAMES: '2',
    });
    expect(r.code).toBe(1);
    expect(existsSync(failed)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('failed'))).toEqual([]);
  });

  it('refuses bad options with exit 2 before writing anything', () => {
    const s = join(dir, 'stack.npy');
    const cases: [string[], RegExp][] = [
      [['-o', join(dir, 'a.zarr'), '--levels', '1'], /--levels needs an \.ome\.zarr output/],
      [['-o', join(dir, 'a.pzf'), '--frame', '0', '--chunks', '1,8,8'], /--chunks needs/],
      [['-o', join(dir, 'a.ome.zarr'), '--chunks', '0,8,8'], /--chunks 0,8,8/],
      [['-o', join(dir, 'a.ome.zarr'), '--chunks', '1,8'], /./], // (accepted: H,W) — see below
      [['-o', join(dir, 'b.ome.zarr'), '--chunks', '1,2,3,4'], /expected T,H,W or H,W/],
      [['-o', join(dir, 'c.ome.zarr'), '--levels', '7'], /halves to one pixel/],
      [['-o', join(dir, 'd.ome.zarr'), '--levels=-1'], /--levels -1/],
      [['-o', join(dir, 'e.ome.zarr'), '--stack-axis', 'c'], /--stack-axis c/],
      [['-o', join(dir, 'f.ome.zarr'), '--pixel-size', '0'], /--pixel-size 0/],
      [['-o', join(dir, 'g.ome.zarr'), '--pixel-size', '1,2,3'], /--pixel-size/],
      [['-o', join(dir, 'h.ome.zarr'), '--stack-step', 'x'], /--stack-step x/],
      [['-o', join(dir, 'i.ome.zarr'), '--chunks', '4000,4000,4000'], /./], // (accepted: clipped)
    ];
    for (const [args, msg] of cases) {
      const r = cli(['compress', s, ...args, '-q']);
      const out = args[1]!;
      if (args.includes('1,8') || args.includes('4000,4000,4000')) {
        // H,W chunks mean one frame per chunk; huge extents clip to the array
        expect(r.code, r.stderr).toBe(0);
        continue;
      }
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(existsSync(out)).toBe(false);
    }
    expect(json(join(dir, 'a.ome.zarr', '0', '.zarray')).chunks).toEqual([1, 1, 8]);
  });

  it('refuses a chunk too large for a reader (2 GiB) or a slab too large for memory', () => {
    const layout = (frames: number, h: number, w: number, chunks: number[]) =>
      planZarr({ frames, height: h, width: w, stack: true, chunks, levels: 0, ome: true });
    const big = layout(4, 40000, 40000, [2, 40000, 40000]);
    expect(() => checkZarrLayout(big, 40000 * 40000 * 2, 2)).toThrow(/exceeds the limit/);
    const deep = layout(100000, 2048, 2048, [1000, 16, 16]);
    expect(() => checkZarrLayout(deep, 2048 * 2048 * 2, 2)).toThrow(/frames per chunk need/);
    expect(() => checkZarrLayout(layout(8, 64, 64, [8, 64, 64]), 64 * 64 * 2, 2)).not.toThrow();
  });
});

describe('compress -o .zarr --chunks (plain Zarr v2)', () => {
  it("tiles with '.' keys, readable chunk by chunk", () => {
    const out = join(dir, 'tiled.zarr');
    expect(
      cli(['compress', join(dir, 'stack.npy'), '-o', out, '--chunks', '1,32,16', '-q']).code,
    ).toBe(0);
    const z = json(join(out, '.zarray'));
    expect(z).toMatchObject({ chunks: [1, 32, 16], dimension_separator: '.', shape: [N, H, W] });
    expect(existsSync(join(out, '2.2.2'))).toBe(true);
    expect(existsSync(join(out, '.zgroup'))).toBe(false);
    expect(readArray(out, lossless)).toEqual(stack);
  });

  it('writes the same .zarray and chunk bytes as the library writer (one writer, issue 15 item 7)', async () => {
    const out = join(dir, 'same.zarr');
    expect(
      cli(['compress', join(dir, 'stack.npy'), '-o', out, '--chunks', '2,32,45', '-q']).code,
    ).toBe(0);
    const lib = join(dir, 'lib.zarr');
    const { writeZarrV2Array } = await import('@pymecompress/codecs/node');
    await writeZarrV2Array(
      lib,
      { data: stack, shape: [N, H, W] },
      { chunks: [2, 32, 45], codec: new Huffman() },
    );
    const names = readdirSync(lib).sort();
    expect(names).toEqual(
      readdirSync(out)
        .filter((n) => n !== '.zattrs')
        .sort(),
    );
    for (const name of names)
      expect(readFileSync(join(out, name)), name).toEqual(readFileSync(join(lib, name)));
  });
});
