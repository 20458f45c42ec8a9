import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSystemStore } from '@zarrita/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { Huffman, HuffmanQuant16 } from '../src/index.js';
import { writeZarrV2Array } from '../src/node.js';
import { REGISTERED_NAMES, register, writeZarrV2 } from '../src/zarr.js';
import { cameraFrame, rng, tempDir } from './helpers.js';

beforeAll(() => register());

describe('register', () => {
  it("adds the three codecs to zarrita's registry under numcodecs.<id> and the bare id", async () => {
    for (const name of REGISTERED_NAMES) {
      const entry = await zarr.registry.get(name)!();
      expect(entry.kind).toBe('bytes_to_bytes');
    }
    expect(REGISTERED_NAMES).toEqual([
      'numcodecs.pymecompress-huffman',
      'pymecompress-huffman',
      'numcodecs.pymecompress-quant16',
      'pymecompress-quant16',
      'numcodecs.pyme-pzf',
      'pyme-pzf',
      'crc32c', // Zarr v3: our checking crc32c over zarrita's (src/zarr-v3.ts)
    ]);
  });

  it('registers into any Map and passes the chunk metadata through', async () => {
    const m = new Map<string, () => Promise<{ fromConfig(c: unknown, meta: unknown): unknown }>>();
    register(m, { dequantization: 'numcodecs', backend: 'core-ts' });
    const q = (await m.get('numcodecs.pymecompress-quant16')!()).fromConfig(
      { offset: 3, scale: 2 },
      { dataType: 'uint16', shape: [4, 4] },
    ) as HuffmanQuant16;
    expect(q).toBeInstanceOf(HuffmanQuant16);
    expect(q.toJSON()).toEqual({ id: 'pymecompress-quant16', offset: 3, scale: 2 });
    expect(q.dequantization).toBe('numcodecs');
    expect(q.backend.kind).toBe('core-ts');
  });
});

describe('Zarr v2 arrays on a local directory', () => {
  const cases = [
    {
      name: 'u8',
      data: Uint8Array.from({ length: 30 * 41 }, (_, i) => (i * 7) % 23),
      shape: [30, 41],
      chunks: [8, 16],
    },
    { name: 'u16', data: cameraFrame(30 * 41, 1), shape: [30, 41], chunks: [8, 16] },
    {
      name: 'i16-3d',
      data: Int16Array.from({ length: 6 * 7 * 5 }, (_, i) => i - 100),
      shape: [6, 7, 5],
      chunks: [4, 3, 5],
    },
    {
      name: 'f32',
      data: Float32Array.from({ length: 200 }, (_, i) => Math.sin(i)),
      shape: [200],
      chunks: [64],
    },
  ];
  for (const c of cases) {
    it(`writes and reads back ${c.name} with Huffman (edge chunks padded)`, async () => {
      const dir = join(tempDir('zarr'), c.name);
      await writeZarrV2Array(
        dir,
        { data: c.data, shape: c.shape },
        { chunks: c.chunks, codec: new Huffman(), attributes: { note: 'x' } },
      );
      const meta = JSON.parse(readFileSync(join(dir, '.zarray'), 'utf8'));
      expect(meta).toMatchObject({
        zarr_format: 2,
        compressor: { id: 'pymecompress-huffman' },
        chunks: c.chunks,
        shape: c.shape,
        order: 'C',
        filters: null,
      });
      const arr = await zarr.open.v2(new FileSystemStore(dir), { kind: 'array' });
      expect(arr.attrs).toEqual({ note: 'x' });
      const got = await zarr.get(arr);
      expect(Array.from(got.data as ArrayLike<number>)).toEqual(Array.from(c.data));
      // A partial selection decodes only the chunks it needs.
      if (c.shape.length === 2) {
        const row = await zarr.get(arr, [3, null]);
        expect(Array.from(row.data as ArrayLike<number>)).toEqual(
          Array.from(c.data.subarray(3 * c.shape[1]!, 4 * c.shape[1]!)),
        );
      }
    });
  }

  it('quant16 arrays read back dequantized (PYME formula), "/" separator, fill value', async () => {
    const dir = tempDir('zarrq');
    const data = cameraFrame(50 * 20, 3, 100, 60000);
    const codec = new HuffmanQuant16({ offset: 100, scale: 1 });
    await writeZarrV2Array(
      dir,
      { data, shape: [50, 20] },
      { chunks: [16, 16], codec, dimensionSeparator: '/', fillValue: 100 },
    );
    const arr = await zarr.open.v2(new FileSystemStore(dir), { kind: 'array' });
    const got = (await zarr.get(arr)).data as Uint16Array;
    // Same values as decoding the whole array in one chunk.
    const whole = codec.decodeUint16Sync(codec.encodeSync(data));
    expect(Array.from(got)).toEqual(Array.from(whole));
  });

  it('zarrita itself can write chunks of a v2 array with our codecs (zarr.set)', async () => {
    const dir = tempDir('zarrset');
    const data = cameraFrame(24 * 24, 5);
    await writeZarrV2Array(
      dir,
      { data: new Uint16Array(24 * 24), shape: [24, 24] },
      { chunks: [10, 10], codec: new Huffman() },
    );
    const store = new FileSystemStore(dir);
    const arr = await zarr.open.v2(store, { kind: 'array' });
    await zarr.set(arr, null, { data, shape: [24, 24], stride: [24, 1] });
    const got = await zarr.get(await zarr.open.v2(store, { kind: 'array' }));
    expect(Array.from(got.data as Uint16Array)).toEqual(Array.from(data));
    // The chunk zarrita wrote carries our byte-count trailer.
    const raw = readFileSync(join(dir, '0.0'));
    expect(raw.readUInt32LE(raw.length - 4)).toBe(200);
  });

  it('works as a bytes-to-bytes codec of a Zarr v3 array created by zarrita', async () => {
    const dir = tempDir('zarr3');
    const store = new FileSystemStore(dir);
    const arr = await zarr.create(store, {
      shape: [20, 30],
      chunkShape: [8, 8],
      dtype: 'uint16',
      codecs: [
        { name: 'bytes', configuration: { endian: 'little' } },
        { name: 'numcodecs.pymecompress-quant16', configuration: { offset: 100, scale: 1 } },
      ],
    });
    const data = cameraFrame(600, 9);
    await zarr.set(arr, null, { data, shape: [20, 30], stride: [30, 1] });
    const got = (await zarr.get(await zarr.open.v3(store, { kind: 'array' }))).data as Uint16Array;
    const c = new HuffmanQuant16({ offset: 100, scale: 1 });
    expect(Array.from(got)).toEqual(Array.from(c.decodeUint16Sync(c.encodeSync(data))));
  });

  it('writeZarrV2 validates its input', async () => {
    const store = { set() {} };
    const data = new Uint16Array(4);
    await expect(
      writeZarrV2(store, { data, shape: [4] }, { chunks: [2, 2], codec: new Huffman() }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(
      writeZarrV2(store, { data, shape: [5] }, { chunks: [2], codec: new Huffman() }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(
      writeZarrV2(
        store,
        { data: new Uint8Array(4), shape: [4] },
        { chunks: [2], codec: new HuffmanQuant16() },
      ),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    void rng;
  });
});
