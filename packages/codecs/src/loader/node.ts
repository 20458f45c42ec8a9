/**
 * Backend loader for Node.js (the `node` condition of the `#backend-loader` import).
 *
 * @pymecompress/native is loaded synchronously with `createRequire` (its ESM entry has no
 * top-level await, so `require(esm)` on Node >= 20.19 loads it), which keeps this package free of
 * top-level await and therefore `require()`-able itself. @pymecompress/wasm is imported lazily by
 * `ready()` through a variable specifier, so neither TypeScript nor a bundler insists on it.
 * Failures are classified (see `BackendUnavailableReason`), never thrown.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiateWasm, WASM_PACKAGE } from './shared.js';
import {
  type AsyncBackend,
  isBackend,
  type NativeDispatch,
  type NativeLoad,
  type RuntimeLoader,
} from './types.js';

const NATIVE_PACKAGE = '@pymecompress/native';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Whether an installed native package has a compiled addon (node-gyp build or a prebuild). */
function hasAddon(dir: string): boolean {
  const release = join(dir, 'build', 'Release');
  if (existsSync(release) && readdirSync(release).some((f) => f.endsWith('.node'))) return true;
  return existsSync(join(dir, 'prebuilds')) || existsSync(join(dir, 'build', 'Debug'));
}

/**
 * The directory of installed package `name`, found as ESM resolution finds it: in the
 * `node_modules` folders from this file upwards (not `NODE_PATH`, which `require` would also
 * search and `import` does not), without relying on the package exporting `./package.json`.
 */
function findPackageDir(name: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The package's ESM entry file (its `exports` may offer only an `import` condition). */
function entryFile(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    main?: string;
    exports?: { '.'?: { import?: string; default?: string } };
  };
  const dot = pkg.exports?.['.'];
  return join(dir, dot?.default ?? dot?.import ?? pkg.main ?? 'index.js');
}

function loadNative(skip?: string): NativeLoad {
  if (skip !== undefined)
    return { status: { available: false, reason: 'disabled', message: skip } };
  const dir = findPackageDir(NATIVE_PACKAGE);
  if (dir === undefined) {
    return {
      status: {
        available: false,
        reason: 'not-installed',
        message: `${NATIVE_PACKAGE} is not installed`,
      },
    };
  }
  const require = createRequire(import.meta.url);
  let mod: Record<string, unknown>;
  try {
    mod = require(entryFile(dir)) as Record<string, unknown>;
  } catch (err) {
    if (!hasAddon(dir)) {
      return {
        status: {
          available: false,
          reason: 'build-failed',
          message:
            `${NATIVE_PACKAGE} is installed but has no compiled addon (neither build/Release/*.node ` +
            `nor prebuilds/): its install-time build failed. Rebuild it with ` +
            `\`npm rebuild ${NATIVE_PACKAGE}\` (needs a C/C++ compiler). Loader said: ${message(err)}`,
        },
      };
    }
    return {
      status: {
        available: false,
        reason: 'load-failed',
        message: `${NATIVE_PACKAGE} failed to load: ${message(err)}`,
      },
    };
  }
  const backend = mod.nativeBackend;
  if (!isBackend(backend)) {
    return {
      status: {
        available: false,
        reason: 'load-failed',
        message: `${NATIVE_PACKAGE} loaded but does not export a usable \`nativeBackend\``,
      },
    };
  }
  const asyncBackend = mod.nativeAsyncBackend as AsyncBackend | undefined;
  const dispatch =
    typeof mod.setDispatch === 'function' ? (mod as unknown as NativeDispatch) : undefined;
  return {
    status: { available: true },
    backend,
    ...(asyncBackend !== undefined ? { async: asyncBackend } : {}),
    ...(dispatch !== undefined ? { dispatch } : {}),
  };
}

// A variable, so bundlers and TypeScript leave the optional package alone.
const wasmSpecifier: string = WASM_PACKAGE;

export const runtime: RuntimeLoader = Object.freeze({
  platform: 'node' as const,
  env: process.env.PYMECOMPRESS_BACKEND,
  loadNative,
  loadWasm: () => instantiateWasm(() => import(wasmSpecifier)),
});
