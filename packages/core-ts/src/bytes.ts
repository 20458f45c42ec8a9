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
