/** `info` for Zarr input: the chosen level's array, its codecs, the group's levels and axes. */
import { join } from 'node:path';
import { SAMPLE_TYPES } from '../samples.js';
import { bareName, compressors } from './codecs.js';
import { openZarrInput } from './open.js';
import { storedBytes } from './stored.js';

const KIND_NAMES = {
  'zarr-array': 'Zarr array',
  'ome-zarr': 'OME-Zarr group',
  'pyme-pyramid': 'PYME tile pyramid',
} as const;

export async function zarrInfo(file: string, level: number): Promise<Record<string, unknown>> {
  const z = await openZarrInput(file, { level });
  const stored = await storedBytes(z.path ? join(file, z.path) : file);
  const raw = z.shape.reduce((a, b) => a * b, 1) * SAMPLE_TYPES[z.dtype].bytes;
  const grid = z.shape.reduce((n, s, i) => n * Math.ceil(s / z.chunks[i]!), 1);
  const codecs = compressors(z.meta);
  const ms = z.multiscale;
  return {
    file,
    format: `${KIND_NAMES[z.kind]} (Zarr v${z.zarrFormat})`,
    ...(ms
      ? {
          ngffVersion: ms.version,
          axes: ms.axes,
          levels: z.levels?.map((l) => ({
            level: l.level,
            path: l.path,
            shape: l.shape,
            chunks: l.chunks,
            ...(l.scale ? { scale: l.scale } : {}),
          })),
          level: z.level,
          path: z.path,
        }
      : {}),
    shape: z.shape,
    chunks: z.chunks,
    dtype: z.dtype,
    fillValue: z.meta.raw.fill_value ?? null,
    codec: codecs.length === 0 ? 'none' : codecs.map((c) => bareName(c.name)).join(' + '),
    codecConfig:
      codecs.length === 0
        ? undefined
        : codecs.length === 1
          ? codecConfig(codecs[0]!)
          : codecs.map(codecConfig),
    chunkFiles: stored.files,
    chunksInGrid: grid,
    storedBytes: stored.bytes,
    uncompressedBytes: raw,
    compressionRatio: Number((raw / Math.max(1, stored.bytes)).toFixed(3)),
    ...(ms?.pyme ? { pyme: ms.pyme } : {}),
    attributes: z.meta.attributes,
  };
}

function codecConfig(c: { name: string; configuration: Record<string, unknown> }) {
  return { id: bareName(c.name), ...c.configuration };
}
