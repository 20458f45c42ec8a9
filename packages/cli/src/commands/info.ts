import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { printRecord as print } from '../format.js';
import { openInput } from '../inputs/index.js';
import { readPzfFileHeader } from '../pzf-read.js';
import { openZarr, zarrStoredBytes } from '../zarr-read.js';

export interface InfoOptions {
  json?: boolean | undefined;
  shape?: string | undefined;
  dtype?: string | undefined;
}

export async function info(file: string, o: InfoOptions): Promise<void> {
  const ext = extname(file.replace(/[/\\]+$/, '')).toLowerCase();
  const json = o.json === true;
  if (ext === '.pzf') {
    // The header only (64 bytes), checked against the file's size: never the whole file.
    const { header: h, size } = await readPzfFileHeader(file);
    const itemSize = h.dtype === 'uint8' ? 1 : h.dtype === 'uint16' ? 2 : 4;
    const pixels = h.width * h.height * h.depth;
    print(
      {
        file,
        format: 'PZF',
        version: h.version,
        shape: h.depth === 1 ? [h.width, h.height] : [h.width, h.height, h.depth],
        dtype: h.dtype,
        dimOrder: h.dimOrder,
        compression: h.compression,
        quantization: h.quantization
          ? `sqrt (offset ${h.quantization.offset}, scale ${h.quantization.scale})`
          : 'none',
        sequenceId: h.sequenceId,
        frameNum: h.frameNum,
        frameTimestamp: h.frameTimestamp,
        dataOffset: h.dataOffset,
        fileBytes: size,
        uncompressedBytes: pixels * itemSize,
        compressionRatio: Number(((pixels * itemSize) / size).toFixed(3)),
      },
      json,
    );
    return;
  }
  if (ext === '.zarr') {
    const z = await openZarr(file);
    const stored = await zarrStoredBytes(z);
    const raw = z.frames * z.height * z.width * (z.dtype === 'uint8' ? 1 : 2);
    print(
      {
        file,
        format: 'Zarr v2 array',
        shape: z.shape,
        chunks: z.chunks,
        dtype: z.dtype,
        codec: z.codec ? z.codec.id : 'none',
        codecConfig: z.codec ?? undefined,
        chunkFiles: stored.chunks,
        storedBytes: stored.bytes,
        uncompressedBytes: raw,
        compressionRatio: Number((raw / Math.max(1, stored.bytes)).toFixed(3)),
        attributes: z.attributes,
      },
      json,
    );
    return;
  }
  const src = await openInput(file, { shape: o.shape, dtype: o.dtype });
  try {
    print(
      {
        file,
        format: src.format,
        shape: src.fileShape,
        frames: src.frames,
        frameShape: [src.height, src.width],
        dtype: src.dtype,
        ...src.details,
        fileBytes: (await stat(file)).size,
      },
      json,
    );
  } finally {
    await src.close();
  }
}
