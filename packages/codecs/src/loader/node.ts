/**
 * Backend loader for Node.js (selected by the `node` condition of the `#backend-loader`
 * import). Tries `@pymecompress/native` once, at module load, unless
 * `PYMECOMPRESS_BACKEND=core-ts`; a failure is recorded (with its reason), never thrown.
 */
import { createRequire } from 'node:module';
import type { Backend } from '@pymecompress/core-ts';
import type { AsyncBackend, NativeLoadResult } from './types.js';

// A variable specifier keeps TypeScript and bundlers from requiring the optional package.
const NATIVE_PACKAGE = '@pymecompress/native';

const BACKEND_METHODS = [
  'huffmanCompress',
  'huffmanDecompress',
  'quantize',
  'dequantize',
  'huffmanCompressQuant',
] as const;

function isBackend(value: unknown): value is Backend {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kind === 'string' && BACKEND_METHODS.every((m) => typeof v[m] === 'function');
}

function pickAsync(mod: Record<string, unknown>, backend: Backend): AsyncBackend {
  const holders = [mod, backend as unknown as Record<string, unknown>];
  const find = <F>(name: string): F | undefined => {
    const h = holders.find((x) => typeof x[name] === 'function');
    return h ? ((h[name] as (...a: unknown[]) => unknown).bind(h) as F) : undefined;
  };
  const out: AsyncBackend = {};
  const compress = find<AsyncBackend['huffmanCompressAsync']>('huffmanCompressAsync');
  if (compress) out.huffmanCompressAsync = compress;
  const quant = find<AsyncBackend['huffmanCompressQuantAsync']>('huffmanCompressQuantAsync');
  if (quant) out.huffmanCompressQuantAsync = quant;
  const decompress =
    find<(s: Uint8Array, n: number) => Promise<Uint8Array>>('huffmanDecompressAsync');
  if (decompress) {
    // The addon's async decoder allocates its own result; honour `out` by copying into it.
    out.huffmanDecompressAsync = async (stream, outSize, target) => {
      if (target !== undefined && target.length < outSize) {
        // Let the sync path raise the contract's error for a short `out`.
        return backend.huffmanDecompress(stream, outSize, target);
      }
      const result = await decompress(stream, outSize);
      if (target === undefined) return result;
      if (result !== target) target.set(result.subarray(0, outSize));
      return target.subarray(0, outSize);
    };
  }
  return out;
}

// Loaded with require() (require(esm), Node >= 20.19), not `await import()`: a top-level await
// here would make `require('@pymecompress/codecs')` fail with ERR_REQUIRE_ASYNC_MODULE.
const requireNative = createRequire(import.meta.url);

function load(): NativeLoadResult {
  const env = process.env.PYMECOMPRESS_BACKEND;
  const base = { platform: 'node' as const, ...(env !== undefined ? { env } : {}) };
  if (env === 'core-ts') {
    return {
      ...base,
      attempted: false,
      reason: 'not attempted: PYMECOMPRESS_BACKEND=core-ts',
    };
  }
  try {
    const mod = requireNative(NATIVE_PACKAGE) as Record<string, unknown>;
    const backend =
      mod.nativeBackend ?? (mod.default as Record<string, unknown> | undefined)?.nativeBackend;
    if (!isBackend(backend)) {
      return {
        ...base,
        attempted: true,
        reason: `${NATIVE_PACKAGE} loaded but does not export a usable \`nativeBackend\``,
      };
    }
    return { ...base, attempted: true, backend, async: pickAsync(mod, backend) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const msg = err instanceof Error ? err.message : String(err);
    const reason =
      (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
      msg.includes(`'${NATIVE_PACKAGE}'`)
        ? `${NATIVE_PACKAGE} is not installed`
        : `${NATIVE_PACKAGE} failed to load: ${msg}`;
    return { ...base, attempted: true, reason };
  }
}

export const nativeLoad: NativeLoadResult = Object.freeze(load());
