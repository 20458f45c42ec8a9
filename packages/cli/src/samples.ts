/**
 * Sample types the decompress outputs can hold. Inputs to `compress` are camera data (uint8 /
 * uint16, `PixelDtype`); what `decompress` reads from Zarr may be any numeric type zarrita decodes
 * (PYME tile pyramids are float32), so `.npy` and `.tif` outputs take these.
 */
import type { LeTypedArray } from '@pymecompress/core-ts/internal';

export type SampleDtype =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'float32'
  | 'float64';

/** A frame of samples (native byte order). */
export type Samples = LeTypedArray;

export interface SampleType {
  bytes: 1 | 2 | 4 | 8;
  /** numpy `descr` (little-endian). */
  npy: string;
  /** TIFF SampleFormat: 1 unsigned, 2 signed, 3 IEEE float. */
  tiffFormat: 1 | 2 | 3;
  create(n: number): Samples;
}

export const SAMPLE_TYPES: Record<SampleDtype, SampleType> = {
  uint8: { bytes: 1, npy: '|u1', tiffFormat: 1, create: (n) => new Uint8Array(n) },
  int8: { bytes: 1, npy: '|i1', tiffFormat: 2, create: (n) => new Int8Array(n) },
  uint16: { bytes: 2, npy: '<u2', tiffFormat: 1, create: (n) => new Uint16Array(n) },
  int16: { bytes: 2, npy: '<i2', tiffFormat: 2, create: (n) => new Int16Array(n) },
  uint32: { bytes: 4, npy: '<u4', tiffFormat: 1, create: (n) => new Uint32Array(n) },
  int32: { bytes: 4, npy: '<i4', tiffFormat: 2, create: (n) => new Int32Array(n) },
  float32: { bytes: 4, npy: '<f4', tiffFormat: 3, create: (n) => new Float32Array(n) },
  float64: { bytes: 8, npy: '<f8', tiffFormat: 3, create: (n) => new Float64Array(n) },
};

export function isSampleDtype(name: string): name is SampleDtype {
  return Object.hasOwn(SAMPLE_TYPES, name);
}
