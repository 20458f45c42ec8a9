import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTiffWriter } from '../src/outputs.js';
import {
  boundViolations,
  bytesOf,
  cameraStack,
  cli,
  readNpy,
  tempDir,
  writeDax,
  writeNpy,
} from './helpers.js';

const N = 5;
const H = 40;
const W = 56;
let dir: string;
let stack: Uint16Array;

beforeAll(() => {
  dir = tempDir();
  stack = cameraStack(N, H, W, 7);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function lossless(input: string, extra: string[] = []): Uint8Array | Uint16Array {
  const z = `${input}.zarr`;
  const back = `${input}.back.npy`;
  const c = cli(['compress', input, '-o', z, '--lossless', '-q', ...extra]);
  expect(c.stderr).toBe('');
  expect(c.code).toBe(0);
  const d = cli(['decompress', z, '-o', back, '-q']);
  expect(d.code, d.stderr).toBe(0);
  return readNpy(back).data;
}

describe('help and usage', () => {
  it.each(['compress', 'decompress', 'info', 'demo', 'bench'])(
    '%s --help exits 0 with usage',
    (cmd) => {
      const r = cli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: pymecompress/);
      expect(r.stdout).toMatch(/Exit codes/);
    },
  );

  it('top-level --help lists the commands; no command is a usage error', () => {
    expect(cli(['--help']).stdout).toMatch(/compress[\s\S]*decompress[\s\S]*info[\s\S]*bench/);
    expect(cli([]).code).toBe(2);
  });

  it('unknown commands and options, missing arguments exit 2', () => {
    expect(cli(['frobnicate']).code).toBe(2);
    const r = cli(['compress', 'x.npy', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bogus/);
    expect(cli(['compress', 'x.npy']).stderr).toMatch(/needs an output/);
    expect(cli(['compress', 'x.npy', '-o', 'y.bin']).code).toBe(2);
    expect(cli(['compress', 'x.npy', '-o', 'y.zarr', '--offset', '1']).stderr).toMatch(
      /go together/,
    );
    expect(cli(['compress', 'x.npy', '-o', 'y.zarr', '--scale', '0', '--offset', '1']).code).toBe(
      2,
    );
    expect(cli(['compress', 'x.npy', '-o', 'y.zarr', '--threads', '0']).code).toBe(2);
    expect(cli(['compress', 'x.npy', '-o', 'y.zarr', '--backend', 'gpu']).code).toBe(2);
    const env = cli(['compress', 'x.npy', '-o', 'y.zarr'], { PYMECOMPRESS_BACKEND: 'gpu' });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/PYMECOMPRESS_BACKEND=gpu/);
    expect(
      cli(['compress', 'x.npy', '-o', 'y.zarr', '--lossless', '--offset', '1', '--scale', '1'])
        .code,
    ).toBe(2);
  });
});

describe('lossless round trips, pixel by pixel, for every input format', () => {
  it('.npy C order uint16', () => {
    const f = join(dir, 'c.npy');
    writeNpy(f, stack, [N, H, W]);
    expect(lossless(f)).toEqual(stack);
  });

  it('.npy Fortran order uint16', () => {
    const f = join(dir, 'f.npy');
    writeNpy(f, stack, [N, H, W], { fortran: true });
    expect(lossless(f)).toEqual(stack);
  });

  it('.npy big-endian uint16, and Fortran + big-endian', () => {
    const f = join(dir, 'be.npy');
    writeNpy(f, stack, [N, H, W], { bigEndian: true });
    expect(lossless(f)).toEqual(stack);
    const g = join(dir, 'fbe.npy');
    writeNpy(g, stack, [N, H, W], { bigEndian: true, fortran: true });
    expect(lossless(g)).toEqual(stack);
  });

  it('.npy uint8, and a 2-D frame keeps its shape', () => {
    const u8 = Uint8Array.from(stack, (v) => v & 0xff);
    const f = join(dir, 'u8.npy');
    writeNpy(f, u8, [N, H, W]);
    expect(lossless(f)).toEqual(u8);
    const g = join(dir, 'one.npy');
    writeNpy(g, stack.subarray(0, H * W), [H, W]);
    expect(lossless(g)).toEqual(stack.subarray(0, H * W));
    expect(readNpy(`${g}.back.npy`).shape).toEqual([H, W]);
  });

  it('multi-page TIFF (uint16 and uint8), back to TIFF and to .npy', async () => {
    const f = join(dir, 'stack.tif');
    const w = await createTiffWriter(f, 'uint16', N, H, W);
    for (let i = 0; i < N; i++) await w.write(stack.subarray(i * H * W, (i + 1) * H * W));
    await w.close();
    const info = cli(['info', f]);
    expect(info.stdout).toMatch(/frames\s+5/);
    expect(lossless(f)).toEqual(stack);
    // .zarr -> .tif -> .zarr -> .npy
    expect(cli(['decompress', `${f}.zarr`, '-o', join(dir, 'again.tif'), '-q']).code).toBe(0);
    expect(lossless(join(dir, 'again.tif'))).toEqual(stack);
    const u8 = Uint8Array.from(stack, (v) => v >> 4);
    const g = join(dir, 'stack8.tiff');
    const w8 = await createTiffWriter(g, 'uint8', N, H, W);
    for (let i = 0; i < N; i++) await w8.write(u8.subarray(i * H * W, (i + 1) * H * W));
    await w8.close();
    expect(lossless(g)).toEqual(u8);
  });

  it('.dax + .inf (big-endian uint16)', () => {
    const f = join(dir, 'movie.dax');
    writeDax(f, stack, N, H, W);
    expect(lossless(f)).toEqual(stack);
    expect(cli(['info', f]).stdout).toMatch(/byteOrder\s+big/);
  });

  it('raw files with --shape and --dtype', () => {
    const f = join(dir, 'frames.raw');
    writeFileSync(f, bytesOf(stack));
    expect(lossless(f, ['--shape', `${N},${H},${W}`, '--dtype', 'uint16'])).toEqual(stack);
    const be = new Uint8Array(stack.length * 2);
    const dv = new DataView(be.buffer);
    for (let i = 0; i < stack.length; i++) dv.setUint16(2 * i, stack[i]!, false);
    const g = join(dir, 'frames-be.bin');
    writeFileSync(g, be);
    expect(lossless(g, ['--shape', `${N},${H},${W}`, '--dtype', 'uint16be'])).toEqual(stack);
  });

  it('--threads 1 and --threads 2 write identical chunks; --backend core-ts too', () => {
    const f = join(dir, 'c.npy');
    const a = join(dir, 't1.zarr');
    const b = join(dir, 't2.zarr');
    const c = join(dir, 'core.zarr');
    expect(cli(['compress', f, '-o', a, '--threads', '1', '-q']).code).toBe(0);
    expect(cli(['compress', f, '-o', b, '--threads', '2', '-q']).code).toBe(0);
    expect(cli(['compress', f, '-o', c, '--backend', 'core-ts', '-q']).code).toBe(0);
    const files = readdirSync(a).sort();
    expect(files).toEqual(['.zarray', '.zattrs', '0.0.0', '1.0.0', '2.0.0', '3.0.0', '4.0.0']);
    for (const k of files.filter((x) => !x.startsWith('.'))) {
      expect(readFileSync(join(b, k))).toEqual(readFileSync(join(a, k)));
      expect(readFileSync(join(c, k))).toEqual(readFileSync(join(a, k)));
    }
    const zarray = JSON.parse(readFileSync(join(a, '.zarray'), 'utf8'));
    expect(zarray).toMatchObject({
      zarr_format: 2,
      shape: [N, H, W],
      chunks: [1, H, W],
      dtype: '<u2',
      compressor: { id: 'pymecompress-huffman' },
    });
  });
});

describe('quantized round trips stay within the noise bound', () => {
  it('.zarr with --offset/--scale', () => {
    const f = join(dir, 'c.npy');
    for (const scale of [1, 0.5, 2]) {
      const z = join(dir, `q${scale}.zarr`);
      const back = join(dir, `q${scale}.npy`);
      expect(
        cli(['compress', f, '-o', z, '--offset', '100', '--scale', String(scale), '-q']).code,
      ).toBe(0);
      expect(cli(['decompress', z, '-o', back, '-q']).code).toBe(0);
      const r = readNpy(back).data as Uint16Array;
      expect(r.length).toBe(stack.length);
      expect(boundViolations(stack, r, 100, scale)).toBe(0);
    }
  });

  it('camera parameters: offset = dark level, scale = step*sqrt(gain)/2', () => {
    const f = join(dir, 'c.npy');
    const z = join(dir, 'cam.zarr');
    const r = cli(['compress', f, '-o', z, '--dark-level', '100', '--gain', '4', '--step', '0.5']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/scale 0\.5/);
    const zarray = JSON.parse(readFileSync(join(z, '.zarray'), 'utf8'));
    expect(zarray.compressor).toEqual({ id: 'pymecompress-quant16', offset: 100, scale: 0.5 });
  });

  it('.pzf: one frame, lossless and quantized; --frame picks a frame of a stack', () => {
    const one = join(dir, 'one.npy');
    const frame = stack.subarray(0, H * W);
    for (const [name, args] of [
      ['l', ['--lossless']],
      ['q', ['--offset', '100', '--scale', '1']],
    ] as const) {
      const p = join(dir, `one-${name}.pzf`);
      expect(cli(['compress', one, '-o', p, ...args, '-q']).code).toBe(0);
      const back = join(dir, `one-${name}.npy`);
      expect(cli(['decompress', p, '-o', back, '-q']).code).toBe(0);
      const r = readNpy(back);
      expect(r.shape).toEqual([H, W]);
      if (name === 'l') expect(r.data).toEqual(frame);
      else expect(boundViolations(frame, r.data as Uint16Array, 100, 1)).toBe(0);
    }
    const multi = join(dir, 'c.npy');
    const bad = cli(['compress', multi, '-o', join(dir, 'multi.pzf')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--frame/);
    const p3 = join(dir, 'f3.pzf');
    expect(cli(['compress', multi, '-o', p3, '--frame', '3', '--lossless', '-q']).code).toBe(0);
    expect(cli(['decompress', p3, '-o', join(dir, 'f3.npy'), '-q']).code).toBe(0);
    expect(readNpy(join(dir, 'f3.npy')).data).toEqual(stack.subarray(3 * H * W, 4 * H * W));
    const info = JSON.parse(cli(['info', p3, '--json']).stdout);
    expect(info).toMatchObject({
      format: 'PZF',
      version: 3,
      shape: [H, W],
      dtype: 'uint16',
      compression: 'huffman',
      frameNum: 3,
      quantization: 'none',
    });
  });

  it('quantizing uint8 data is a usage error', () => {
    const r = cli([
      'compress',
      join(dir, 'u8.npy'),
      '-o',
      join(dir, 'u8q.zarr'),
      '--offset',
      '1',
      '--scale',
      '1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uint16/);
    expect(existsSync(join(dir, 'u8q.zarr'))).toBe(false);
  });

  it('info on .zarr reports the codec and the compression ratio', () => {
    const r = JSON.parse(cli(['info', join(dir, 'q1.zarr'), '--json']).stdout);
    expect(r.codec).toBe('pymecompress-quant16');
    expect(r.codecConfig).toEqual({ id: 'pymecompress-quant16', offset: 100, scale: 1 });
    expect(r.compressionRatio).toBeGreaterThan(3);
  });
});
