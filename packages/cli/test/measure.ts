/** Runs the CLI with a time limit and records exit code, peak RSS and wall time per case. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, pkgRoot } from './helpers.js';

export interface Measured {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  rssMB: number;
  ms: number;
}

const results: Array<{ case: string } & Omit<Measured, 'stdout' | 'stderr'>> = [];

export function measure(
  name: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Measured {
  const rusage = join(tmpdir(), `pymecompress-rusage-${process.pid}-${results.length}`);
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--import', join(pkgRoot, 'test', 'rusage-preload.mjs'), bin, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env, PYMECOMPRESS_TEST_RUSAGE_FILE: rusage },
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    },
  );
  const ms = Math.round(performance.now() - t0);
  let rssMB = Number.NaN;
  try {
    rssMB = Math.round(Number(readFileSync(rusage, 'utf8')) / 1024);
    rmSync(rusage);
  } catch {
    // killed before exit
  }
  const m = { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, rssMB, ms };
  results.push({ case: name, code: m.code, signal: m.signal, rssMB, ms });
  return m;
}

/** Writes the table of cases (exit code, peak RSS, time) for the closing note. */
export function writeMeasurements(file: string): void {
  mkdirSync(join(pkgRoot, 'test-results'), { recursive: true });
  writeFileSync(join(pkgRoot, 'test-results', file), `${JSON.stringify(results, null, 2)}\n`);
}
