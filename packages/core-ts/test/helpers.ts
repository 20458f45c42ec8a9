import { expect } from 'vitest';
import { isPymecompressError, type PymecompressErrorCode } from '../src/errors.js';

/** Runs `fn` and returns the error code it throws, failing on any other kind of error. */
export function errorCode(fn: () => unknown): PymecompressErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!isPymecompressError(error)) throw error;
    return error.code;
  }
}

export function expectCode(fn: () => unknown, code: PymecompressErrorCode): void {
  expect(errorCode(fn)).toBe(code);
}

/** Shuffled bytes whose histogram is the given counts (symbol i occurs counts[i] times). */
export function fromHistogram(counts: number[], seed = 1): Uint8Array {
  const total = counts.reduce((a, b) => a + b, 0);
  const data = new Uint8Array(total);
  let pos = 0;
  counts.forEach((count, symbol) => {
    data.fill(symbol, pos, pos + count);
    pos += count;
  });
  let state = seed >>> 0 || 1;
  for (let i = total - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    const t = data[i]!;
    data[i] = data[j]!;
    data[j] = t;
  }
  return data;
}

/** Fibonacci histogram over `symbols` symbols: the shape that gives the deepest trees. */
export function fibonacciCounts(symbols: number): number[] {
  const counts = [1, 1];
  while (counts.length < symbols)
    counts.push(counts[counts.length - 1]! + counts[counts.length - 2]!);
  return counts.slice(0, symbols);
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * Byte-exact comparison of two typed arrays that stays fast for megabytes (vitest's deep
 * equality walks element by element) and names the first difference on failure.
 */
export function expectSameBytes(actual: ArrayBufferView, expected: ArrayBufferView): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  expect(actual.constructor.name).toBe(expected.constructor.name);
  if (a.equals(b)) return;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  expect.fail(
    `byte arrays differ: lengths ${a.length} and ${b.length}, first difference at byte ${i} ` +
      `(${a[i]} vs ${b[i]})`,
  );
}
