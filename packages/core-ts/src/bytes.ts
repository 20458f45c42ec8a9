/**
 * Byte-order helpers. Every wire format here is little-endian (docs/FORMAT.md §1, §4, §5); the
 * host's order is probed once, here.
 */

/** True on little-endian hosts (every host Node and the browsers run on today). */
export const LITTLE_ENDIAN: boolean = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * The little-endian bytes of a typed array: a view of the same memory on little-endian hosts (and
 * for `Uint8Array` input), a byte-swapped copy on big-endian ones.
 */
export function leBytes(data: Uint8Array | Uint16Array | Float32Array): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const dv = new DataView(out.buffer);
  if (data instanceof Uint16Array) {
    for (let i = 0; i < data.length; i++) dv.setUint16(2 * i, data[i]!, true);
  } else {
    for (let i = 0; i < data.length; i++) dv.setFloat32(4 * i, data[i]!, true);
  }
  return out;
}
