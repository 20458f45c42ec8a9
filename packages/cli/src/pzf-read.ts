/**
 * Reading a `.pzf` file with bounded memory: the header is read and checked first (against the
 * file's size, codecs' `readPzfHeader`), and the whole frame only when the file is no larger than
 * any valid frame with that header can be (docs/FORMAT.md §6 "PZF frames", §5): the payload plus 321 bytes per
 * Huffman stream plus the chunk table. `info` needs the header only.
 */
import { type PzfHeader, readPzfHeader } from '@pymecompress/codecs';
import { maxCompressedSize } from '@pymecompress/core-ts';
import { badInput, fromLibraryError } from './errors.js';
import { openRegular, readAt } from './inputs/file.js';
import { LIMITS } from './limits.js';

/** The worst-case Huffman stream's overhead over its symbols (core-ts maxCompressedSize). */
const HUFFMAN_SLACK = maxCompressedSize(1) - 1;
const MAX_CHUNKS = 0xffff;

export function maxPzfBytes(h: PzfHeader): number {
  switch (h.compression) {
    case 'raw':
      return h.dataOffset + h.payloadBytes;
    case 'huffman':
      return h.dataOffset + h.payloadBytes + HUFFMAN_SLACK;
    case 'huffman-chunked':
      return h.dataOffset + 2 + h.payloadBytes + MAX_CHUNKS * (8 + HUFFMAN_SLACK);
  }
}

/** The header of `path` (reads at most 64 bytes), checked against the file's size. */
export async function readPzfFileHeader(
  path: string,
): Promise<{ header: PzfHeader; size: number }> {
  const { fh, size } = await openRegular(path);
  try {
    const prefix = await readAt(fh, 0, Math.min(size, 64), path);
    try {
      return { header: readPzfHeader(prefix, { length: size }), size };
    } catch (err) {
      throw fromLibraryError(path, err);
    }
  } finally {
    await fh.close();
  }
}

/** The whole frame, once its size is known to be possible for its header. */
export async function readPzfFile(path: string): Promise<Uint8Array> {
  const { fh, size } = await openRegular(path);
  try {
    const prefix = await readAt(fh, 0, Math.min(size, 64), path);
    let h: PzfHeader;
    try {
      h = readPzfHeader(prefix, { length: size });
    } catch (err) {
      throw fromLibraryError(path, err);
    }
    const max = maxPzfBytes(h);
    if (size > max)
      throw badInput(
        path,
        `${size} bytes, more than any valid PZF frame with this header (at most ${max})`,
      );
    const frameBytes = h.payloadBytes * (h.quantization ? 2 : 1);
    if (frameBytes > LIMITS.frameBytes || size > LIMITS.frameBytes)
      throw badInput(
        path,
        `a ${h.width}x${h.height}x${h.depth} frame exceeds the 2 GiB limit for one frame`,
      );
    return await readAt(fh, 0, size, path);
  } finally {
    await fh.close();
  }
}
