/**
 * Both zarrita generations (issue 12 item 3): 0.5 hands `fromConfig` chunk metadata with
 * `data_type` and looks a v2 compressor up by its bare id; 0.7 hands `dataType` and looks up
 * `numcodecs.<id>`. The same Zarr v2 round trips run on each, with a spy on the registry recording
 * the names each generation asks for and the chunk metadata it passes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSystemStore } from '@zarrita/storage';
import { describe, expect, it } from 'vitest';
import * as zarr07 from 'zarrita';
import * as zarr05 from 'zarrita-05';
import { Huffman, HuffmanQuant16 } from '../src/index.js';
import { writeZarrV2Array } from '../src/node.js';
import { REGISTERED_NAMES, register } from '../src/zarr.js';
import { cameraFrame, tempDir } from './helpers.js';

interface Seen {
  looked: string[];
  metas: Record<string, unknown>[];
}

// biome-ignore lint/suspicious/noExplicitAny: the two generations' registry types differ
type Registry = Map<string, () => Promise<any>>;

/** Registers our codecs in `registry`, wrapping each entry to record its name and chunk metadata. */
function registerSpy(registry: Registry): Seen {
  const seen: Seen = { looked: [], metas: [] };
  const ours = new Map<string, () => Promise<{ fromConfig(c: unknown, m: unknown): unknown }>>();
  register(ours);
  for (const [name, load] of ours) {
    registry.set(name, async () => {
      seen.looked.push(name);
      const entry = await load();
      return {
        kind: 'bytes_to_bytes',
        fromConfig: (c: unknown, m: Record<string, unknown>) => {
          seen.metas.push(m);
          return entry.fromConfig(c, m);
        },
      };
    });
  }
  return seen;
}

const generations = [
  {
    name: 'zarrita 0.5',
    zarr: zarr05 as unknown as typeof zarr07,
    registry: zarr05.registry as unknown as Registry,
    id: (id: string) => id,
    metaKey: 'data_type',
  },
  {
    name: 'zarrita 0.7',
    zarr: zarr07,
    registry: zarr07.registry as unknown as Registry,
    id: (id: string) => `numcodecs.${id}`,
    metaKey: 'dataType',
  },
] as const;

describe.each(generations)('$name', ({ name, zarr, registry, id, metaKey }) => {
  it('register() covers the names it looks up (zarrita default registry too)', async () => {
    const fresh = new Map<string, () => Promise<unknown>>();
    register(fresh);
    expect([...fresh.keys()]).toEqual(REGISTERED_NAMES);
    for (const cid of [Huffman.codecId, HuffmanQuant16.codecId, 'pyme-pzf']) {
      expect(fresh.has(id(cid))).toBe(true);
    }
  });

  it('reads back Zarr v2 arrays written with our codecs (huffman u16 / i16, quant16)', async () => {
    const seen = registerSpy(registry);
    const base = tempDir(`gen-${name.replace(' ', '')}`);
    const u16 = cameraFrame(30 * 41, 1);
    await writeZarrV2Array(
      `${base}/u16`,
      { data: u16, shape: [30, 41] },
      { chunks: [8, 16], codec: new Huffman() },
    );
    const i16 = Int16Array.from({ length: 6 * 7 * 5 }, (_, i) => i - 100);
    await writeZarrV2Array(
      `${base}/i16`,
      { data: i16, shape: [6, 7, 5] },
      { chunks: [4, 3, 5], codec: new Huffman() },
    );
    const q = new HuffmanQuant16({ offset: 100, scale: 1 });
    const qdata = cameraFrame(50 * 20, 3, 100, 60000);
    await writeZarrV2Array(
      `${base}/q`,
      { data: qdata, shape: [50, 20] },
      { chunks: [16, 16], codec: q, dimensionSeparator: '/', fillValue: 100 },
    );

    const read = async (dir: string) =>
      (await zarr.get(await zarr.open.v2(new FileSystemStore(dir), { kind: 'array' }))).data;
    expect(Array.from((await read(`${base}/u16`)) as Uint16Array)).toEqual(Array.from(u16));
    expect(Array.from((await read(`${base}/i16`)) as Int16Array)).toEqual(Array.from(i16));
    const got = (await read(`${base}/q`)) as Uint16Array;
    expect(got).toBeInstanceOf(Uint16Array);
    expect(Array.from(got)).toEqual(Array.from(q.decodeUint16Sync(q.encodeSync(qdata))));

    // The names this generation asked the registry for, and the metadata spelling it passed.
    expect(new Set(seen.looked)).toEqual(
      new Set([id(Huffman.codecId), id(HuffmanQuant16.codecId)]),
    );
    expect(seen.metas.length).toBeGreaterThan(0);
    for (const m of seen.metas) expect(m).toHaveProperty(metaKey);
    expect(seen.metas.map((m) => m[metaKey])).toEqual(expect.arrayContaining(['uint16', 'int16']));
  });

  it('zarr.set writes chunks with our codec that read back', async () => {
    registerSpy(registry);
    const dir = tempDir('gen-set');
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
});
