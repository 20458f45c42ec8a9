/**
 * Which backends the suite runs against:
 * - core-ts, always;
 * - the native addon, once per dispatch body (scalar, avx2 when the CPU has it), whenever the
 *   workspace has an implemented `@pymecompress/native` (loading failures are then errors);
 * - wasm, when `@pymecompress/wasm` instantiates;
 * native and wasm are found by @pymecompress/codecs's loader (the one loader of the project);
 * - a fork's module from `PYMECOMPRESS_BACKEND_MODULE` (set by `pnpm test -- --backend <path>`),
 *   exporting a Backend as `default` or `backend`.
 */

import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { availableBackends, missingBackendMethods, ready } from '@pymecompress/codecs';
import type { Backend } from '@pymecompress/core-ts';
import type { SuiteTarget } from './suite.js';

export interface LoadedBackends {
  targets: SuiteTarget[];
  /** Human-readable reasons for backends that are not run. */
  skipped: string[];
}

export function assertBackend(value: unknown, where: string): Backend {
  if (!value || typeof value !== 'object') throw new Error(`${where}: no Backend object exported`);
  const missing = missingBackendMethods(value);
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

export interface NativeTargets {
  targets: SuiteTarget[];
  skipped: string[];
}

/** Suite targets for the entries of @pymecompress/codecs's loader of one kind. */
async function loaderTargets(kind: 'native' | 'wasm'): Promise<SuiteTarget[]> {
  const { entries } = await availableBackends();
  return entries
    .filter((e) => e.kind === kind)
    .map((e) => ({
      name: e.name,
      backend: () => {
        e.activate();
        return e.backend;
      },
      beforeEach: () => e.activate(),
    }));
}

/**
 * Native targets (one per dispatch body), from @pymecompress/codecs's loader. Throws when the
 * workspace has an implemented native package that is installed but does not load.
 */
export async function loadNativeTargets(): Promise<NativeTargets> {
  if (!nativeImplemented()) {
    const reason =
      'native: @pymecompress/native has no implementation in this workspace yet (no src/index.ts)';
    if (process.env.PYMECOMPRESS_REQUIRE_NATIVE === '1')
      throw new Error(`${reason}, and PYMECOMPRESS_REQUIRE_NATIVE=1`);
    return { targets: [], skipped: [reason] };
  }
  const status = (await ready()).backends.native;
  if (!status.available) {
    if (status.reason === 'disabled')
      return { targets: [], skipped: [`native: ${status.message}`] };
    throw new Error(
      `@pymecompress/native exists in the workspace but is unavailable (${status.reason}): ${status.message}`,
    );
  }
  const targets = await loaderTargets('native');
  const skipped = targets.some((t) => t.name === 'native[avx2]')
    ? []
    : ['native[avx2]: this CPU has no AVX2 (or the addon has no dispatch control)'];
  return { targets, skipped };
}

/** The wasm target, when @pymecompress/wasm instantiates here (skipped with the reason otherwise). */
export async function loadWasmTargets(): Promise<NativeTargets> {
  const status = (await ready()).backends.wasm;
  if (!status.available)
    return { targets: [], skipped: [`wasm: ${status.message ?? status.reason}`] };
  return { targets: await loaderTargets('wasm'), skipped: [] };
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
  for (const found of [await loadNativeTargets(), await loadWasmTargets()]) {
    targets.push(...found.targets);
    skipped.push(...found.skipped);
  }
  if (ext) {
    const backend = await loadBackendModule(ext);
    targets.push({ name: `external:${backend.kind ?? ext}`, backend: () => backend });
  }
  return { targets, skipped };
}
