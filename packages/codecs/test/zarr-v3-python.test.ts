/**
 * Zarr v3 interop with zarr-python 3.1 (issue 12 item 5), in the separate venv of
 * scripts/setup-zarr3.sh (zarr 3 + numcodecs, the reference pymecompress 0.3.6 linked in), with
 * pymecompress's codecs registered for v3 by test/python/zarr3_codecs.py, the registration
 * docs/FORMAT.md "Zarr v3" gives Python users. Both ways, zarrita 0.5 and 0.7.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FileSystemStore } from '@zarrita/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import * as zarr07 from 'zarrita';
import * as zarr05 from 'zarrita-05';
import { Huffman, HuffmanQuant16, PymePzf } from '../src/index.js';
import { register, zarrV3Codecs } from '../src/zarr.js';
import { cameraFrame, HERE, PKG, readTyped, SKIP_PYTHON, tempDir } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: the two generations' APIs differ in spelling only
type Zarr = any;

const d = SKIP_PYTHON ? describe.skip : describe;
let py: string;
let dir: string;
/** PYME's sources (scripts/setup-pyme.sh): `check` reads pyme-pzf with PYME's own codec. */
let pymeSrc: string;

function runV3(mode: 'write' | 'check'): void {
  const r = spawnSync(py, [join(HERE, 'python', 'zarr3_interop.py'), mode, dir], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PYME_SRC: pymeSrc },
  });
  if (r.status !== 0)
    throw new Error(`zarr3_interop.py ${mode} failed (${r.status}):\n${r.stderr}`);
}

beforeAll(() => {
  if (SKIP_PYTHON) return;
  const out = execFileSync('sh', [join(PKG, 'scripts/setup-zarr3.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  });
  py = out.trim().split('\n').pop()!;
  const pyme = execFileSync('sh', [join(PKG, 'scripts/setup-pyme.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  });
  pymeSrc = pyme.trim().split('\n').pop()!;
  dir = tempDir('zarr3py');
  runV3('write');
  // zarr-python reads quant16 with numcodecs' dequantization; compare like with like.
  register(zarr07.registry, { dequantization: 'numcodecs' });
  register(zarr05.registry, { dequantization: 'numcodecs' });
}, 900_000);

const generations = [
  { name: 'zarrita 0.5', zarr: zarr05 as Zarr, v05: true },
  { name: 'zarrita 0.7', zarr: zarr07 as Zarr, v05: false },
];

interface PyEntry {
  name: string;
  shape: number[];
  dtype: string;
  lossless: boolean;
  codecs: Array<{ name: string; configuration?: Record<string, unknown> }>;
}

d('zarr-python 3 arrays read in Node', () => {
  it('zarrV3Codecs spells the codec lists exactly as zarr-python 3 writes them', () => {
    const man: PyEntry[] = JSON.parse(readFileSync(join(dir, 'py-manifest.json'), 'utf8'));
    const byName = new Map(man.map((e) => [e.name, e]));
    expect(byName.get('u16_huffman_crc')!.codecs).toEqual(
      zarrV3Codecs(new Huffman(), { dataType: 'uint16' }),
    );
    expect(byName.get('u8_huffman')!.codecs).toEqual(
      zarrV3Codecs(new Huffman(), { dataType: 'uint8', crc32c: false }),
    );
    expect(byName.get('q16_crc')!.codecs).toEqual(
      zarrV3Codecs(new HuffmanQuant16({ offset: 100, scale: 1 }), { dataType: 'uint16' }),
    );
    expect(byName.get('f32_pzf_crc')!.codecs).toEqual(
      zarrV3Codecs(new PymePzf(), { dataType: 'float32' }),
    );
    expect(byName.get('q16_crc')!.lossless).toBe(false);
    expect(byName.get('u16_huffman_crc')!.lossless).toBe(true);
  });

  it.each(generations)('$name reads every one, sharded too, exactly', async ({ zarr }) => {
    const man: PyEntry[] = JSON.parse(readFileSync(join(dir, 'py-manifest.json'), 'utf8'));
    expect(man.length).toBe(5);
    for (const e of man) {
      const root = zarr.root(new FileSystemStore(join(dir, 'py')));
      const arr = await zarr.open.v3(root.resolve(e.name), { kind: 'array' });
      expect(arr.shape, e.name).toEqual(e.shape);
      const got = await zarr.get(arr);
      const want = readTyped(join(dir, 'py', `${e.name}.bin`), e.dtype);
      expect(got.data.constructor, e.name).toBe(want.constructor);
      expect(Array.from(got.data as ArrayLike<number>), e.name).toEqual(Array.from(want));
    }
  });
});

interface NodeCase {
  name: string;
  data: Uint8Array | Uint16Array | Float32Array;
  dtype: string;
  shape: number[];
  chunks: number[];
  codec: Huffman | HuffmanQuant16 | PymePzf;
  /** What zarr-python reads back (quant16: numcodecs' dequantization of our symbols). */
  expected: Uint8Array | Uint16Array | Float32Array;
  crc32c: boolean;
}

function nodeCases(): NodeCase[] {
  const u16 = cameraFrame(30 * 41, 11);
  const u8 = Uint8Array.from({ length: 33 * 17 }, (_, i) => (i * 7) % 251);
  const q = new HuffmanQuant16({ offset: 100, scale: 1 });
  const qdata = cameraFrame(40 * 20, 13, 100, 60000);
  const qn = new HuffmanQuant16({ offset: 100, scale: 1, dequantization: 'numcodecs' });
  // Chunks are quantized one by one, but quantization is per element: the whole array's symbols
  // decode to the same values.
  const qexpected = qn.decodeUint16Sync(q.encodeSync(qdata));
  const f32 = Float32Array.from(cameraFrame(2 * 16 * 16, 17), (v) => v / 7);
  const base = { crc32c: true };
  return [
    {
      ...base,
      name: 'u16',
      data: u16,
      dtype: 'uint16',
      shape: [30, 41],
      chunks: [8, 16],
      codec: new Huffman(),
      expected: u16,
    },
    {
      ...base,
      name: 'u8',
      data: u8,
      dtype: 'uint8',
      shape: [33, 17],
      chunks: [16, 16],
      codec: new Huffman(),
      expected: u8,
      crc32c: false,
    },
    {
      ...base,
      name: 'q16',
      data: qdata,
      dtype: 'uint16',
      shape: [40, 20],
      chunks: [16, 16],
      codec: q,
      expected: qexpected,
    },
    {
      ...base,
      name: 'pzf',
      data: f32,
      dtype: 'float32',
      shape: [2, 16, 16],
      chunks: [1, 16, 16],
      codec: new PymePzf(),
      expected: f32,
    },
  ];
}

d('Node-written v3 arrays read by zarr-python 3', () => {
  it('reads every array both zarrita generations wrote; a flipped byte fails there too', async () => {
    const manifest: Array<Record<string, unknown>> = [];
    for (const { name, zarr, v05 } of generations) {
      const gen = name.replace(/\W/g, '');
      for (const c of nodeCases()) {
        const codecs = zarrV3Codecs(c.codec, { dataType: c.dtype, crc32c: c.crc32c });
        const root = zarr.root(new FileSystemStore(join(dir, 'node', gen)));
        const opts = v05
          ? { shape: c.shape, chunk_shape: c.chunks, data_type: c.dtype, codecs, fill_value: 0 }
          : { shape: c.shape, chunkShape: c.chunks, dtype: c.dtype, codecs, fillValue: 0 };
        const arr = await zarr.create(root.resolve(c.name), opts);
        const stride = c.shape.map((_, i) => c.shape.slice(i + 1).reduce((a, b) => a * b, 1));
        await zarr.set(arr, null, { data: c.data, shape: c.shape, stride });
        const expected = `node/${gen}/${c.name}.bin`;
        mkdirSync(resolve(dir, 'node', gen), { recursive: true });
        const e = c.expected;
        writeFileSync(join(dir, expected), new Uint8Array(e.buffer, e.byteOffset, e.byteLength));
        manifest.push({
          path: `node/${gen}/${c.name}`,
          expected,
          dtype: c.dtype,
          shape: c.shape,
          ...(c.crc32c ? { flip: c.shape.length === 3 ? 'c/0/0/0' : 'c/0/0' } : {}),
        });
      }
    }
    writeFileSync(join(dir, 'node-manifest.json'), JSON.stringify(manifest));
    runV3('check');
    const report: Array<{ name: string; ok: boolean; detail: Record<string, unknown> }> =
      JSON.parse(readFileSync(join(dir, 'python-report.json'), 'utf8'));
    expect(report.length).toBe(8);
    for (const r of report) {
      expect(r.ok, `${r.name}: ${JSON.stringify(r.detail)}`).toBe(true);
      if (!r.name.endsWith('/u8'))
        expect(String(r.detail.flip), r.name).toMatch(/crc32c|checksum/i);
    }
  });
});

describe('docs', () => {
  it('docs/FORMAT.md prints the Python registration the test uses, verbatim', () => {
    const code = readFileSync(join(HERE, 'python', 'zarr3_codecs.py'), 'utf8');
    const body = code
      .split('\n')
      .filter((l, i) => i > 2 || !l.startsWith('#'))
      .join('\n');
    const format = readFileSync(resolve(PKG, '../../docs/FORMAT.md'), 'utf8');
    expect(format).toContain(body.trim());
  });
});
