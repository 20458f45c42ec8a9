import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boundViolations,
  cameraStack,
  cli,
  pkgRoot,
  readNpy,
  referencePython,
  tempDir,
  writeNpy,
} from './helpers.js';

// Python reference: packages/conformance/.venv (pymecompress 0.3.6, numcodecs 0.12.1, zarr 2.18.3),
// created on first use by packages/conformance/scripts/setup-python.sh (idempotent).
const N = 3;
const H = 40;
const W = 64;
let dir: string;
let stack: Uint16Array;
let report: Record<string, unknown>;

beforeAll(() => {
  dir = tempDir();
  stack = cameraStack(N, H, W, 11);
  const npy = join(dir, 'stack.npy');
  writeNpy(npy, stack, [N, H, W]);
  const run = (args: string[]) => {
    const r = cli(args);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  };
  run(['compress', npy, '-o', join(dir, 'lossless.zarr'), '-q']);
  run(['compress', npy, '-o', join(dir, 'quant.zarr'), '--offset', '100', '--scale', '1', '-q']);
  run(['compress', npy, '-o', join(dir, 'frame-l.pzf'), '--frame', '0', '--lossless', '-q']);
  run([
    'compress',
    npy,
    '-o',
    join(dir, 'frame-q.pzf'),
    '--frame',
    '0',
    '--offset',
    '100',
    '--scale',
    '1',
    '-q',
  ]);
  run(['decompress', join(dir, 'frame-l.pzf'), '-o', join(dir, 'frame-l.npy'), '-q']);
  run(['decompress', join(dir, 'frame-q.pzf'), '-o', join(dir, 'frame-q.npy'), '-q']);
  const py = referencePython();
  const r = spawnSync(py, [join(pkgRoot, 'test', 'python', 'check_cli_outputs.py'), dir], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`check_cli_outputs.py failed: ${r.stderr}`);
  report = JSON.parse(r.stdout.trim().split('\n').pop()!);
}, 600_000);

describe('Python reads what the CLI writes', () => {
  it('zarr-python + pymecompress.codecs reads a lossless uint16 .zarr exactly', () => {
    expect(report.lossless_shape).toEqual([N, H, W]);
    expect(report.lossless_dtype).toBe('uint16');
    expect(report.lossless_equal).toBe(true);
  });

  it('zarr-python reads a quantized .zarr (partial-chunk reads) within the noise bound', () => {
    expect(report.quant_config).toEqual({ id: 'pymecompress-quant16', offset: 100, scale: 1 });
    expect(report.quant_max_err_over_bound as number).toBeLessThanOrEqual(1);
    expect(report.quant_below_offset_is_offset).toBe(true);
  });

  it('a PYME-layout reader loads the .pzf frames like the CLI decompresses them', () => {
    expect(report['frame-l']).toEqual({
      shape: [H, W],
      version: 3,
      quantized: 0,
      max_abs_diff: 0,
      equal_to_cli_decompress: true,
    });
    const q = report['frame-q'] as Record<string, unknown>;
    expect(q).toMatchObject({
      shape: [H, W],
      version: 3,
      quantized: 1,
      equal_to_cli_decompress: true,
    });
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the CLI reads what Python writes', () => {
  it('a uint16 pymecompress-huffman .zarr (element-count trailers) decodes exactly', () => {
    const out = join(dir, 'py-huffman.npy');
    const r = cli(['decompress', join(dir, 'py-huffman-u16.zarr'), '-o', out, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(readNpy(out).data).toEqual(stack);
  });

  it('a pymecompress-quant16 .zarr (2N-symbol streams) decodes within the bound', () => {
    const out = join(dir, 'py-quant.npy');
    const r = cli(['decompress', join(dir, 'py-quant.zarr'), '-o', out, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(boundViolations(stack, readNpy(out).data as Uint16Array, 100, 1)).toBe(0);
  });

  it('a quantized .pzf written the PYME way decodes to what the PYME-layout reader returns', () => {
    const out = join(dir, 'py-frame.npy');
    const r = cli(['decompress', join(dir, 'py-frame.pzf'), '-o', out, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(readNpy(out).data).toEqual(readNpy(join(dir, 'py-frame-expected.npy')).data);
  });
});
