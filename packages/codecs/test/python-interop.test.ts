/**
 * Interop with the real Python stack (pymecompress 0.3.6 + numcodecs + zarr-python 2.x):
 * Python-written Zarr arrays and PZF frames read in Node, Node-written ones read in Python.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSystemStore } from '@zarrita/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { decodePzf, encodePzf, Huffman, HuffmanQuant16, type PzfTypedArray } from '../src/index.js';
import { writeZarrV2Array } from '../src/node.js';
import { register } from '../src/zarr.js';
import { readTyped, runPython, SKIP_PYTHON, tempDir } from './helpers.js';

interface ZarrEntry {
  name: string;
  shape: number[];
  chunks: number[];
  dtype: string;
  config: { id: string; offset?: number; scale?: number };
  input: string;
  expected?: string;
  pyme?: string;
  numcodecs?: string;
}
interface PzfEntry {
  name: string;
  shape: number[];
  dtype: string;
  order: 'C' | 'F';
  input: string;
  expected: string;
  options: Record<string, number>;
}

const d = SKIP_PYTHON ? describe.skip : describe;

let dir: string;
let manifest: { zarr: ZarrEntry[]; pzf: PzfEntry[] };

beforeAll(() => {
  if (SKIP_PYTHON) return;
  dir = tempDir('pyfx');
  runPython('gen_fixtures.py', [dir]);
  manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  register();
}, 900_000);

d('Python-written fixtures read in Node', () => {
  it('has fixtures for both codecs, uint8 and uint16', () => {
    expect(manifest.zarr.length).toBeGreaterThanOrEqual(8);
    expect(new Set(manifest.zarr.map((e) => e.config.id))).toEqual(
      new Set(['pymecompress-huffman', 'pymecompress-quant16']),
    );
    expect(manifest.pzf.length).toBeGreaterThanOrEqual(30);
  });

  it('reads every zarr-python array with zarrita (whole chunks, element-count trailers)', async () => {
    for (const e of manifest.zarr) {
      const arr = await zarr.open.v2(new FileSystemStore(join(dir, 'zarr', e.name)), {
        kind: 'array',
      });
      expect(arr.shape).toEqual(e.shape);
      const got = await zarr.get(arr);
      const expected = readTyped(join(dir, e.expected ?? e.pyme!), e.dtype);
      expect(Array.from(got.data as Uint16Array), e.name).toEqual(Array.from(expected));
    }
  });

  it("reproduces the Python codec's own values with dequantization: 'numcodecs'", async () => {
    for (const e of manifest.zarr.filter((x) => x.numcodecs)) {
      const store = new FileSystemStore(join(dir, 'zarr', e.name));
      const codec = HuffmanQuant16.fromConfig(
        e.config,
        { dataType: 'uint16', shape: e.chunks },
        { dequantization: 'numcodecs' },
      );
      const chunk = await codec.decode((await store.get('/0.0'))!);
      const all = readTyped(join(dir, e.numcodecs!), 'uint16') as Uint16Array;
      const [, w] = e.shape as [number, number];
      const [ch, cw] = e.chunks as [number, number];
      const view = new Uint16Array(chunk.buffer, chunk.byteOffset, ch * cw);
      for (let r = 0; r < ch; r++) {
        expect(Array.from(view.subarray(r * cw, (r + 1) * cw))).toEqual(
          Array.from(all.subarray(r * w, r * w + cw)),
        );
      }
    }
  });

  it('decodes a Python uint16 Huffman chunk whole, which Python itself cannot', async () => {
    const e = manifest.zarr.find((x) => x.name === 'py_u16_huffman')!;
    const raw = readFileSync(join(dir, 'zarr', e.name, '0.0'));
    const trailer = raw.readUInt32LE(raw.length - 4);
    expect(trailer).toBe(16 * 16); // element count, not bytes
    const codec = Huffman.fromConfig(
      { id: 'pymecompress-huffman' },
      { dataType: 'uint16', shape: [16, 16] },
    );
    expect((await codec.decode(raw)).length).toBe(512);
    // Without the chunk's dtype the trailer is a byte count, as in Python: half the chunk.
    expect(new Huffman().decodeSync(raw).length).toBe(256);
  });

  it("decodes every PYME-layout PZF frame to exactly PYME's values", () => {
    for (const e of manifest.pzf) {
      const bytes = readFileSync(join(dir, 'pzf', `${e.name}.pzf`));
      const f = decodePzf(bytes, { order: 'C' });
      const expected = readTyped(join(dir, e.expected), e.dtype);
      expect(f.dtype, e.name).toBe(e.dtype);
      const shape3 = [e.shape[0], e.shape[1], e.shape[2] ?? 1];
      expect(f.shape, e.name).toEqual(shape3);
      expect(Array.from(f.data), e.name).toEqual(Array.from(expected));
      expect(f.frameNum).toBe(e.options.frameNum ?? 0);
      expect(f.version).toBe(e.options.version ?? 3);
      if (e.name.startsWith('u8_')) {
        expect(f.sequenceId).toBe(-1234567890123n);
        expect(f.frameTimestamp).toBe(2n ** 63n + 5n);
      }
    }
  });

  it('re-encodes the unquantized frames byte-for-byte as the PYME-layout writer does', () => {
    let compared = 0;
    for (const e of manifest.pzf) {
      if (e.options.quantization || (e.options.version ?? 3) !== 3) continue;
      const input = readTyped(join(dir, e.input), e.dtype) as PzfTypedArray;
      const bytes = readFileSync(join(dir, 'pzf', `${e.name}.pzf`));
      // The fixture's input file is C order; PZF 'F' frames store F order.
      const shape3: [number, number, number] = [e.shape[0]!, e.shape[1]!, e.shape[2] ?? 1];
      const data = e.order === 'F' ? transposeC2F(input, shape3) : input;
      const ours = encodePzf(data, {
        shape: e.shape,
        order: e.order,
        compression: (['raw', 'huffman', 'huffman-chunked'] as const)[e.options.compression ?? 0],
        sequenceId: e.options.sequenceID ?? 0,
        frameNum: e.options.frameNum ?? 0,
        frameTimestamp: e.name.startsWith('u8_') ? 2n ** 63n + 5n : 0,
      });
      expect(Buffer.from(ours).equals(bytes), e.name).toBe(true);
      compared++;
    }
    expect(compared).toBe(16);
  });
});

function transposeC2F<T extends PzfTypedArray>(a: T, [w, h, d]: [number, number, number]): T {
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let i = 0; i < w; i++)
    for (let j = 0; j < h; j++)
      for (let k = 0; k < d; k++) out[i + w * (j + h * k)] = a[(i * h + j) * d + k]!;
  return out;
}

interface ReportEntry {
  name: string;
  ok: boolean;
  detail: unknown;
}

d('Node-written arrays and frames read in Python', () => {
  let report: Map<string, ReportEntry>;
  const nodeZarr: Array<Record<string, unknown>> = [];
  const nodePzf: Array<{ name: string; frame: ReturnType<typeof decodePzf> }> = [];

  beforeAll(async () => {
    mkdirSync(join(dir, 'pzf'), { recursive: true });
    const byName = new Map(manifest.zarr.map((e) => [e.name, e]));
    const u8 = byName.get('py_u8_huffman')!;
    const u16 = byName.get('py_u16_huffman')!;
    const u16_3d = byName.get('py_u16_huffman_3d')!;
    const cases: Array<{
      name: string;
      src: ZarrEntry;
      codec: Huffman | HuffmanQuant16;
      shape?: number[];
      chunks?: number[];
    }> = [
      { name: 'node_u8_huffman', src: u8, codec: new Huffman() },
      { name: 'node_u16_huffman', src: u16, codec: new Huffman() },
      { name: 'node_u16_huffman_3d', src: u16_3d, codec: new Huffman() },
    ];
    for (const e of manifest.zarr.filter((x) => x.config.id === 'pymecompress-quant16')) {
      const cfg = { offset: e.config.offset!, scale: e.config.scale! };
      cases.push({ name: e.name.replace('py_', 'node_'), src: e, codec: new HuffmanQuant16(cfg) });
      const n = e.shape[0]! * e.shape[1]!;
      cases.push({
        name: `${e.name.replace('py_', 'node_')}_1d`,
        src: e,
        codec: new HuffmanQuant16(cfg),
        shape: [n],
        chunks: [500],
      });
    }
    for (const c of cases) {
      const input = readTyped(join(dir, c.src.input), c.src.dtype) as Uint8Array | Uint16Array;
      const shape = c.shape ?? c.src.shape;
      const chunks = c.chunks ?? c.src.chunks;
      await writeZarrV2Array(
        join(dir, 'zarr', c.name),
        { data: input, shape },
        { chunks, codec: c.codec },
      );
      const entry: Record<string, unknown> = {
        name: c.name,
        shape,
        chunks,
        dtype: c.src.dtype,
        config: c.codec.toJSON(),
        input: c.src.input,
      };
      if (c.name === 'node_u8_huffman') entry.compare_chunks_with = join('zarr', 'py_u8_huffman');
      if (c.codec instanceof HuffmanQuant16) {
        // What Python's codec should return: our streams, dequantized the numcodecs way.
        register(undefined, { dequantization: 'numcodecs' });
        const arr = await zarr.open.v2(new FileSystemStore(join(dir, 'zarr', c.name)), {
          kind: 'array',
        });
        const got = await zarr.get(arr);
        register();
        entry.numcodecs = `${c.name}.numcodecs.bin`;
        const g = got.data as Uint16Array;
        writeFileSync(
          join(dir, entry.numcodecs as string),
          new Uint8Array(g.buffer, g.byteOffset, g.byteLength),
        );
      }
      nodeZarr.push(entry);
    }
    // PZF: every Python fixture's input re-encoded by us, quantized ones included.
    for (const e of manifest.pzf) {
      const input = readTyped(join(dir, e.input), e.dtype) as PzfTypedArray;
      const o = e.options;
      const bytes = encodePzf(input, {
        shape: e.shape,
        compression: (['raw', 'huffman', 'huffman-chunked'] as const)[o.compression ?? 0],
        quantization: o.quantization
          ? { offset: o.quantizationOffset ?? 0, scale: o.quantizationScale ?? 1 }
          : null,
        frameNum: o.frameNum ?? 0,
      });
      const name = `nodepzf_${e.name}`;
      writeFileSync(join(dir, 'pzf', `${name}.pzf`), bytes);
      nodePzf.push({ name, frame: decodePzf(bytes, { order: 'C' }) });
    }
    writeFileSync(
      join(dir, 'node-manifest.json'),
      JSON.stringify({ zarr: nodeZarr, pzf: nodePzf.map((p) => ({ name: p.name })) }),
    );
    runPython('check_node_outputs.py', [dir]);
    const r = JSON.parse(readFileSync(join(dir, 'python-report.json'), 'utf8')) as ReportEntry[];
    report = new Map(r.map((x) => [x.name, x]));
  }, 900_000);

  it("zarr-python reads our Huffman arrays (uint8 chunk files byte-identical to Python's)", () => {
    for (const name of ['node_u8_huffman', 'node_u16_huffman', 'node_u16_huffman_3d']) {
      const r = report.get(name)!;
      expect(r, name).toBeDefined();
      expect(r.ok, `${name}: ${JSON.stringify(r.detail)}`).toBe(true);
    }
    const u8 = report.get('node_u8_huffman')!.detail as {
      identical_chunk_files: number;
      chunk_files: number;
    };
    expect(u8.chunk_files).toBe(9);
    expect(u8.identical_chunk_files).toBe(9);
  });

  it("Python's quant16 codec decodes our streams (1-D whole, 2-D partial reads); quantizer within ±1 of the reference's AVX path", () => {
    const q = [...report.values()].filter((r) => r.name.startsWith('node_quant16_'));
    expect(q.length).toBe(10);
    for (const r of q) expect(r.ok, `${r.name}: ${JSON.stringify(r.detail)}`).toBe(true);
  });

  it('PYME-layout reader loads every frame we write to the values we decode', () => {
    for (const p of nodePzf) {
      const r = report.get(p.name)!;
      expect(r.ok, `${p.name}: ${JSON.stringify(r.detail)}`).toBe(true);
      const py = readTyped(join(dir, 'pzf', `${p.name}.pyout.bin`), p.frame.dtype);
      expect(Array.from(py), p.name).toEqual(Array.from(p.frame.data));
    }
    expect(nodePzf.length).toBe(manifest.pzf.length);
  });
});
