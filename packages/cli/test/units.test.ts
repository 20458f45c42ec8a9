import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fmtRate } from '../src/format.js';
import { npyHeaderBytes, parseNpyHeader } from '../src/npy.js';
import { resolveQuant, saturationLevel } from '../src/quant-params.js';
import { cli, tempDir } from './helpers.js';

describe('npy headers', () => {
  it('round-trips dtype and shape, 64-byte aligned', () => {
    for (const shape of [[3, 4, 5], [7, 9], [1]]) {
      const h = npyHeaderBytes('uint16', shape);
      expect(h.length % 64).toBe(0);
      expect(parseNpyHeader('x', h)).toMatchObject({
        dtype: 'uint16',
        shape,
        fortranOrder: false,
        bigEndian: false,
        dataOffset: h.length,
      });
    }
    expect(parseNpyHeader('x', npyHeaderBytes('uint8', [2, 2])).dtype).toBe('uint8');
  });

  it('rejects bad magic and unsupported dtypes with the file name', () => {
    expect(() => parseNpyHeader('a.npy', new Uint8Array(20))).toThrow(/a\.npy: not a \.npy file/);
    const h = new TextDecoder('latin1').decode(npyHeaderBytes('uint16', [2])).replace('<u2', '<i8');
    expect(() =>
      parseNpyHeader(
        'b.npy',
        Uint8Array.from(h, (c) => c.charCodeAt(0)),
      ),
    ).toThrow(/unsupported dtype <i8/);
  });
});

describe('summary throughput', () => {
  it('keeps two significant digits below 10 MB/s (small inputs are not "0 MB/s")', () => {
    expect(fmtRate(98_300, 0.2)).toBe('0.49 MB/s');
    expect(fmtRate(2_500_000, 1)).toBe('2.5 MB/s');
    expect(fmtRate(123_400_000, 1)).toBe('123 MB/s');
    expect(fmtRate(5, 0)).toBe('0 MB/s');
  });
});

describe('quantization parameters', () => {
  it('direct, camera-derived (scale = step*sqrt(gain)/2) and lossless', () => {
    expect(resolveQuant({ offset: '100', scale: '1' })).toMatchObject({ offset: 100, scale: 1 });
    expect(resolveQuant({ 'dark-level': '100', gain: '4', step: '1' })).toMatchObject({
      offset: 100,
      scale: 1,
    });
    expect(resolveQuant({ 'dark-level': '95' })).toMatchObject({ offset: 95, scale: 0.25 });
    expect(resolveQuant({})).toBeNull();
    expect(resolveQuant({ lossless: true })).toBeNull();
    expect(() => resolveQuant({ offset: '1', scale: '1', gain: '2' })).toThrow(/not both/);
    expect(() => resolveQuant({ gain: '2' })).toThrow(/--dark-level/);
    expect(saturationLevel({ offset: 100, scale: 1 })).toBeCloseTo(100 + 255.5 ** 2);
  });

  it('the derived step really is `step` noise units: level spacing / sigma', () => {
    const gain = 2.5;
    const step = 0.7;
    const q = resolveQuant({ 'dark-level': '100', gain: String(gain), step: String(step) })!;
    for (const level of [20, 60, 200]) {
      const x = q.offset + (q.scale * level) ** 2;
      const spacing = q.scale ** 2 * (2 * level + 1);
      const sigma = Math.sqrt(gain * (x - q.offset));
      expect(spacing / sigma).toBeCloseTo(step, 1);
    }
  });
});

describe('demo and bench (smoke, no timing assertions)', () => {
  it('demo on a small stack prints the table, PASS, and writes a PNG', () => {
    const dir = tempDir();
    const png = join(dir, 'demo.png');
    const json = join(dir, 'demo.json');
    const r = cli(['demo', '--frames', '2', '--size', '128', '--png', png, '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/core-ts\s+lossless[\s\S]*PASS/);
    expect(r.stdout).toMatch(/All checks PASS/);
    expect(Array.from(readFileSync(png).subarray(0, 8))).toEqual([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ]);
    const rows = JSON.parse(readFileSync(json, 'utf8')).rows as Array<{ pass: boolean }>;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((x) => x.pass)).toBe(true);
    expect(cli(['demo', '--frames', '2', '--size', '128', '--png', png]).code).toBe(4);
    rmSync(dir, { recursive: true, force: true });
  });

  it('demo says why the native backend is not used, and still checks core-ts', () => {
    const r = cli(['demo', '--frames', '1', '--size', '64'], { PYMECOMPRESS_BACKEND: 'core-ts' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /native backend unavailable: not attempted: PYMECOMPRESS_BACKEND=core-ts/,
    );
    expect(r.stdout).not.toMatch(/native\[avx2\]/);
  });

  it('bench without the reference prints rows without ratios and writes JSON', () => {
    const dir = tempDir();
    const json = join(dir, 'bench.json');
    const r = cli(['bench', '--no-reference', '--no-scaling', '--repeats', '1', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/reference: unavailable \(skipped/);
    expect(r.stdout).toMatch(/dim 2048x2048\s+bytes\s+encode\s+core-ts\s+\d+\s+n\/a/);
    expect(r.stdout).toMatch(/tile 256x256\s+symbols\s+decode\s+core-ts\s+\d+\s+n\/a/);
    const j = JSON.parse(readFileSync(json, 'utf8'));
    expect(j.reference).toBeNull();
    expect(j.rows.every((x: { vsReference: unknown }) => x.vsReference === null)).toBe(true);
    expect(j.rows.length).toBeGreaterThanOrEqual(28);
    expect(j.worst).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
