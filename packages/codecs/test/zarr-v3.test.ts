/**
 * Zarr v3 (issue 12 item 5): arrays created by zarrita 0.5 and 0.7 with `zarrV3Codecs(...)` write
 * the `zarr.json` zarr-python 3 writes, round trip through `zarr.set` / `zarr.get` after
 * `register()` alone, and a flipped byte under `crc32c` fails with `ERR_CORRUPT_STREAM`.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSystemStore } from '@zarrita/storage';
import { describe, expect, it } from 'vitest';
import * as zarr07 from 'zarrita';
import * as zarr05 from 'zarrita-05';
import { Huffman, HuffmanQuant16, isPymecompressError, PymePzf } from '../src/index.js';
import { Crc32c, crc32c, REGISTERED_NAMES, register, zarrV3Codecs } from '../src/zarr.js';
import { cameraFrame, rng, tempDir } from './helpers.js';

/** Bitwise CRC-32C, the definition the table-driven one must match. */
function crc32cBitwise(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the check value and the bitwise definition, incrementally too', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    const r = rng(7);
    for (const n of [1, 3, 4, 5, 63, 64, 1000]) {
      const b = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
      expect(crc32c(b), `n=${n}`).toBe(crc32cBitwise(b));
      const cut = Math.floor(n / 3);
      expect(crc32c(b.subarray(cut), crc32c(b.subarray(0, cut)))).toBe(crc32cBitwise(b));
    }
  });

  it('codec: appends little-endian, verifies, refuses damage and short input with typed errors', () => {
    const c = Crc32c.fromConfig(undefined);
    const body = Uint8Array.from([1, 2, 3, 4, 5]);
    const enc = c.encode(body);
    expect(enc.length).toBe(9);
    expect(new DataView(enc.buffer).getUint32(5, true)).toBe(crc32c(body));
    expect(Array.from(c.decode(enc))).toEqual([1, 2, 3, 4, 5]);
    expect(c.computeEncodedSize(5)).toBe(9);
    for (let i = 0; i < enc.length; i++) {
      const bad = enc.slice();
      bad[i]! ^= 0x10;
      expect(() => c.decode(bad)).toThrow(expect.objectContaining({ code: 'ERR_CORRUPT_STREAM' }));
    }
    expect(() => c.decode(new Uint8Array(3))).toThrow(
      expect.objectContaining({ code: 'ERR_TRUNCATED_STREAM' }),
    );
    expect(Crc32c.fromConfig({}).toJSON()).toEqual({ name: 'crc32c' });
    expect(() => Crc32c.fromConfig({ x: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('zarrV3Codecs', () => {
  it('spells the codec list as zarr-python 3 does', () => {
    const bytes = { name: 'bytes', configuration: { endian: 'little' } };
    expect(zarrV3Codecs(new Huffman(), { dataType: 'uint16' })).toEqual([
      bytes,
      { name: 'numcodecs.pymecompress-huffman', configuration: {} },
      { name: 'crc32c' },
    ]);
    expect(zarrV3Codecs(new HuffmanQuant16({ offset: 100, scale: 2 }), { crc32c: false })).toEqual([
      bytes,
      { name: 'numcodecs.pymecompress-quant16', configuration: { offset: 100, scale: 2 } },
    ]);
    expect(zarrV3Codecs(new PymePzf(), { dataType: 'float32' })).toEqual([
      bytes,
      { name: 'numcodecs.pyme-pzf', configuration: {} },
      { name: 'crc32c' },
    ]);
    // zarr-python writes a 1-byte type's `bytes` codec without configuration.
    expect(zarrV3Codecs(new Huffman(), { dataType: 'uint8' })[0]).toEqual({ name: 'bytes' });
    expect(() => zarrV3Codecs({} as Huffman)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => zarrV3Codecs(new Huffman(), { dataType: 'nope' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });

  it('register() covers the names a v3 array looks up', () => {
    const fresh = new Map<string, () => Promise<unknown>>();
    register(fresh);
    expect([...fresh.keys()]).toEqual(REGISTERED_NAMES);
    for (const codec of [new Huffman(), new HuffmanQuant16(), new PymePzf()]) {
      for (const { name } of zarrV3Codecs(codec).slice(1)) expect(fresh.has(name), name).toBe(true);
    }
  });
});

// biome-ignore lint/suspicious/noExplicitAny: the two generations' APIs differ in spelling only
type Zarr = any;

interface Case {
  name: string;
  data: Uint8Array | Uint16Array | Int16Array | Float32Array;
  dtype: string;
  shape: number[];
  chunks: number[];
  codec: Huffman | HuffmanQuant16 | PymePzf;
  expected?: ArrayLike<number>;
}

function cases(): Case[] {
  const q = new HuffmanQuant16({ offset: 100, scale: 1 });
  const qdata = cameraFrame(40 * 20, 3, 100, 60000);
  const f32 = Float32Array.from(cameraFrame(2 * 16 * 16, 9), (v) => v / 7);
  return [
    {
      name: 'u16',
      data: cameraFrame(30 * 41, 1),
      dtype: 'uint16',
      shape: [30, 41],
      chunks: [8, 16],
      codec: new Huffman(),
    },
    {
      name: 'i16',
      data: Int16Array.from({ length: 6 * 7 * 5 }, (_, i) => i - 100),
      dtype: 'int16',
      shape: [6, 7, 5],
      chunks: [4, 3, 5],
      codec: new Huffman(),
    },
    {
      name: 'u8',
      data: Uint8Array.from({ length: 33 * 17 }, (_, i) => (i * 7) % 251),
      dtype: 'uint8',
      shape: [33, 17],
      chunks: [16, 16],
      codec: new Huffman(),
    },
    {
      name: 'q16',
      data: qdata,
      dtype: 'uint16',
      shape: [40, 20],
      chunks: [16, 16],
      codec: q,
      expected: q.decodeUint16Sync(q.encodeSync(qdata)),
    },
    {
      name: 'pzf',
      data: f32,
      dtype: 'float32',
      shape: [2, 16, 16],
      chunks: [1, 16, 16],
      codec: new PymePzf(),
    },
  ];
}

/** Chunk files below an array directory (everything but zarr.json). */
function chunkFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e !== 'zarr.json') out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const generations = [
  {
    name: 'zarrita 0.5',
    zarr: zarr05 as Zarr,
    create: (c: Case, codecs: unknown) => ({
      shape: c.shape,
      chunk_shape: c.chunks,
      data_type: c.dtype,
      codecs,
      fill_value: 0,
    }),
  },
  {
    name: 'zarrita 0.7',
    zarr: zarr07 as Zarr,
    create: (c: Case, codecs: unknown) => ({
      shape: c.shape,
      chunkShape: c.chunks,
      dtype: c.dtype,
      codecs,
      fillValue: 0,
    }),
  },
];

describe.each(generations)('Zarr v3 with $name', ({ name, zarr, create }) => {
  const write = async (dir: string, c: Case, crc: boolean) => {
    const codecs = zarrV3Codecs(c.codec, { dataType: c.dtype, crc32c: crc });
    const root = zarr.root(new FileSystemStore(dir));
    const arr = await zarr.create(root.resolve(c.name), create(c, codecs));
    await zarr.set(arr, null, {
      data: c.data,
      shape: c.shape,
      stride: c.shape.map((_, i) => c.shape.slice(i + 1).reduce((a, b) => a * b, 1)),
    });
    return codecs;
  };
  const read = async (dir: string, c: Case) => {
    const root = zarr.root(new FileSystemStore(dir));
    return (await zarr.get(await zarr.open.v3(root.resolve(c.name), { kind: 'array' }))).data;
  };

  it('round trips every codec, with and without crc32c; zarr.json is zarr-python shaped', async () => {
    register(zarr.registry);
    for (const crc of [true, false]) {
      const dir = tempDir(`v3-${name.replace(' ', '')}`);
      for (const c of cases()) {
        const codecs = await write(dir, c, crc);
        const meta = JSON.parse(readFileSync(join(dir, c.name, 'zarr.json'), 'utf8'));
        expect(meta.zarr_format).toBe(3);
        expect(meta.codecs, c.name).toEqual(codecs);
        const got = await read(dir, c);
        expect(got.constructor, c.name).toBe(c.data.constructor);
        expect(Array.from(got as ArrayLike<number>), c.name).toEqual(
          Array.from(c.expected ?? c.data),
        );
        const files = chunkFiles(join(dir, c.name));
        expect(files.length, c.name).toBeGreaterThan(0);
        if (crc) {
          for (const f of files) {
            const b = readFileSync(f);
            expect(b.readUInt32LE(b.length - 4)).toBe(crc32c(b.subarray(0, b.length - 4)));
          }
        }
      }
    }
  });

  it('a flipped byte under crc32c fails the read with ERR_CORRUPT_STREAM', async () => {
    register(zarr.registry);
    const dir = tempDir('v3-flip');
    for (const c of cases()) {
      await write(dir, c, true);
      const file = chunkFiles(join(dir, c.name))[0]!;
      const b = readFileSync(file);
      b[Math.floor(b.length / 2)]! ^= 0x01;
      writeFileSync(file, b);
      const err = await read(dir, c).then(
        () => undefined,
        (e: unknown) => e,
      );
      // zarrita 0.7 wraps codec errors in its CodecPipelineError (our error is the cause).
      const ours = isPymecompressError(err) ? err : (err as { cause?: unknown })?.cause;
      expect(isPymecompressError(ours, 'ERR_CORRUPT_STREAM'), `${c.name}: ${err}`).toBe(true);
      // The checksum caught it, not the codec behind it (which may not notice a changed byte).
      expect((ours as Error).message, c.name).toMatch(/^crc32c: checksum mismatch/);
    }
  });
});
