/**
 * One PYME PZF frame (docs/FORMAT.md §3). Shown as numpy shows the decoded array: axis 0 (the
 * header's "width") down, axis 1 across — the layout `pymecompress compress` writes from an
 * (H, W) frame. A depth > 1 frame is a stack along the last axis.
 */
import { decodePzf, readPzfHeader } from '@pymecompress/codecs';
import type { Backend } from '@pymecompress/core-ts';
import { cropFrame, type Pixels, type Source } from './types.js';

export async function openPzf(name: string, blob: Blob, backend: Backend): Promise<Source> {
  const t0 = performance.now();
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const t1 = performance.now();
  const h = readPzfHeader(bytes);
  const decoded = decodePzf(bytes, { backend, order: 'C' });
  const timings = { read: t1 - t0, decode: performance.now() - t1 };
  const rows = h.width;
  const cols = h.height;
  const depth = h.depth;
  const itemSize = h.dtype === 'uint8' ? 1 : h.dtype === 'uint16' ? 2 : 4;
  const raw = rows * cols * depth * itemSize;
  function frame(z: number): Pixels {
    if (depth === 1) return decoded.data;
    const Ctor = decoded.data.constructor as new (n: number) => Pixels;
    const out = new Ctor(rows * cols);
    for (let i = 0; i < rows * cols; i++) out[i] = decoded.data[i * depth + z]!;
    return out;
  }
  const details: Record<string, unknown> = {
    version: h.version,
    dtype: h.dtype,
    compression: h.compression,
    quantization: h.quantization
      ? `sqrt (offset ${h.quantization.offset}, scale ${h.quantization.scale})`
      : 'none',
    dimOrder: h.dimOrder,
    sequenceId: h.sequenceId.toString(),
    frameNum: h.frameNum,
    frameTimestamp: h.frameTimestamp.toString(),
    dataOffset: h.dataOffset,
    headerShape: depth === 1 ? [h.width, h.height] : [h.width, h.height, depth],
  };
  return {
    meta: {
      name,
      kind: 'pzf',
      shape: depth === 1 ? [rows, cols] : [rows, cols, depth],
      frameAxes: depth === 1 ? [] : ['depth'],
      frameShape: depth === 1 ? [] : [depth],
      frames: depth,
      dtype: h.dtype,
      levels: [{ path: '', width: cols, height: rows, chunkWidth: cols, chunkHeight: rows }],
      codec: {
        id: `pzf-${h.compression}`,
        config: h.quantization ? { ...h.quantization } : {},
      },
      quantization: h.quantization,
      compressionRatio: raw / bytes.length,
      storedBytes: bytes.length,
      details,
    },
    read: async (z, _level, region) => cropFrame(frame(z), cols, region),
    timings,
  };
}
