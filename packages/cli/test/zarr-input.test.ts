/**
 * `info` and `decompress` on Zarr input the CLI did not write: zarr-python arrays of any chunking
 * and codec, OME-Zarr groups (v2 and v3), PYME tile pyramids written by real PYME, and hostile
 * metadata. Python fixtures: test/python/write_zarr_inputs.py (conformance venv) and the codecs
 * package's PYME oracle (scripts/setup-pyme.sh + test/python/pyme_pyramid.py).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { register } from '@pymecompress/codecs/zarr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { parseNpyHeader } from '../src/npy.js';
import {
  cameraStack,
  cli,
  pkgRoot,
  referencePython,
  repoRoot,
  tempDir,
  writeNpy,
} from './helpers.js';
import { measure, writeMeasurements } from './measure.js';

const SKIP_PYTHON = process.env.PYMECOMPRESS_SKIP_PYTHON === '1';
let dir: string;

beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  writeMeasurements('zarr-input-measurements.json');
  rmSync(dir, { recursive: true, force: true });
});

/** A .npy file's raw little-endian payload and header (any dtype numpy writes here). */
function npyPayload(file: string): { descr: string; shape: number[]; body: Buffer } {
  const b = readFileSync(file);
  const text = b.subarray(0, 512).toString('latin1');
  const descr = /'descr': '([^']+)'/.exec(text)![1]!;
  const shape = /'shape': \(([^)]*)\)/
    .exec(text)![1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const headerLen = b[6] === 1 ? b.readUInt16LE(8) + 10 : b.readUInt32LE(8) + 12;
  return { descr, shape, body: b.subarray(headerLen) };
}

function expectSameNpy(got: string, want: string): void {
  const g = npyPayload(got);
  const w = npyPayload(want);
  expect(g.shape).toEqual(w.shape);
  expect(g.descr).toBe(w.descr.replace('<u1', '|u1'));
  expect(g.body.equals(w.body)).toBe(true);
}

function ok(args: string[]): string {
  const r = cli(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

function infoJson(args: string[]): Record<string, unknown> {
  return JSON.parse(ok(['info', ...args, '--json'])) as Record<string, unknown>;
}

describe.skipIf(SKIP_PYTHON)('arrays written by zarr-python 2 (any chunking, any codec)', () => {
  let py: string;
  beforeAll(() => {
    py = join(dir, 'py');
    mkdirSync(py);
    const r = spawnSync(
      referencePython(),
      [join(pkgRoot, 'test/python/write_zarr_inputs.py'), py],
      {
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    if (r.status !== 0) throw new Error(`write_zarr_inputs.py failed: ${r.stderr}`);
  }, 600_000);

  it('(1, 128, 128) chunks with edge chunks (pymecompress-huffman) decompress exactly', () => {
    ok(['decompress', join(py, 'chunked.zarr'), '-o', join(dir, 'chunked.npy'), '-q']);
    expectSameNpy(join(dir, 'chunked.npy'), join(py, 'chunked.npy'));
    // ... and to TIFF: the same pixels page by page.
    ok(['decompress', join(py, 'chunked.zarr'), '-o', join(dir, 'chunked.tif'), '-q']);
    ok(['compress', join(dir, 'chunked.tif'), '-o', join(dir, 'back.zarr'), '-q']);
    ok(['decompress', join(dir, 'back.zarr'), '-o', join(dir, 'back.npy'), '-q']);
    expectSameNpy(join(dir, 'back.npy'), join(py, 'chunked.npy'));
    const i = infoJson([join(py, 'chunked.zarr')]);
    expect(i).toMatchObject({
      format: 'Zarr array (Zarr v2)',
      shape: [5, 300, 260],
      chunks: [1, 128, 128],
      dtype: 'uint16',
      codec: 'pymecompress-huffman',
      codecConfig: { id: 'pymecompress-huffman' },
      chunkFiles: 5 * 3 * 3,
      chunksInGrid: 5 * 3 * 3,
    });
    expect(i.compressionRatio as number).toBeGreaterThan(1.5);
  });

  it('blosc-zstd chunks spanning 3 frames, absent chunks read as the fill value', () => {
    ok(['decompress', join(py, 'blosc.zarr'), '-o', join(dir, 'blosc.npy'), '-q']);
    expectSameNpy(join(dir, 'blosc.npy'), join(py, 'blosc.npy'));
    const i = infoJson([join(py, 'blosc.zarr')]);
    expect(i).toMatchObject({ codec: 'blosc', fillValue: 7, chunks: [3, 32, 32] });
    expect((i.codecConfig as { cname: string }).cname).toBe('zstd');
    expect(i.chunkFiles).toBe((i.chunksInGrid as number) - 2);
  });

  it('a 2-D uint8 frame in (16, 32) gzip chunks', () => {
    ok(['decompress', join(py, 'frame.zarr'), '-o', join(dir, 'frame.npy'), '-q']);
    expectSameNpy(join(dir, 'frame.npy'), join(py, 'frame.npy'));
    expect(infoJson([join(py, 'frame.zarr')])).toMatchObject({
      shape: [70, 90],
      dtype: 'uint8',
      codec: 'gzip',
      chunksInGrid: 5 * 3,
    });
  });

  it('a 4-D float32 array in F order with zlib', () => {
    ok(['decompress', join(py, 'float.zarr'), '-o', join(dir, 'float.npy'), '-q']);
    expectSameNpy(join(dir, 'float.npy'), join(py, 'float.npy'));
    ok(['decompress', join(py, 'float.zarr'), '-o', join(dir, 'float.tif'), '-q']);
    expect(readFileSync(join(dir, 'float.tif')).length).toBeGreaterThan(6 * 50 * 40 * 4);
  });

  it('an OME-Zarr group: info lists axes, scales and levels; decompress per level', () => {
    const ome = join(py, 'ome.zarr');
    const i = infoJson([ome]);
    expect(i).toMatchObject({
      format: 'OME-Zarr group (Zarr v2)',
      ngffVersion: '0.4',
      axes: ['t', 'c', 'z', 'y', 'x'],
      level: 0,
      path: '0',
      shape: [1, 2, 3, 64, 48],
      chunks: [1, 1, 1, 32, 32],
      codec: 'pymecompress-huffman',
    });
    expect(i.levels).toEqual([
      {
        level: 0,
        path: '0',
        shape: [1, 2, 3, 64, 48],
        chunks: [1, 1, 1, 32, 32],
        scale: [1, 1, 0.5, 0.1, 0.1],
      },
      {
        level: 1,
        path: '1',
        shape: [1, 2, 3, 32, 24],
        chunks: [1, 1, 1, 32, 32],
        scale: [1, 1, 0.5, 0.2, 0.2],
      },
    ]);
    expect(infoJson([ome, '--level', '1'])).toMatchObject({ level: 1, shape: [1, 2, 3, 32, 24] });
    for (const l of ['0', '1']) {
      ok(['decompress', ome, '--level', l, '-o', join(dir, `ome-${l}.npy`), '-q']);
      expectSameNpy(join(dir, `ome-${l}.npy`), join(py, `ome-${l}.npy`));
    }
    const r = cli(['decompress', ome, '--level', '2', '-o', join(dir, 'ome-2.npy')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--level 2: .*ome\.zarr has levels 0\.\.1/);
  });
});

/** A zarrita store writing into a directory (zarrita 0.7 creates v3 arrays). */
function dirStore(root: string) {
  return {
    async get(key: string) {
      const p = join(root, key);
      return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
    },
    async set(key: string, value: Uint8Array) {
      const p = join(root, key);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, value);
    },
  };
}

describe('Zarr v3 (zarrita-written) arrays and OME-Zarr 0.5 groups', () => {
  it('a v3 array with numcodecs.pymecompress-huffman after bytes, chunks [2, 24, 20], round trips', async () => {
    register();
    const root = join(dir, 'v3.ome.zarr');
    const store = dirStore(root);
    const [N, H, W] = [5, 50, 44];
    const data = new Uint16Array(N * H * W);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) % 4096;
    const group = await zarr.create(zarr.root(store), {
      attributes: {
        ome: {
          version: '0.5',
          multiscales: [
            {
              axes: [
                { name: 'z', type: 'space' },
                { name: 'y', type: 'space' },
                { name: 'x', type: 'space' },
              ],
              datasets: [
                { path: 's0', coordinateTransformations: [{ type: 'scale', scale: [2, 1, 1] }] },
              ],
            },
          ],
        },
      },
    });
    const arr = await zarr.create(group.resolve('s0'), {
      shape: [N, H, W],
      chunkShape: [2, 24, 20],
      dtype: 'uint16',
      codecs: [
        { name: 'bytes', configuration: { endian: 'little' } },
        { name: 'numcodecs.pymecompress-huffman', configuration: {} },
      ],
    });
    await zarr.set(arr, null, { data, shape: [N, H, W], stride: [H * W, W, 1] });
    const i = infoJson([root]);
    expect(i).toMatchObject({
      format: 'OME-Zarr group (Zarr v3)',
      ngffVersion: '0.5',
      axes: ['z', 'y', 'x'],
      shape: [N, H, W],
      chunks: [2, 24, 20],
      codec: 'pymecompress-huffman',
      levels: [{ level: 0, path: 's0', scale: [2, 1, 1] }],
    });
    ok(['decompress', root, '-o', join(dir, 'v3.npy'), '-q']);
    const h = parseNpyHeader('v3.npy', new Uint8Array(readFileSync(join(dir, 'v3.npy'))));
    const got = readFileSync(join(dir, 'v3.npy')).subarray(h.dataOffset);
    expect(h.shape).toEqual([N, H, W]);
    expect(Buffer.from(data.buffer).equals(got)).toBe(true);
    // The array itself, opened without its group.
    ok(['decompress', join(root, 's0'), '-o', join(dir, 'v3-array.npy'), '-q']);
    expect(readFileSync(join(dir, 'v3-array.npy')).equals(readFileSync(join(dir, 'v3.npy')))).toBe(
      true,
    );
  });
});

describe.skipIf(SKIP_PYTHON)('Zarr v3 arrays written by zarr-python 3', () => {
  let py: string;
  beforeAll(() => {
    py = join(dir, 'py3');
    mkdirSync(py);
    // The codecs package's zarr-python 3 venv (its setup script; pymecompress from the reference).
    const setup = join(repoRoot, 'packages', 'codecs', 'scripts', 'setup-zarr3.sh');
    const python = execFileSync('sh', [setup], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 900_000,
    })
      .trim()
      .split('\n')
      .pop()!;
    const r = spawnSync(python, [join(pkgRoot, 'test/python/write_zarr3_inputs.py'), py], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) throw new Error(`write_zarr3_inputs.py failed: ${r.stderr}`);
  }, 900_000);

  it('(1, 128, 128) chunks with numcodecs.pymecompress-huffman + crc32c, sharded, and zstd', () => {
    for (const name of ['v3-tiles', 'v3-sharded', 'v3-zstd']) {
      ok(['decompress', join(py, `${name}.zarr`), '-o', join(dir, `${name}.npy`), '-q']);
      expectSameNpy(join(dir, `${name}.npy`), join(py, `${name}.npy`));
    }
    expect(infoJson([join(py, 'v3-tiles.zarr')])).toMatchObject({
      format: 'Zarr array (Zarr v3)',
      chunks: [1, 128, 128],
      codec: 'pymecompress-huffman + crc32c',
    });
    expect(infoJson([join(py, 'v3-sharded.zarr')])).toMatchObject({
      chunks: [1, 256, 200],
      codec: 'sharding_indexed',
    });
  });

  it('a flipped byte in a crc32c-checked chunk fails loudly (exit 3)', () => {
    const src = join(py, 'v3-tiles.zarr');
    const bad = join(dir, 'v3-flipped.zarr');
    execFileSync('cp', ['-r', src, bad]);
    const chunk = join(bad, 'c', '1', '1', '1');
    const b = readFileSync(chunk);
    b[Math.floor(b.length / 2)]! ^= 0x10;
    writeFileSync(chunk, b);
    const r = cli(['decompress', bad, '-o', join(dir, 'flipped.npy')]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/v3-flipped\.zarr \(frames 1\.\.1, rows 128\.\.255\)/);
    expect(r.stderr).toMatch(/ERR_CORRUPT_STREAM.*crc32c: checksum mismatch/);
    expect(existsSync(join(dir, 'flipped.npy'))).toBe(false);
  });
});

describe("the CLI's own .ome.zarr output reads back", () => {
  it('compress --chunks 1,32,32 --levels 1 -> info lists both levels; level 0 is exact', () => {
    const [N, H, W] = [3, 70, 90];
    const npy = join(dir, 'own.npy');
    writeNpy(npy, cameraStack(N, H, W, 3), [N, H, W]);
    const ome = join(dir, 'own.ome.zarr');
    ok(['compress', npy, '-o', ome, '--chunks', '1,32,32', '--levels', '1', '-q']);
    const i = infoJson([ome]);
    expect(i).toMatchObject({ format: 'OME-Zarr group (Zarr v2)', chunks: [1, 32, 32] });
    expect((i.levels as { shape: number[] }[]).map((l) => l.shape)).toEqual([
      [N, H, W],
      [N, H / 2, W / 2],
    ]);
    ok(['decompress', ome, '-o', join(dir, 'own-0.npy'), '-q']);
    expectSameNpy(join(dir, 'own-0.npy'), npy);
    ok(['decompress', ome, '--level', '1', '-o', join(dir, 'own-1.npy'), '-q']);
    expect(npyPayload(join(dir, 'own-1.npy')).shape).toEqual([N, H / 2, W / 2]);
  });
});

/** PYME's own pyramids: the codecs package's oracle (PYME from its sdist, never committed). */
function writePymePyramids(out: string): {
  name: string;
  levels: { level: number; shape: number[]; tiles: number }[];
}[] {
  const codecs = join(repoRoot, 'packages', 'codecs');
  const [pyme, src] = execFileSync('sh', [join(codecs, 'scripts/setup-pyme.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  })
    .trim()
    .split('\n')
    .slice(-2) as [string, string];
  const r = spawnSync(pyme, [join(codecs, 'test/python/pyme_pyramid.py'), out], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: src },
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`pyme_pyramid.py failed:\n${r.stderr}`);
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
}

describe.skipIf(SKIP_PYTHON)('PYME tile pyramids written by real PYME', () => {
  let out: string;
  let manifest: ReturnType<typeof writePymePyramids>;
  beforeAll(() => {
    out = join(dir, 'pyme');
    mkdirSync(out);
    manifest = writePymePyramids(out);
  }, 900_000);

  it('decompress --level N gives PYME tiles (current and legacy key schemas); info lists levels', () => {
    expect(manifest.map((m) => m.name)).toEqual(['current', 'legacy']);
    for (const m of manifest) {
      const p = join(out, m.name);
      const i = infoJson([p]);
      expect(i).toMatchObject({
        format: 'PYME tile pyramid (Zarr v2)',
        axes: ['z', 'x', 'y'],
        dtype: 'float32',
        codec: 'pyme-pzf',
        codecConfig: { id: 'pyme-pzf' },
      });
      const levels = i.levels as { level: number; shape: number[]; scale: number[] }[];
      expect(levels.map((l) => l.shape)).toEqual(m.levels.map((l) => l.shape));
      expect(levels.map((l) => l.scale)).toEqual(
        m.levels.map((l) => [1, 2 ** l.level, 2 ** l.level]),
      );
      for (const l of m.levels) {
        const o = join(dir, `${m.name}-${l.level}.npy`);
        ok(['decompress', p, '--level', String(l.level), '-o', o, '-q']);
        const g = npyPayload(o);
        expect(g.descr).toBe('<f4');
        expect(g.shape).toEqual(l.shape);
        const want = readFileSync(join(out, `${m.name}-level${l.level}.f32`));
        expect(g.body.equals(want)).toBe(true);
        const li = infoJson([p, '--level', String(l.level)]);
        expect(li.chunkFiles).toBe(l.tiles);
      }
      // Level 0 misses a tile PYME never wrote: it read as the fill value (0) above.
      expect(m.levels[0]!.tiles).toBeLessThan(9);
    }
  });

  it('a tile that is a symlink leaving the pyramid is refused (exit 3)', () => {
    const p = join(out, 'current');
    const tile = join(p, '0', '000', '000', '000_img.pzf');
    const keep = readFileSync(tile);
    rmSync(tile);
    symlinkSync('/etc/passwd', tile);
    try {
      const r = cli(['decompress', p, '-o', join(dir, 'sym.npy')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/000_img\.pzf is a symlink leaving the array/);
      expect(existsSync(join(dir, 'sym.npy'))).toBe(false);
    } finally {
      rmSync(tile);
      writeFileSync(tile, keep);
    }
  });
});

/** A v2 array directory with the given `.zarray` fields (no chunks: all fill value). */
function v2Array(name: string, fields: Record<string, unknown>): string {
  const z = join(dir, name);
  rmSync(z, { recursive: true, force: true });
  mkdirSync(z);
  writeFileSync(
    join(z, '.zarray'),
    JSON.stringify({
      zarr_format: 2,
      shape: [2, 8, 8],
      chunks: [1, 4, 4],
      dtype: '<u2',
      compressor: null,
      fill_value: 0,
      filters: null,
      order: 'C',
      ...fields,
    }),
  );
  return z;
}

function omeGroup(name: string, datasets: unknown[]): string {
  const g = join(dir, name);
  rmSync(g, { recursive: true, force: true });
  mkdirSync(g);
  writeFileSync(join(g, '.zgroup'), '{"zarr_format": 2}');
  writeFileSync(
    join(g, '.zattrs'),
    JSON.stringify({ multiscales: [{ version: '0.4', axes: ['y', 'x'], datasets }] }),
  );
  return g;
}

function expectBadInput(args: string[], message: RegExp, label: string): void {
  const r = measure(label, args);
  expect(r.code, `${label}: ${r.stderr}`).toBe(3);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  expect(r.rssMB).toBeLessThan(300);
}

describe('hostile metadata: typed errors (exit 3), nothing written', () => {
  it('chunk shape 0, huge shapes and chunks, an unknown codec, bad fill values (v2)', () => {
    const o = join(dir, 'h.npy');
    for (const [label, fields, message] of [
      ['chunk shape 0', { chunks: [1, 0, 4] }, /\.zarray chunks\[1\] is 0/],
      ['huge shape', { shape: [2 ** 40, 2 ** 20, 2 ** 20] }, /exceeds the limit|over the .* limit/],
      [
        'frame of 2^31 pixels',
        { shape: [1, 2 ** 16, 2 ** 16], chunks: [1, 4, 4] },
        /frame is \d+ bytes, over/,
      ],
      [
        'huge chunk',
        { shape: [4, 30000, 30000], chunks: [4, 30000, 30000] },
        /chunks .* bytes each, over/,
      ],
      [
        'block over 2 GiB',
        { shape: [1200, 1024, 1024], chunks: [1200, 32, 32] },
        /span 1200 frames/,
      ],
      ['unknown codec', { compressor: { id: 'no-such-codec' } }, /no-such-codec/],
      [
        'int8 fill 300',
        { dtype: '|i1', fill_value: 300 },
        /fill_value 300 is not an integer in -128\.\.127/,
      ],
      ['int64', { dtype: '<i8' }, /dtype int64 is not supported/],
      ['rank 1', { shape: [64], chunks: [8] }, /fewer than 2 axes/],
    ] as const) {
      const z = v2Array('hostile.zarr', fields);
      expectBadInput(['decompress', z, '-o', o], message, `zarr-input: ${label}`);
      expect(existsSync(o)).toBe(false);
    }
  });

  it('v3: chunk shape 0 and a non-regular grid', () => {
    const z = join(dir, 'hostile3.zarr');
    mkdirSync(z, { recursive: true });
    const meta = (grid: unknown) => ({
      zarr_format: 3,
      node_type: 'array',
      shape: [2, 8, 8],
      data_type: 'uint16',
      chunk_grid: grid,
      chunk_key_encoding: { name: 'default' },
      fill_value: 0,
      codecs: [{ name: 'bytes', configuration: { endian: 'little' } }],
    });
    writeFileSync(
      join(z, 'zarr.json'),
      JSON.stringify(meta({ name: 'regular', configuration: { chunk_shape: [1, 0, 8] } })),
    );
    expectBadInput(['info', z], /zarr\.json chunks\[1\] is 0/, 'zarr-input: v3 chunk shape 0');
    writeFileSync(join(z, 'zarr.json'), JSON.stringify(meta({ name: 'rectilinear' })));
    expectBadInput(['info', z], /chunk_grid is not a regular grid/, 'zarr-input: v3 grid');
  });

  it('OME-Zarr: a missing level, a path leaving the group, no datasets, a group without multiscales', () => {
    const o = join(dir, 'g.npy');
    let g = omeGroup('missing.ome.zarr', [{ path: '0' }, { path: '1' }]);
    mkdirSync(join(g, '0'));
    writeFileSync(join(g, '0', '.zarray'), readFileSync(join(v2Array('lvl.zarr', {}), '.zarray')));
    expectBadInput(
      ['info', g],
      /level 1 \(multiscales path "1"\) has no array/,
      'zarr-input: missing level',
    );
    expectBadInput(
      ['decompress', g, '--level', '1', '-o', o],
      /level 1 .* has no array/,
      'zarr-input: missing level, decompress',
    );
    g = omeGroup('escape.ome.zarr', [{ path: '../lvl.zarr' }]);
    expectBadInput(
      ['info', g],
      /datasets\[0\]\.path "\.\.\/lvl\.zarr" is not a path inside the group/,
      'zarr-input: path ..',
    );
    g = omeGroup('linked.ome.zarr', [{ path: '0' }]);
    symlinkSync(join(dir, 'lvl.zarr'), join(g, '0')); // a level folder outside the group
    expectBadInput(
      ['info', g],
      /0\/\.zarray is a symlink leaving the array/,
      'zarr-input: level symlink',
    );
    g = omeGroup('abs.ome.zarr', [{ path: '/etc' }]);
    expectBadInput(['info', g], /is not a path inside the group/, 'zarr-input: absolute path');
    g = omeGroup('none.ome.zarr', []);
    expectBadInput(['info', g], /datasets is not a non-empty list/, 'zarr-input: no datasets');
    writeFileSync(join(g, '.zattrs'), '{}');
    expectBadInput(
      ['info', g],
      /a Zarr group without multiscales metadata/,
      'zarr-input: plain group',
    );
    const r = cli(['info', v2Array('one.zarr', {}), '--level', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--level 1: .* is a single array/);
    expect(cli(['info', g, '--level', 'x']).code).toBe(2);
    expect(existsSync(o)).toBe(false);
  });

  it('a chunk file larger than any chunk its codec can produce is refused before it is read', () => {
    const z = v2Array('big-chunk.zarr', { compressor: { id: 'zlib', level: 1 } });
    writeFileSync(join(z, '0.0.0'), Buffer.alloc(200_000));
    expectBadInput(
      ['decompress', z, '-o', join(dir, 'bc.npy')],
      /0\.0\.0: 200000 bytes, more than any valid chunk of \[1,4,4\] uint16/,
      'zarr-input: oversized chunk file',
    );
  });
});

describe('memory stays bounded on the streaming path', () => {
  it('a 256 MB array of (1, 256, 256) chunks decompresses with one frame block in memory', () => {
    const [N, H, W, C] = [128, 1024, 1024, 256];
    const z = v2Array('big.zarr', { shape: [N, H, W], chunks: [1, C, C] });
    const chunk = new Uint16Array(C * C);
    for (let n = 0; n < N; n++)
      for (let cy = 0; cy < H / C; cy++)
        for (let cx = 0; cx < W / C; cx++) {
          chunk.fill((n * 16 + cy * 4 + cx) & 0xffff);
          writeFileSync(join(z, `${n}.${cy}.${cx}`), chunk);
        }
    const o = join(dir, 'big.npy');
    const r = measure('zarr-input: 256 MB of (1,256,256) chunks, decompress', [
      'decompress',
      z,
      '-o',
      o,
      '-q',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // The array is 256 MB; one block is one 2 MB frame (+ a chunk row and zarrita's copy).
    expect(r.rssMB).toBeLessThan(200);
    const b = readFileSync(o);
    const h = parseNpyHeader('big.npy', new Uint8Array(b.subarray(0, 128)));
    expect(h.shape).toEqual([N, H, W]);
    const px = (n: number, y: number, x: number) =>
      b.readUInt16LE(h.dataOffset + 2 * ((n * H + y) * W + x));
    for (const [n, y, x] of [
      [0, 0, 0],
      [5, 300, 900],
      [127, 1023, 1023],
      [64, 511, 256],
    ] as const)
      expect(px(n, y, x)).toBe((n * 16 + Math.floor(y / C) * 4 + Math.floor(x / C)) & 0xffff);
    rmSync(o);
    rmSync(z, { recursive: true });
  }, 180_000);
});
