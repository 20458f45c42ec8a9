import { PymecompressError, pymecompressError } from './errors.js';
import { MAX_SIZE } from './format.js';

export { MAX_SIZE } from './format.js';

const toStringTag = (value: unknown): string => Object.prototype.toString.call(value);

/** Accepts `Uint8Array` and its subclasses (`Buffer`), from any realm; rejects clamped arrays. */
export function assertUint8Array(value: unknown, name: string): asserts value is Uint8Array {
  if (!ArrayBuffer.isView(value) || toStringTag(value) !== '[object Uint8Array]') {
    throw new PymecompressError('ERR_INVALID_ARGUMENT', `${name} must be a Uint8Array`);
  }
}

export function assertUint16Array(value: unknown, name: string): asserts value is Uint16Array {
  if (!ArrayBuffer.isView(value) || toStringTag(value) !== '[object Uint16Array]') {
    throw new PymecompressError('ERR_INVALID_ARGUMENT', `${name} must be a Uint16Array`);
  }
}

/**
 * A plain `Uint8Array` over the same memory. Hot loops read and write only through such views:
 * once a loop has seen both `Buffer`s and plain arrays, V8 makes its element accesses
 * polymorphic and the loop runs about 40% slower for every caller afterwards.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** A symbol or byte count: an integer from 0 to 2^32 - 1. */
export function assertSize(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SIZE) {
    throw new PymecompressError(
      'ERR_INVALID_ARGUMENT',
      `${name} must be an integer from 0 to ${MAX_SIZE}, got ${String(value)}`,
    );
  }
}

/** Checks an optional caller-provided output buffer: right type, at least `length` elements. */
export function assertOutput(
  out: unknown,
  length: number,
  name: string,
  assertType: (value: unknown, name: string) => void,
): void {
  if (out === undefined) return;
  assertType(out, name);
  const available = (out as Uint8Array | Uint16Array).length;
  if (available < length) {
    throw new PymecompressError(
      'ERR_INVALID_ARGUMENT',
      `${name} holds ${available} elements but ${length} are needed`,
    );
  }
}

/** Checks an optional output buffer and returns the view to write into (allocating if absent). */
export function outputView<T extends Uint8Array | Uint16Array>(
  out: T | undefined,
  length: number,
  name: string,
  assertType: (value: unknown, name: string) => void,
  allocate: (length: number) => T,
): T {
  if (out === undefined) return allocate(length);
  assertOutput(out, length, name, assertType);
  return out.length === length ? out : (out.subarray(0, length) as T);
}

/** Inputs to the encoder must fit the formats' 32-bit sizes. */
export function assertEncodableLength(length: number): void {
  if (length > MAX_SIZE) {
    throw pymecompressError(
      'ERR_INPUT_TOO_LARGE',
      `input of ${length} bytes is too large: the format describes at most ${MAX_SIZE} bytes`,
    );
  }
}

/**
 * Quantization parameters as the reference sees them: C `float`s. The reciprocal of the scale
 * must also be a finite float32, or every non-zero value would quantize to infinity.
 */
export interface QuantParams {
  readonly offset32: number;
  readonly scale32: number;
}

/**
 * The one offset/scale rule (docs/FORMAT.md §2), used by every backend, the quant16 codec (at
 * construction), the PZF writer, the CLI and native: both must be JSON numbers (no strings, no
 * `null`), `offset` finite as a float32, `scale` a float32 > 0 whose float32 reciprocal is
 * finite. `context` (e.g. `'pymecompress-quant16'`) prefixes the message.
 */
export function quantParams(offset: unknown, scale: unknown, context?: string): QuantParams {
  const where = context === undefined ? '' : `${context}: `;
  if (typeof offset !== 'number' || !Number.isFinite(Math.fround(offset))) {
    throw new PymecompressError(
      'ERR_INVALID_ARGUMENT',
      `${where}offset must be a finite float32 number, got ${String(offset)}`,
    );
  }
  const scale32 = typeof scale === 'number' ? Math.fround(scale) : Number.NaN;
  if (!(scale32 > 0) || !Number.isFinite(scale32) || !Number.isFinite(Math.fround(1 / scale32))) {
    throw new PymecompressError(
      'ERR_INVALID_ARGUMENT',
      `${where}scale must be a finite number > 0 whose float32 reciprocal is finite, got ${String(scale)}`,
    );
  }
  return { offset32: Math.fround(offset), scale32 };
}

// The argument rules of the Backend methods that take an optional `out`, written once so every
// backend (core-ts, native's wrappers) checks the same things in the same order and so fails
// alike (docs/FORMAT.md §1.5, §2). Each backend then allocates or views `out` its own way.

/** `huffmanDecompress(stream, outSize, out?)`: a byte stream, a size, an output of that size. */
export function checkDecompressArgs(stream: unknown, outSize: unknown, out: unknown): void {
  assertUint8Array(stream, 'stream');
  assertSize(outSize, 'outSize');
  assertOutput(out, outSize, 'out', assertUint8Array);
}

/** The quantizer's two directions: input of its type, the offset/scale rule, output of its type. */
function quantArgs(
  input: unknown,
  inputName: string,
  assertInput: (value: unknown, name: string) => void,
  offset: unknown,
  scale: unknown,
  out: unknown,
  assertOut: (value: unknown, name: string) => void,
): QuantParams {
  assertInput(input, inputName);
  const params = quantParams(offset, scale);
  assertOutput(out, (input as Uint8Array | Uint16Array).length, 'out', assertOut);
  return params;
}

/** `quantize(data, offset, scale, out?)`: uint16 data, the offset/scale rule, a byte output. */
export function checkQuantizeArgs(
  data: unknown,
  offset: unknown,
  scale: unknown,
  out: unknown,
): QuantParams {
  return quantArgs(data, 'data', assertUint16Array, offset, scale, out, assertUint8Array);
}

/** `dequantize(q, offset, scale, out?)`: byte symbols, the offset/scale rule, a uint16 output. */
export function checkDequantizeArgs(
  q: unknown,
  offset: unknown,
  scale: unknown,
  out: unknown,
): QuantParams {
  return quantArgs(q, 'q', assertUint8Array, offset, scale, out, assertUint16Array);
}
