/**
 * PYME tile pyramids written by real PYME (python-microscopy 26.9.3 via scripts/setup-pyme.sh and
 * test/python/pyme_pyramid.py), with the expected pixels of every level. Seeded and rerunnable.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HERE, PKG, tempDir } from './helpers.js';

export interface PyramidManifest {
  name: string;
  key_schema: string;
  levels: { level: number; shape: number[]; tiles: number }[];
}

/** Writes the pyramids into a fresh temp dir; returns it and the manifest. */
export function writePymePyramids(): { out: string; manifest: PyramidManifest[] } {
  const setup = execFileSync('sh', [join(PKG, 'scripts/setup-pyme.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  })
    .trim()
    .split('\n');
  const [py, src] = setup.slice(-2) as [string, string];
  const out = tempDir('pyme');
  const r = spawnSync(py, [join(HERE, 'python/pyme_pyramid.py'), out], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: src },
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`pyme_pyramid.py failed:\n${r.stderr}`);
  return { out, manifest: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) };
}

/** PYME's pixels of one level (float32, C order), as pyme_pyramid.py assembled them. */
export function expectedLevel(out: string, name: string, level: number): Float32Array {
  const b = readFileSync(join(out, `${name}-level${level}.f32`));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
