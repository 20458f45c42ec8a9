/**
 * PYME tile pyramids written by PYME's own `ImagePyramid` + `save_zarr_metadata` (python-microscopy
 * 26.9.3, set up by scripts/setup-pyme.sh) read through zarrita + `pymePyramidStore`, compared
 * with PYME's tiles read by `PZFFormat.loads` (test/python/pyme_pyramid.py).
 */
import { join } from 'node:path';
import { FileSystemStore } from '@zarrita/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { formatKeySchema, parseKeySchema } from '../src/pyramid-store.js';
import { pymePyramidStore, register } from '../src/zarr.js';
import { SKIP_PYTHON, tempDir } from './helpers.js';
import { expectedLevel, type PyramidManifest, writePymePyramids } from './pyme-fixture.js';

let out = '';
let manifest: PyramidManifest[] = [];

beforeAll(() => {
  register();
  if (SKIP_PYTHON) return;
  ({ out, manifest } = writePymePyramids());
});

describe('key schemas (Python str.format subset)', () => {
  const f = { level: 2, z: 0, x: 7, y: 12, suff: 'img', ext: '.pzf' };
  it('formats the current and legacy PYME schemas as Python does', () => {
    expect(formatKeySchema('{level:d}/{z:03d}/{x:03d}/{y:03d}_{suff}{ext}', f)).toBe(
      '2/000/007/012_img.pzf',
    );
    expect(formatKeySchema('{level:d}/{x:03d}/{x:03d}_{y:03d}_{suff}{ext}', f)).toBe(
      '2/007/007_012_img.pzf',
    );
    // '{:>5d}', '{:*^7}', '{:+d}', '{{' escapes, as Python's format gives them.
    expect(formatKeySchema('{x:>5d}|{suff:*^7}|{y:+d}|{{z}}|{x:<4d}|{y:x<4}', f)).toBe(
      '    7|**img**|+12|{z}|7   |12xx',
    );
  });
  it('refuses unknown fields and specs with a typed error', () => {
    for (const s of ['{level}/{t}', '{x:08.2f}', '{x', 'a}b']) {
      expect(() => parseKeySchema(s)).toThrowError(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    }
  });
});

describe.skipIf(SKIP_PYTHON)('pyramids written by real PYME', () => {
  it('read exactly through zarrita + pymePyramidStore (current and legacy key schema)', async () => {
    expect(manifest.map((m) => m.name)).toEqual(['current', 'legacy']);
    for (const m of manifest) {
      const store = pymePyramidStore(new FileSystemStore(join(out, m.name)));
      const group = await zarr.open.v2(zarr.root(store), { kind: 'group' });
      expect((group.attrs as { pyme: { key_schema: string } }).pyme.key_schema).toBe(m.key_schema);
      for (const l of m.levels) {
        const arr = await zarr.open.v2(zarr.root(store).resolve(String(l.level)), {
          kind: 'array',
        });
        expect(arr.shape).toEqual(l.shape);
        expect(arr.dtype).toBe('float32');
        const got = await zarr.get(arr);
        const want = expectedLevel(out, m.name, l.level);
        const data = got.data as Float32Array;
        expect(data.length).toBe(want.length);
        let diff = 0;
        for (let i = 0; i < want.length; i++) if (!Object.is(data[i], want[i])) diff++;
        expect(diff).toBe(0);
        expect(data.some((v) => v > 0)).toBe(true);
      }
      // Level 0 has a tile PYME never wrote: it reads as the fill value.
      const l0 = m.levels[0]!;
      expect(l0.tiles).toBeLessThan(9); // a 3 x 3 tile grid
    }
  });

  it('a partial selection reads only its tiles; other keys pass through', async () => {
    const m = manifest[0]!;
    const inner = new FileSystemStore(join(out, m.name));
    const asked: string[] = [];
    const spy = {
      get: (k: `/${string}`) => {
        asked.push(k);
        return inner.get(k);
      },
    };
    const store = pymePyramidStore(spy);
    const arr = await zarr.open.v2(zarr.root(store).resolve('0'), { kind: 'array' });
    await zarr.get(arr, [0, zarr.slice(0, 10), zarr.slice(70, 80)]);
    expect(asked.filter((k) => k.endsWith('.pzf'))).toEqual(['/0/000/000/001_img.pzf']);
    expect(asked).toContain('/0/.zarray');
    expect(await store.tileKey('/1/0/1/0')).toBe('/1/000/001/000_img.pzf');
    expect(await store.tileKey('/0/.zarray')).toBeUndefined();
  });

  it('without a pyme block the wrapper is the plain store', async () => {
    const dir = tempDir('plain');
    const inner = new FileSystemStore(dir);
    await inner.set('/.zattrs', new TextEncoder().encode('{"a": 1}'));
    await inner.set('/0/0/0/0', new Uint8Array([1, 2]));
    const store = pymePyramidStore(inner);
    expect(await store.tileKey('/0/0/0/0')).toBeUndefined();
    expect(Array.from((await store.get('/0/0/0/0'))!)).toEqual([1, 2]);
  });
});
