/**
 * PYME tile pyramids written by real PYME (python-microscopy 26.9.3, from its sdist, never
 * committed): the codecs package's setup script and generator, which also writes each level's
 * expected pixels (from PYME's own tiles) and a manifest. Shared by the Zarr input and viewer tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

/** PYME's own pyramids: the codecs package's oracle (PYME from its sdist, never committed). */
export function writePymePyramids(out: string): {
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
