/**
 * The one interface every implementation satisfies: core-ts (this package), the native addon,
 * and any fork's backend the conformance suite is pointed at. All functions are synchronous and
 * throw `PymecompressError` (see errors.ts) on bad input.
 */
export interface Backend {
  /** Identifies the implementation, e.g. `"core-ts"`, `"native"`. */
  readonly kind: string;

  /**
   * Huffman-code `data` into a raw BCL stream (no trailer). Byte-identical to pymecompress's
   * `HuffmanCompress` whenever the deepest code is at most 25 bits; correct longer codes beyond.
   */
  huffmanCompress(data: Uint8Array): Uint8Array;

  /**
   * Decode exactly `outSize` symbols from `stream`; bits after them are ignored. If `out` is
   * given it must hold at least `outSize` bytes; the result is then `out.subarray(0, outSize)`.
   */
  huffmanDecompress(stream: Uint8Array, outSize: number, out?: Uint8Array): Uint8Array;

  /** Square-root quantization to 8 bits: the float32 model, saturating at 255, 0 below `offset`. */
  quantize(data: Uint16Array, offset: number, scale: number, out?: Uint8Array): Uint8Array;

  /** PYME's PZF dequantization: `(float32(q) * scale)^2 + offset` in float32, truncated, clamped. */
  dequantize(q: Uint8Array, offset: number, scale: number, out?: Uint16Array): Uint16Array;

  /** `huffmanCompress(quantize(data, offset, scale))`, as pymecompress's `HuffmanCompressQuant`. */
  huffmanCompressQuant(data: Uint16Array, offset: number, scale: number): Uint8Array;

  /**
   * Optional: decodes many independent streams in one call, `streams[i]` into exactly
   * `sizes[i]` bytes (into `outs[i]` when given), results as `huffmanDecompress` would give them
   * one by one. A backend offers it when it is faster than a loop (the native addon interleaves
   * two streams' bit readers in one thread); callers fall back to `huffmanDecompress` per stream
   * when it is absent (codecs' `decodePzf` for chunked frames does).
   */
  huffmanDecompressBatch?(
    streams: readonly Uint8Array[],
    sizes: readonly number[],
    outs?: readonly Uint8Array[],
  ): Uint8Array[];
}

/** The functions every `Backend` has: the one list loaders and the conformance suite check. */
export const BACKEND_METHODS = [
  'huffmanCompress',
  'huffmanDecompress',
  'quantize',
  'dequantize',
  'huffmanCompressQuant',
] as const satisfies readonly (keyof Backend)[];

/** The `BACKEND_METHODS` that `value` lacks (all of them for a non-object). */
export function missingBackendMethods(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [...BACKEND_METHODS];
  const v = value as Record<string, unknown>;
  return BACKEND_METHODS.filter((m) => typeof v[m] !== 'function');
}

/** True when `value` has a string `kind` and every `BACKEND_METHODS` function. */
export function isBackend(value: unknown): value is Backend {
  return (
    missingBackendMethods(value).length === 0 &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}
