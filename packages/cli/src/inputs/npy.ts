/** `.npy` input: C order read frame by frame, Fortran order in batches by sequential passes. */
import type { FileHandle } from 'node:fs/promises';
import { badInput } from '../errors.js';
import { checkStack } from '../limits.js';
import { npyPreamble, parseNpyHeader } from '../npy.js';
import { itemSize, openRegular, type Pixels, readAt, toPixels } from './file.js';
import { contiguousSource, type FrameSource, type SourceBase, stackShape } from './source.js';

export async function openNpy(path: string): Promise<FrameSource> {
  const { fh, size } = await openRegular(path);
  try {
    const pre = await readAt(fh, 0, Math.min(size, 12), path);
    const { start, headerLen } = npyPreamble(path, pre);
    if (start + headerLen > size) {
      throw badInput(
        path,
        `truncated .npy header: header_len ${headerLen} needs ${start + headerLen} bytes, the file holds ${size}`,
      );
    }
    const h = parseNpyHeader(path, await readAt(fh, 0, start + headerLen, path));
    const [frames, height, width] = stackShape(path, h.shape);
    const frameBytes = checkStack(path, frames, height, width, itemSize(h.dtype));
    const need = frames * frameBytes;
    if (size - h.dataOffset < need) {
      throw badInput(
        path,
        `truncated: shape (${h.shape.join(', ')}) ${h.dtype} needs ${need} data bytes, the file holds ${Math.max(0, size - h.dataOffset)}`,
      );
    }
    const base: SourceBase = {
      path,
      format: 'npy',
      dtype: h.dtype,
      frames,
      height,
      width,
      fileShape: h.shape,
      details: { order: h.fortranOrder ? 'F' : 'C', byteOrder: h.bigEndian ? 'big' : 'little' },
    };
    // A Fortran-order array with at most one non-unit axis has the C layout too.
    const trivial = [frames, height, width].filter((d) => d > 1).length <= 1;
    if (!h.fortranOrder || trivial) return contiguousSource(fh, base, h.dataOffset, h.bigEndian);
    return fortranSource(fh, base, h.dataOffset, h.bigEndian);
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Fortran-order stacks: element (n, y, x) of an `N x H x W` array is at `n + N*(y + H*x)`, so a
 * frame is spread over the whole file. Frames are produced in batches (as many as fit in
 * ~256 MB) by one sequential pass over the data per batch.
 */
function fortranSource(
  fh: FileHandle,
  base: SourceBase,
  dataOffset: number,
  bigEndian: boolean,
): FrameSource {
  const { frames: N, height: H, width: W, dtype } = base;
  const isz = itemSize(dtype);
  const frameBytes = H * W * isz;
  const batchFrames = Math.max(1, Math.min(N, Math.floor((256 << 20) / Math.max(1, frameBytes))));
  let cache: { start: number; frames: Pixels[] } | undefined;

  async function loadBatch(start: number): Promise<void> {
    const count = Math.min(batchFrames, N - start);
    const out = Array.from({ length: count }, () =>
      dtype === 'uint8' ? new Uint8Array(H * W) : new Uint16Array(H * W),
    ) as Pixels[];
    const positions = H * W; // p = y + H*x
    const posPerBlock = Math.max(1, Math.floor((16 << 20) / (N * isz)));
    for (let p0 = 0; p0 < positions; p0 += posPerBlock) {
      const np = Math.min(posPerBlock, positions - p0);
      const bytes = await readAt(fh, dataOffset + p0 * N * isz, np * N * isz, base.path);
      const px = toPixels(bytes, dtype, bigEndian);
      for (let k = 0; k < np; k++) {
        const p = p0 + k;
        const y = p % H;
        const x = (p - y) / H;
        const dst = y * W + x;
        const src = k * N + start;
        for (let f = 0; f < count; f++) out[f]![dst] = px[src + f]!;
      }
    }
    cache = { start, frames: out };
  }

  return {
    ...base,
    async read(start, count) {
      const result: Pixels[] = [];
      for (let i = start; i < start + count; i++) {
        if (!cache || i < cache.start || i >= cache.start + cache.frames.length) await loadBatch(i);
        result.push(cache!.frames[i - cache!.start]!);
      }
      return result;
    },
    close: () => fh.close(),
  };
}
