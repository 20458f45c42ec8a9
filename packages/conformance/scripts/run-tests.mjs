#!/usr/bin/env node
// `pnpm --filter @pymecompress/conformance test [-- --backend ./path/to/backend.js] [vitest args]`
//
// vitest rejects unknown flags, so this launcher takes `--backend <module>` (or `--backend=<module>`)
// and `--backend-only` out of the arguments, passes them as PYMECOMPRESS_BACKEND_MODULE /
// PYMECOMPRESS_BACKEND_ONLY, makes sure the Python reference venv exists, then runs `vitest run`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = process.argv.slice(2);
const rest = [];
const env = { ...process.env };
// pnpm runs scripts in the package directory; relative module paths are relative to where the
// user ran pnpm (INIT_CWD).
const base = process.env.INIT_CWD ?? process.cwd();
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--') continue;
  if (a === '--backend' || a.startsWith('--backend=')) {
    const v = a === '--backend' ? args[++i] : a.slice('--backend='.length);
    if (!v) {
      console.error('run-tests: --backend needs a module path');
      process.exit(2);
    }
    env.PYMECOMPRESS_BACKEND_MODULE = v.startsWith('.') || isAbsolute(v) ? resolve(base, v) : v;
  } else if (a === '--backend-only') {
    env.PYMECOMPRESS_BACKEND_ONLY = '1';
  } else {
    rest.push(a);
  }
}

if (!env.PYMECOMPRESS_REFERENCE_PYTHON) {
  const setup = spawnSync('sh', [join(root, 'scripts/setup-python.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (setup.status !== 0) {
    console.error('run-tests: scripts/setup-python.sh failed');
    process.exit(setup.status ?? 1);
  }
  env.PYMECOMPRESS_REFERENCE_PYTHON = setup.stdout.trim().split('\n').pop();
}

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', ...rest], {
  stdio: 'inherit',
  env,
  cwd: root,
});
process.exit(r.status ?? 1);
