/**
 * Sample types the decompress outputs can hold. Inputs to `compress` are camera data (uint8 /
 * uint16, `PixelDtype`); what `decompress` reads from Zarr may be any numeric type zarrita decodes
 * (PYME tile pyramids are float32), so `.npy` and `.tif` outputs take these.
 */
import { v2Dtype, type ZarrV2DtypeName } from '@pymecompress/codecs';
import type { LeTypedArray } from '@pymecompress/core-ts/internal';

/** The element type names: codecs' one list of numpy / Zarr v2 little-endian spellings. */
export type SampleDtype = ZarrV2DtypeName;

/** A frame of samples (native byte order). */
export type Samples = LeTypedArray;

export interface SampleType {
  bytes: 1 | 2 | 4 | 8;
  /** numpy `descr` (little-endian), from codecs' `v2Dtype`. */
  npy: string;
  /** TIFF SampleFormat: 1 unsigned, 2 signed, 3 IEEE float. */
  tiffFormat: 1 | 2 | 3;
  create(n: number): Samples;
}

export const SAMPLE_TYPES: Record<SampleDtype, SampleType> = {
  uint8: { bytes: 1, npy: v2Dtype('uint8'), tiffFormat: 1, create: (n) => new Uint8Array(n) },
  int8: { bytes: 1, npy: v2Dtype('int8'), tiffFormat: 2, create: (n) => new Int8Array(n) },
  uint16: { bytes: 2, npy: v2Dtype('uint16'), tiffFormat: 1, create: (n) => new Uint16Array(n) },
  int16: { bytes: 2, npy: v2Dtype('int16'), tiffFormat: 2, create: (n) => new Int16Array(n) },
  uint32: { bytes: 4, npy: v2Dtype('uint32'), tiffFormat: 1, create: (n) => new Uint32Array(n) },
  int32: { bytes: 4, npy: v2Dtype('int32'), tiffFormat: 2, create: (n) => new Int32Array(n) },
  float32: { bytes: 4, npy: v2Dtype('float32'), tiffFormat: 3, create: (n) => new Float32Array(n) },
  float64: { bytes: 8, npy: v2Dtype('float64'), tiffFormat: 3, create: (n) => new Float64Array(n) },
};

export function isSampleDtype(name: string): name is SampleDtype {
  return Object.hasOwn(SAMPLE_TYPES, name);
}
