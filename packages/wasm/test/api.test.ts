/** Public-API snapshot of @pymecompress/wasm (the built package, by name), and its use before init(). */
import { describe, expect, it } from 'vitest';

const surface = (m: Record<string, unknown>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}: ${typeof m[k]}`);

describe('public API', () => {
  it('@pymecompress/wasm exports', async () => {
    const m = await import('@pymecompress/wasm');
    expect(surface(m)).toEqual([
      'PymecompressError: function',
      'init: function',
      'wasmBackend: object',
      'wasmHeapStats: function',
      'wasmInfo: function',
    ]);
    expect(Object.keys(m.wasmBackend).sort()).toEqual([
      'dequantize',
      'huffmanCompress',
      'huffmanCompressQuant',
      'huffmanDecompress',
      'kind',
      'quantize',
    ]);
    expect(m.wasmBackend.kind).toBe('wasm');
    expect(Object.isFrozen(m.wasmBackend)).toBe(true);
  });

  it('before init(): ERR_BACKEND_UNAVAILABLE; init() is idempotent and resolves to wasmBackend', async () => {
    const m = await import('@pymecompress/wasm');
    expect(m.wasmInfo()).toMatchObject({ ready: false, build: undefined });
    expect(() => m.wasmBackend.huffmanCompress(new Uint8Array(3))).toThrow(
      expect.objectContaining({ name: 'PymecompressError', code: 'ERR_BACKEND_UNAVAILABLE' }),
    );
    // Argument errors still come first, exactly as core-ts reports them.
    expect(() => m.wasmBackend.huffmanCompress([1] as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    const a = m.init();
    expect(m.init()).toBe(a);
    expect(await a).toBe(m.wasmBackend);
    const info = m.wasmInfo();
    expect(info.ready).toBe(true);
    // PYMECOMPRESS_WASM_BUILD forces the build (unset: SIMD, which Node validates).
    const want = process.env.PYMECOMPRESS_WASM_BUILD || 'simd';
    expect(info.build).toBe(want === 'auto' ? 'simd' : want);
    expect(info.simdSupported).toBe(true);
    expect(info.moduleBytes.simd).toBeGreaterThan(1000);
    expect(Array.from(m.wasmBackend.huffmanCompress(new Uint8Array(10).fill(7)))).toEqual([
      0x83, 0x80, 0,
    ]);
  });
});
