/**
 * The one Zarr v2 metadata writer (src/zarr-v2.ts) and the NGFF 0.4 multiscales builder
 * (src/ngff.ts): documents, chunk keys and the typed errors for what the formats forbid.
 */

import {
  Huffman,
  isPymecompressError,
  ngffMultiscales,
  v2Dtype,
  zarrV2ArrayMeta,
  zarrV2ChunkGrid,
  zarrV2ChunkKey,
  zarrV2GroupMeta,
  zarrV2Json,
} from '@pymecompress/codecs';
import * as zarrEntry from '@pymecompress/codecs/zarr';
import { describe, expect, it } from 'vitest';

const invalid = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return isPymecompressError(err) && (err as { code: string }).code === 'ERR_INVALID_ARGUMENT';
  }
  return false;
};

describe('zarr-v2 metadata', () => {
  it('writes the .zarray document zarr-python writes, keys sorted', () => {
    const meta = zarrV2ArrayMeta({
      shape: [3, 40, 64],
      chunks: [1, 40, 64],
      dtype: v2Dtype('uint16'),
      compressor: new Huffman().toJSON(),
    });
    expect(Object.keys(meta)).toEqual([...Object.keys(meta)].sort());
    expect(meta).toEqual({
      chunks: [1, 40, 64],
      compressor: { id: 'pymecompress-huffman' },
      dimension_separator: '.',
      dtype: '<u2',
      fill_value: 0,
      filters: null,
      order: 'C',
      shape: [3, 40, 64],
      zarr_format: 2,
    });
    expect(new TextDecoder().decode(zarrV2Json(zarrV2GroupMeta()))).toBe(
      '{\n    "zarr_format": 2\n}\n',
    );
  });

  it('chunk keys join the index with the separator; the grid rounds up', () => {
    expect(zarrV2ChunkKey([2, 0, 13])).toBe('2.0.13');
    expect(zarrV2ChunkKey([2, 0, 13], '/')).toBe('2/0/13');
    expect(zarrV2ChunkGrid([5, 301, 257], [2, 128, 128])).toEqual([3, 3, 3]);
    expect(invalid(() => zarrV2ChunkKey([]))).toBe(true);
    expect(invalid(() => zarrV2ChunkKey([1, -1]))).toBe(true);
  });

  it('refuses shapes, chunks and separators Zarr v2 forbids, with a typed error', () => {
    const base = { shape: [4, 4], chunks: [2, 2], dtype: '<u2', compressor: { id: 'x' } };
    expect(invalid(() => zarrV2ArrayMeta({ ...base, chunks: [2] }))).toBe(true);
    expect(invalid(() => zarrV2ArrayMeta({ ...base, chunks: [0, 2] }))).toBe(true);
    expect(invalid(() => zarrV2ArrayMeta({ ...base, shape: [4, 1.5] }))).toBe(true);
    expect(invalid(() => zarrV2ArrayMeta({ ...base, dimensionSeparator: ':' as never }))).toBe(
      true,
    );
    expect(invalid(() => zarrV2ArrayMeta({ ...base, fillValue: Number.NaN }))).toBe(true);
    expect(invalid(() => v2Dtype('uint64' as never))).toBe(true);
  });

  it('is the same function behind @pymecompress/codecs/zarr', () => {
    expect(zarrEntry.zarrV2ArrayMeta).toBe(zarrV2ArrayMeta);
    expect(zarrEntry.zarrV2ChunkKey).toBe(zarrV2ChunkKey);
    expect(zarrEntry.ngffMultiscales).toBe(ngffMultiscales);
  });
});

describe('NGFF 0.4 multiscales', () => {
  const tyx = [
    { name: 't', type: 'time' as const },
    { name: 'y', type: 'space' as const, unit: 'micrometer' },
    { name: 'x', type: 'space' as const, unit: 'micrometer' },
  ];

  it('scales per level, a translation after the scale for mean binning', () => {
    const { multiscales } = ngffMultiscales({
      axes: tyx,
      scale: [0.5, 0.1, 0.1],
      factors: [
        [1, 1, 1],
        [1, 2, 2],
      ],
      name: 'img',
    });
    expect(multiscales).toEqual([
      {
        version: '0.4',
        name: 'img',
        axes: tyx,
        datasets: [
          { path: '0', coordinateTransformations: [{ type: 'scale', scale: [0.5, 0.1, 0.1] }] },
          {
            path: '1',
            coordinateTransformations: [
              { type: 'scale', scale: [0.5, 0.2, 0.2] },
              { type: 'translation', translation: [0, 0.05, 0.05] },
            ],
          },
        ],
      },
    ]);
    const sub = ngffMultiscales({ axes: tyx, factors: [[1, 2, 2]], centring: 'none' });
    expect(sub.multiscales[0]!.datasets[0]!.coordinateTransformations).toHaveLength(1);
  });

  it('refuses what the spec forbids: axis order, counts, units, names, factors', () => {
    const f1 = [[1, 1, 1]];
    const y = { name: 'y', type: 'space' as const };
    const x = { name: 'x', type: 'space' as const };
    const t = { name: 't', type: 'time' as const };
    expect(invalid(() => ngffMultiscales({ axes: [y, t, x], factors: f1 }))).toBe(true);
    expect(invalid(() => ngffMultiscales({ axes: [y], factors: [[1]] }))).toBe(true);
    expect(
      invalid(() => ngffMultiscales({ axes: [t, y, { ...x, unit: 'second' }], factors: f1 })),
    ).toBe(true);
    expect(invalid(() => ngffMultiscales({ axes: [t, y, { ...x, name: 'y' }], factors: f1 }))).toBe(
      true,
    );
    expect(invalid(() => ngffMultiscales({ axes: [t, y, x], factors: [[1, 1.5, 1]] }))).toBe(true);
    expect(invalid(() => ngffMultiscales({ axes: [t, y, x], factors: [] }))).toBe(true);
    expect(invalid(() => ngffMultiscales({ axes: [t, y, x], factors: f1, scale: [1, 0, 1] }))).toBe(
      true,
    );
  });
});
