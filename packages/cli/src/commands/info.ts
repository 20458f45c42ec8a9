import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { usageError } from '../errors.js';
import { printRecord as print } from '../format.js';
import { openInput } from '../inputs/index.js';
import { readPzfFileHeader } from '../pzf-read.js';
import { zarrInfo } from '../zarr/info.js';
import { parseLevel } from './decompress.js';

export interface InfoOptions {
  json?: boolean | undefined;
  shape?: string | undefined;
  dtype?: string | undefined;
  level?: string | undefined;
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
  if (ext === '.zarr' || (await stat(file).catch(() => undefined))?.isDirectory()) {
    print(await zarrInfo(file, parseLevel(o.level)), json);
    return;
  }
  if (o.level !== undefined)
    throw usageError('--level applies to Zarr groups (OME-Zarr, PYME pyramids)');
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
