/**
 * Which backends the suite runs against:
 * - core-ts, always;
 * - the native addon, once per dispatch body (scalar, avx2 when the CPU has it), whenever the
 *   workspace has an implemented `@pymecompress/native` (loading failures are then errors);
 * - a fork's module from `PYMECOMPRESS_BACKEND_MODULE` (set by `pnpm test -- --backend <path>`),
 *   exporting a Backend as `default` or `backend`.
 */

import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Backend } from '@pymecompress/core-ts';
import type { SuiteTarget } from './suite.js';

export interface LoadedBackends {
  targets: SuiteTarget[];
  /** Human-readable reasons for backends that are not run. */
  skipped: string[];
}

const BACKEND_METHODS = [
  'huffmanCompress',
  'huffmanDecompress',
  'quantize',
  'dequantize',
  'huffmanCompressQuant',
];

export function assertBackend(value: unknown, where: string): Backend {
  if (!value || typeof value !== 'object') throw new Error(`${where}: no Backend object exported`);
  const missing = BACKEND_METHODS.filter(
    (k) => typeof (value as Record<string, unknown>)[k] !== 'function',
  );
  if (missing.length) throw new Error(`${where}: not a Backend (missing ${missing.join(', ')})`);
  return value as Backend;
}

/** Load a fork's backend module (path relative to the directory the user ran pnpm from). */
export async function loadBackendModule(spec: string): Promise<Backend> {
  const base = process.env.INIT_CWD ?? process.cwd();
  const url = spec.startsWith('file:')
    ? spec
    : isAbsolute(spec) || spec.startsWith('.')
      ? pathToFileURL(resolve(base, spec)).href
      : spec;
  const mod = (await import(url)) as Record<string, unknown>;
  return assertBackend(mod.backend ?? mod.default, `backend module ${spec}`);
}

/** The workspace's native package directory, if this checkout has one. */
const nativeDir = fileURLToPath(new URL('../../native/', import.meta.url));

/** True when the native package exists AND has an implementation (src/index.ts or dist/index.js). */
export function nativeImplemented(): boolean {
  return (
    existsSync(resolve(nativeDir, 'package.json')) &&
    (existsSync(resolve(nativeDir, 'src/index.ts')) ||
      existsSync(resolve(nativeDir, 'dist/index.js')))
  );
}

type DispatchBody = 'scalar' | 'avx2';

interface NativeModule {
  nativeBackend?: Backend;
  backend?: Backend;
  default?: Backend;
  setDispatch?: (mode: string) => unknown;
  hasAvx2?: boolean;
  getDispatch?: () => string;
  dispatchAvailable?: (mode: string) => boolean;
  availableDispatch?: () => string[];
  cpuHasAvx2?: () => boolean;
  cpuFeatures?: () => Record<string, boolean>;
}

export interface NativeTargets {
  targets: SuiteTarget[];
  skipped: string[];
  module?: NativeModule;
}

function avx2Supported(m: NativeModule): boolean {
  if (typeof m.hasAvx2 === 'boolean') return m.hasAvx2;
  if (typeof m.dispatchAvailable === 'function') return m.dispatchAvailable('avx2');
  if (typeof m.availableDispatch === 'function') return m.availableDispatch().includes('avx2');
  if (typeof m.cpuHasAvx2 === 'function') return m.cpuHasAvx2();
  if (typeof m.cpuFeatures === 'function') return Boolean(m.cpuFeatures().avx2);
  // Fall back to the kernel's view of the CPU.
  try {
    return /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

/** Native targets: one per dispatch body. Throws when the package is implemented but fails to load. */
export async function loadNativeTargets(): Promise<NativeTargets> {
  if (!nativeImplemented()) {
    const reason =
      'native: @pymecompress/native has no implementation in this workspace yet (no src/index.ts)';
    if (process.env.PYMECOMPRESS_REQUIRE_NATIVE === '1')
      throw new Error(`${reason}, and PYMECOMPRESS_REQUIRE_NATIVE=1`);
    return { targets: [], skipped: [reason] };
  }
  let m: NativeModule;
  try {
    m = (await import('@pymecompress/native' as string)) as NativeModule;
  } catch (e) {
    throw new Error(
      `@pymecompress/native exists in the workspace but failed to load (build it: pnpm --filter @pymecompress/native build): ${String(e)}`,
      { cause: e },
    );
  }
  const backend = assertBackend(m.nativeBackend ?? m.backend ?? m.default, '@pymecompress/native');
  const setDispatch = m.setDispatch;
  if (typeof setDispatch !== 'function') {
    return {
      targets: [{ name: 'native', backend: () => backend }],
      skipped: ['native: no setDispatch() export, so only the default dispatch body is tested'],
      module: m,
    };
  }
  const bodies: DispatchBody[] = ['scalar'];
  const skipped: string[] = [];
  if (avx2Supported(m)) bodies.push('avx2');
  else skipped.push('native[avx2]: this CPU has no AVX2');
  const targets = bodies.map((body) => ({
    name: `native[${body}]`,
    backend: () => {
      setDispatch(body);
      return backend;
    },
    beforeEach: () => {
      setDispatch(body);
    },
  }));
  return { targets, skipped, module: m };
}

/** core-ts, native (each dispatch body) and an optional external module. */
export async function loadBackends(): Promise<LoadedBackends> {
  const core = await import('@pymecompress/core-ts');
  const targets: SuiteTarget[] = [
    { name: 'core-ts', backend: () => assertBackend(core.coreBackend, 'core-ts') },
  ];
  const skipped: string[] = [];
  const ext = process.env.PYMECOMPRESS_BACKEND_MODULE;
  if (ext && process.env.PYMECOMPRESS_BACKEND_ONLY === '1') {
    const backend = await loadBackendModule(ext);
    return {
      targets: [{ name: `external:${backend.kind ?? ext}`, backend: () => backend }],
      skipped: ['core-ts, native: PYMECOMPRESS_BACKEND_ONLY=1'],
    };
  }
  const native = await loadNativeTargets();
  targets.push(...native.targets);
  skipped.push(...native.skipped);
  if (ext) {
    const backend = await loadBackendModule(ext);
    targets.push({ name: `external:${backend.kind ?? ext}`, backend: () => backend });
  }
  return { targets, skipped };
}
