import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PymecompressError } from '@pymecompress/core-ts';
import { expect } from 'vitest';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const PKG = resolve(HERE, '..');
export const SETUP_PYTHON = resolve(PKG, '../conformance/scripts/setup-python.sh');

let cachedPython: string | undefined;

/**
 * The reference venv's python (pymecompress 0.3.6, numpy, numcodecs, zarr 2.x), created on
 * first use by the conformance package's setup script. Set PYMECOMPRESS_SKIP_PYTHON=1 to skip
 * the interop tests on machines without Python 3.8-3.11 (CI must not set it).
 */
export function python(): string {
  if (cachedPython) return cachedPython;
  const out = execFileSync('sh', [SETUP_PYTHON], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  });
  cachedPython = out.trim().split('\n').pop()!;
  return cachedPython;
}

export const SKIP_PYTHON = process.env.PYMECOMPRESS_SKIP_PYTHON === '1';

/** Runs a script from test/python with the reference python; its stdout is discarded (bcl prints). */
export function runPython(script: string, args: string[]): void {
  const r = spawnSync(python(), [join(HERE, 'python', script), ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`python ${script} failed (${r.status}):\n${r.stderr}`);
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pmc-codecs-${prefix}-`));
}

export type Dtype = 'uint8' | 'uint16' | 'float32';

export function readTyped(file: string, dtype: string): Uint8Array | Uint16Array | Float32Array {
  const b = readFileSync(file);
  const buf = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  if (dtype === 'uint8') return new Uint8Array(buf);
  if (dtype === 'uint16') return new Uint16Array(buf);
  if (dtype === 'float32') return new Float32Array(buf);
  throw new Error(`dtype ${dtype}`);
}

/** Deterministic PRNG (mulberry32) for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A camera-like uint16 frame: dark level + roughly Poisson signal, kept below `top`. */
export function cameraFrame(n: number, seed: number, dark = 100, top = 60000): Uint16Array {
  const r = rng(seed);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const signal = r() < 0.01 ? (top - dark) * r() : -Math.log(1 - r()) * 40;
    out[i] = Math.min(top - 1, Math.max(0, Math.round(dark + signal - 3)));
  }
  return out;
}

/** The code of the PymecompressError `fn` throws (failing on any other error), or undefined. */
export function errorCodeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PymecompressError);
    return (e as PymecompressError).code;
  }
  return undefined;
}
