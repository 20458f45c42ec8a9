/**
 * Byte-order helpers. Every multi-byte wire format here is little-endian (PZF, Zarr v2 and v3
 * arrays, crc32c: docs/FORMAT.md §6, §8, §9); the host's order is probed once, here.
 */

/** True on little-endian hosts (every host Node and the browsers run on today). */
export const LITTLE_ENDIAN: boolean = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The numeric typed arrays whose little-endian bytes `leBytes` gives. */
export type LeTypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * The little-endian bytes of a typed array: a view of the same memory on little-endian hosts (and
 * for one-byte input), a byte-swapped copy on big-endian ones.
 */
export function leBytes(data: LeTypedArray): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return view;
  const n = data.BYTES_PER_ELEMENT;
  const out = new Uint8Array(data.byteLength);
  for (let i = 0; i < out.length; i += n)
    for (let k = 0; k < n; k++) out[i + k] = view[i + n - 1 - k]!;
  return out;
}

/**
 * Node's Buffer.allocUnsafeSlow where the host has it (looked up, not imported: no dependency,
 * and browsers take the other branch), for a result whose every byte the caller assigns before
 * returning it (a call that fails returns nothing, so no unassigned byte ever reaches the user).
 * A zeroed 8 MiB array costs Node a pass over memory that the decoder then writes again
 * (measured: allocated and written once per page, 1.07 ms zeroed against 0.75 ms). Elsewhere,
 * or if the lookup finds no such function, a zeroed array. Always a plain Uint8Array over an
 * ArrayBuffer of its own, so the result's type and `.buffer` do not depend on the host.
 */
const allocUnsafeSlow = (globalThis as { Buffer?: { allocUnsafeSlow?: (n: number) => Uint8Array } })
  .Buffer?.allocUnsafeSlow;

export function unfilledBytes(n: number): Uint8Array {
  if (typeof allocUnsafeSlow !== 'function') return new Uint8Array(n);
  const b = allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}
