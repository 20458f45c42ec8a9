import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's root directory (works from src/ under vitest and from dist/). */
export const packageRoot: string = fileURLToPath(new URL('..', import.meta.url));
export const pythonDir: string = fileURLToPath(new URL('../python/', import.meta.url));
export const setupScript: string = fileURLToPath(
  new URL('../scripts/setup-python.sh', import.meta.url),
);

let cached: string | undefined;

/**
 * The Python interpreter of the reference venv, creating it first if needed (scripts/setup-python.sh:
 * idempotent, flock-protected, a fast no-op when up to date). `PYMECOMPRESS_REFERENCE_PYTHON` names an
 * interpreter that already has pymecompress 0.3.6, numcodecs and zarr 2 installed (skips the setup).
 */
export function ensureReferencePython(): string {
  if (cached) return cached;
  const given = process.env.PYMECOMPRESS_REFERENCE_PYTHON;
  if (given) {
    cached = given;
    return given;
  }
  const out = execFileSync('sh', [setupScript], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const py = out.trim().split('\n').pop() ?? '';
  if (!py || !existsSync(py)) {
    throw new Error(
      `scripts/setup-python.sh did not report a Python interpreter (got ${JSON.stringify(out)})`,
    );
  }
  cached = py;
  return py;
}
