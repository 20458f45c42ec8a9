#!/usr/bin/env node
/**
 * `pymecompress-conformance`: the whole conformance suite from any project, with the package's
 * own vectors and suite files (dist/suites/*.suite.js) and an inline vitest config, so the
 * caller needs no vitest config (only this package installed).
 *
 *   pymecompress-conformance --backend ./my-backend.js [--backend-only] [--runs N]
 *                            [--reference [PYTHON] | --no-reference]
 *
 * Without --reference the vector, contract and cross-backend suites run and the live Python
 * part is reported as skipped. With --reference the Python reference venv (pymecompress 0.3.6
 * built from PyPI) is created first, in $XDG_CACHE_HOME/pymecompress-conformance (or
 * ~/.cache/pymecompress-conformance), with its progress on stderr and no test time-out around
 * it; PYTHON is the interpreter to build it with (3.8 - 3.11). Exit status: 0 when every test
 * passed, 1 on any failure, 2 on bad arguments.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot, setupScript } from './python.js';

const USAGE = `usage: pymecompress-conformance [--backend MODULE] [--backend-only] [--runs N]
                                [--reference [PYTHON] | --no-reference]

  --backend MODULE   a module exporting a Backend as \`default\` or \`backend\` (path relative to
                     the current directory, or a package name)
  --backend-only     test only that module (else also core-ts and an installed native)
  --runs N           fast-check cases per property (default 100)
  --reference [PY]   also run the live differential suite against Python pymecompress 0.3.6;
                     builds its venv in the user cache on first use (PY: interpreter 3.8-3.11)
  --no-reference     vectors only (the default)`;

interface Options {
  backend?: string;
  backendOnly: boolean;
  runs?: number;
  reference: boolean;
  python?: string;
}

function fail(message: string): never {
  console.error(`pymecompress-conformance: ${message}\n\n${USAGE}`);
  process.exit(2);
}

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { backendOnly: false, reference: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s, 2) : [a];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') fail(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--backend':
        o.backend = value();
        break;
      case '--backend-only':
        o.backendOnly = true;
        break;
      case '--runs': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) fail('--runs needs a positive integer');
        o.runs = n;
        break;
      }
      case '--reference':
        o.reference = true;
        if (inline !== undefined) o.python = inline;
        else if (argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('--')) o.python = argv[++i];
        break;
      case '--no-reference':
        o.reference = false;
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${JSON.stringify(a)}`);
    }
  }
  if (o.backendOnly && !o.backend) fail('--backend-only needs --backend');
  return o;
}

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'pymecompress-conformance');
}

/** Builds (or reuses) the reference venv in the user cache, progress on stderr. */
function referencePython(python: string | undefined): string {
  if (process.env.PYMECOMPRESS_REFERENCE_PYTHON) return process.env.PYMECOMPRESS_REFERENCE_PYTHON;
  const venv = process.env.PYMECOMPRESS_VENV || join(cacheDir(), 'venv');
  console.error(`[conformance] Python reference: venv ${venv} (first run: ~30 s, from PyPI)`);
  const env: NodeJS.ProcessEnv = { ...process.env, PYMECOMPRESS_VENV: venv };
  if (python) env.PYMECOMPRESS_PYTHON = python;
  try {
    const out = execFileSync('sh', [setupScript], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return out.trim().split('\n').pop() ?? '';
  } catch {
    console.error('pymecompress-conformance: setting up the Python reference failed (see above)');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.backend) {
    const spec = o.backend;
    const isPath = spec.startsWith('.') || isAbsolute(spec);
    const full = isPath ? resolve(process.cwd(), spec) : spec;
    if (isPath && !existsSync(full)) fail(`--backend: no such file ${full}`);
    process.env.PYMECOMPRESS_BACKEND_MODULE = isPath ? pathToFileURL(full).href : spec;
  }
  if (o.backendOnly) process.env.PYMECOMPRESS_BACKEND_ONLY = '1';
  if (o.runs !== undefined) process.env.PYMECOMPRESS_FC_RUNS = String(o.runs);
  const suites = ['vectors', 'cross'];
  if (o.reference) {
    process.env.PYMECOMPRESS_REFERENCE_PYTHON = referencePython(o.python);
    suites.push('differential', 'worker');
  } else {
    console.error(
      '[conformance] live Python reference: skipped (the differential and reference-worker ' +
        'suites need --reference); running the committed vectors, the contract and cross-backend checks',
    );
  }
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest(
    'test',
    [],
    {
      root: packageRoot,
      config: false,
      include: suites.map((s) => `dist/suites/${s}.suite.js`),
      // The suite lives in node_modules when installed: vitest excludes that by default.
      exclude: [],
      watch: false,
      testTimeout: 300_000,
      hookTimeout: 300_000,
      pool: 'forks',
      maxWorkers: 2,
      reporters: ['default'],
    },
    { cacheDir: join(cacheDir(), 'vite') },
  );
  const failed =
    !vitest ||
    vitest.state.getCountOfFailedTests() > 0 ||
    vitest.state.getUnhandledErrors().length > 0 ||
    vitest.state.getFiles().some((f) => f.result?.state === 'fail') ||
    (process.exitCode ?? 0) !== 0;
  await vitest?.close();
  process.exit(failed ? 1 : 0);
}

await main();
