/**
 * Disk full: a 1 MiB tmpfs (CI runs as root). A run that fills it exits 1 with one
 * `pymecompress:` prefix naming the output and leaves nothing behind. Skipped, with the reason
 * printed, only where mounting is impossible (not root, or no mount permission).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraStack, tempDir, writeNpy } from './helpers.js';
import { measure, writeMeasurements } from './measure.js';

let dir: string;
let mnt: string;
let mounted = false;
let why = '';

beforeAll(() => {
  dir = tempDir();
  mnt = join(dir, 'small');
  mkdirSync(mnt);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], {
    encoding: 'utf8',
  });
  mounted = r.status === 0;
  why = r.error ? String(r.error) : r.stderr.trim();
  if (!mounted) console.warn(`disk-full tests skipped: cannot mount a tmpfs (${why})`);
});

afterAll(() => {
  writeMeasurements('fault-cases.json');
  if (mounted) spawnSync('umount', [mnt]);
  rmSync(dir, { recursive: true, force: true });
});

describe('disk full (1 MiB tmpfs)', () => {
  it('compress and decompress that run out of space exit 1, name the output, leave nothing', (ctx) => {
    if (!mounted) ctx.skip();
    const src = join(dir, 'src.npy');
    writeNpy(src, cameraStack(40, 256, 256, 2), [40, 256, 256]);
    const out = join(mnt, 'full.zarr');
    const r = measure('disk full: compress 5 MB into a 1 MiB tmpfs', ['compress', src, '-o', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^pymecompress: [^\n]*full\.zarr: no space left on device\n$/);
    expect(readdirSync(mnt)).toEqual([]);
    const z = join(dir, 'ok.zarr');
    expect(measure('disk full: setup', ['compress', src, '-o', z, '-q']).code).toBe(0);
    const d = measure('disk full: decompress 5 MB into a 1 MiB tmpfs', [
      'decompress',
      z,
      '-o',
      join(mnt, 'full.npy'),
    ]);
    expect(d.code, d.stderr).toBe(1);
    expect(d.stderr).toMatch(
      /^pymecompress: [^\n]*full\.npy: needs 5\.2 MB but [^\n]* free \(no space left on device\)\n$/,
    );
    expect(readdirSync(mnt)).toEqual([]);
  });
});
