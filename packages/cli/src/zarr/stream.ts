/**
 * Reading any chunking through zarrita, frame by frame in C order, with bounded memory.
 *
 * Frames are the last two axes; the axes before them are walked in C order. The innermost
 * leading axis is read in blocks of its chunk length `c` (1 for `[1, 128, 128]`), and each block
 * one chunk row at a time (`chunks[-2]` rows, every column): zarrita decodes only the chunks
 * of that row. Memory held: one block of `c` frames, plus one chunk row of the block (its
 * compressed and decoded chunks and zarrita's copy), whatever the array's size. A chunk longer
 * than 1 along an outer leading axis is decoded once per index of that axis (time, not memory).
 */
import * as zarr from 'zarrita';
import { badInput, fromLibraryError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { SAMPLE_TYPES, type Samples } from '../samples.js';
import type { ZarrInput } from './open.js';

/** Frames of one block and the bytes it holds (checked against the one-buffer limit). */
export function blockPlan(z: ZarrInput): { blockFrames: number; blockBytes: number } {
  const rank = z.shape.length;
  const blockFrames = rank > 2 ? Math.max(1, Math.min(z.chunks[rank - 3]!, z.shape[rank - 3]!)) : 1;
  const frameBytes = z.height * z.width * SAMPLE_TYPES[z.dtype].bytes;
  return { blockFrames, blockBytes: blockFrames * frameBytes };
}

/** Maps an error raised while reading chunks to exit 3 (bad data) or 1 (I/O, backend). */
function chunkError(z: ZarrInput, at: string, err: unknown): Error {
  const e = err as { exitCode?: number; code?: unknown; syscall?: unknown; name?: string };
  if (e?.exitCode !== undefined) return err as Error;
  const file = `${z.file}${z.path ? `/${z.path}` : ''} (${at})`;
  if (e?.syscall !== undefined || e?.code === 'ERR_BACKEND_UNAVAILABLE')
    return fromLibraryError(file, err);
  if (e?.name === 'PymecompressError') {
    const mapped = fromLibraryError(file, err);
    // A codec's argument error here means the chunk does not fit the metadata: bad input.
    return mapped.exitCode === 3
      ? mapped
      : badInput(file, `${String(e.code)}: ${(err as Error).message}`, err);
  }
  // zarrita wraps a codec's error (e.g. crc32c's checksum mismatch) as its `cause`.
  const cause = (err as { cause?: unknown }).cause;
  if (cause && (cause as { name?: string }).name === 'PymecompressError')
    return chunkError(z, at, cause);
  const why = cause instanceof Error ? `: ${cause.message}` : '';
  return badInput(file, `cannot decode (${(err as Error).message}${why})`, err);
}

type Got = { data: Samples; shape: number[]; stride: number[] };

/** Copies a `[n, rows, W]` zarrita result (any strides) into C-order frames at row `y0`. */
function place(out: Samples, got: Got, height: number, width: number, y0: number): void {
  const [n, rows, w] = got.shape.length === 3 ? got.shape : [1, got.shape[0]!, got.shape[1]!];
  const [s0, s1, s2] = got.stride.length === 3 ? got.stride : [0, got.stride[0]!, got.stride[1]!];
  const src = got.data as unknown as {
    [i: number]: number;
    subarray(a: number, b: number): Samples;
  };
  const dst = out as unknown as { [i: number]: number; set(a: Samples, at: number): void };
  for (let f = 0; f < n!; f++)
    for (let y = 0; y < rows!; y++) {
      const d = (f * height + y0 + y) * width;
      const s = f * s0! + y * s1!;
      if (s2 === 1) dst.set(src.subarray(s, s + w!), d);
      else for (let x = 0; x < w!; x++) dst[d + x] = src[s + x * s2!]!;
    }
}

/**
 * Calls `onFrame(frame, index)` for every frame in C order of the leading axes. The frame is a
 * view into a buffer reused for the next block: consume it before resolving.
 */
export async function streamFrames(
  z: ZarrInput,
  onFrame: (frame: Samples, index: number) => Promise<void>,
): Promise<void> {
  const rank = z.shape.length;
  const { blockFrames, blockBytes } = blockPlan(z);
  if (blockBytes > LIMITS.frameBytes)
    throw badInput(
      z.file,
      `chunks ${JSON.stringify(z.chunks)} span ${blockFrames} frames (${blockBytes} bytes), over the ${LIMITS.frameBytes}-byte limit for one read; rechunk with fewer frames per chunk`,
    );
  const { height, width } = z;
  const block = SAMPLE_TYPES[z.dtype].create(blockFrames * height * width);
  const rowStep = z.chunks[rank - 2]!;
  const lead = z.shape.slice(0, -2);
  const inner = lead.length > 0 ? lead[lead.length - 1]! : 1;
  const outer = lead.slice(0, -1);
  const outerCount = outer.reduce((a, b) => a * b, 1);
  let index = 0;
  for (let o = 0; o < outerCount; o++) {
    const outerIdx: number[] = [];
    let rest = o;
    for (let k = outer.length - 1; k >= 0; k--) {
      outerIdx.unshift(rest % outer[k]!);
      rest = Math.floor(rest / outer[k]!);
    }
    for (let b0 = 0; b0 < inner; b0 += blockFrames) {
      const n = Math.min(blockFrames, inner - b0);
      for (let y0 = 0; y0 < height; y0 += rowStep) {
        const y1 = Math.min(height, y0 + rowStep);
        const sel =
          rank === 2
            ? [zarr.slice(y0, y1), null]
            : [...outerIdx, zarr.slice(b0, b0 + n), zarr.slice(y0, y1), null];
        let got: Got;
        try {
          got = (await zarr.get(z.array, sel as never)) as unknown as Got;
        } catch (err) {
          throw chunkError(z, `frames ${index}..${index + n - 1}, rows ${y0}..${y1 - 1}`, err);
        }
        place(block, got, height, width, y0);
      }
      const frame = height * width;
      for (let f = 0; f < n; f++)
        await onFrame(block.subarray(f * frame, (f + 1) * frame) as Samples, index++);
    }
  }
}
