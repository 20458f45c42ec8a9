/**
 * `@pymecompress/codecs/untrusted`: the one rule for sizes read from files (docs/FORMAT.md §5),
 * shared by the CLI and the viewer. Every function is pure and browser-safe and returns a problem
 * description (or `undefined`) instead of throwing, so each caller reports it in its own terms
 * (the CLI: exit code 3 naming the file; the viewer: a message in the page). The PZF header rules
 * live in `readPzfHeader` itself; the OME-NGFF `multiscales` reader in `ngff-read.ts`.
 */
import { MAX_SIZE, maxCompressedSize } from '@pymecompress/core-ts/internal';
import { TRAILER_BYTES } from './trailer.js';

export {
  insidePathParts,
  MAX_NGFF_LEVELS,
  type NgffAxisRead,
  type NgffLevelRead,
  type NgffMultiscaleRead,
  type NgffReadResult,
  readNgffMultiscale,
} from './ngff-read.js';

export const UNTRUSTED_LIMITS = {
  /** One frame in memory: < 2 GiB (the largest buffer fs reads and every backend take). */
  frameBytes: 2 ** 31 - 1,
  /** Frames of a stack (uint32 counters in the formats). */
  frames: MAX_SIZE,
  /** A `.npy` header's header_len. */
  npyHeaderBytes: 16 << 20,
  /** A metadata text file: `.inf`, `.zarray`, `.zattrs`, `zarr.json`. */
  metadataBytes: 16 << 20,
  /** TIFF pages followed before a chain is called runaway. */
  tiffPages: 4_000_000,
  /** TIFF strips or tiles in one page, and values of one tag. */
  tiffSegments: 1 << 20,
} as const;

/** Why `value` is not a count in `0..max` (a JSON number that is a safe integer), or undefined. */
export function countProblem(fieldName: string, value: unknown, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    return `${fieldName} ${JSON.stringify(value) ?? String(value)} is not a non-negative integer`;
  if (value > max) return `${fieldName} ${value} exceeds the limit of ${max}`;
  return undefined;
}

/**
 * Why `frames` frames of `height x width` pixels of `itemSize` bytes are impossible metadata, or
 * undefined: counts must be integers, a non-empty stack's frames must hold pixels (so no loop runs
 * over frames a file merely claims), and one frame must be < 2 GiB.
 */
export function stackProblem(
  frames: unknown,
  height: unknown,
  width: unknown,
  itemSize: number,
): string | undefined {
  const L = UNTRUSTED_LIMITS;
  const p =
    countProblem('frame count', frames, L.frames) ??
    countProblem('frame height', height, L.frameBytes) ??
    countProblem('frame width', width, L.frameBytes);
  if (p) return p;
  const [n, h, w] = [frames, height, width] as [number, number, number];
  if (n > 0 && (h === 0 || w === 0)) return `${n} frame(s) of ${h}x${w} pixels hold no data`;
  const bytes = h * w * itemSize;
  if (bytes > L.frameBytes)
    return `a ${h}x${w} frame is ${bytes} bytes, over the ${L.frameBytes}-byte (2 GiB) limit for one frame`;
  return undefined;
}

/**
 * The largest a numcodecs chunk of `symbols` decoded symbols can be: the worst-case Huffman
 * stream (core-ts `maxCompressedSize`, n + 321) plus the 4-byte trailer. A larger chunk file is
 * not a valid chunk and need not be read.
 */
export function maxHuffmanChunkBytes(symbols: number): number {
  return maxCompressedSize(symbols) + TRAILER_BYTES;
}

/**
 * The largest a `pymecompress-quant16` chunk of `elements` uint16 samples can be. Ours holds one
 * symbol per sample, but Python's `HuffmanQuant16.encode` Huffman-codes the quantized array's
 * bytes, two symbols per sample (docs/DEVIATIONS.md C5), and both must be readable: the bound
 * is the one for `2 · elements` symbols.
 */
export function maxQuant16ChunkBytes(elements: number): number {
  return maxHuffmanChunkBytes(2 * elements);
}

/**
 * Why a parsed Zarr v2 `.zarray` has impossible fields, or undefined: a JSON object, shape and
 * chunks arrays of non-negative safe integers of the same rank (chunks positive), a
 * `dimension_separator` of `.` or `/`, and a `fill_value` that is null or an integer in
 * `[0, maxFill]` when `maxFill` is given (the caller knows which dtypes it supports).
 */
export function zarrayProblem(z: unknown, maxFill?: number): string | undefined {
  if (typeof z !== 'object' || z === null || Array.isArray(z))
    return '.zarray is not a JSON object';
  const m = z as Record<string, unknown>;
  if (!Array.isArray(m.shape)) return '.zarray shape is not an array';
  if (!Array.isArray(m.chunks)) return '.zarray chunks is not an array';
  if (m.shape.length !== m.chunks.length)
    return `.zarray shape (rank ${m.shape.length}) and chunks (rank ${m.chunks.length}) disagree`;
  for (const [k, d] of m.shape.entries()) {
    const p = countProblem(`.zarray shape[${k}]`, d, Number.MAX_SAFE_INTEGER);
    if (p) return p;
  }
  for (const [k, d] of m.chunks.entries()) {
    const p = countProblem(`.zarray chunks[${k}]`, d, Number.MAX_SAFE_INTEGER);
    if (p) return p;
    if (d === 0) return `.zarray chunks[${k}] is 0`;
  }
  const sep = m.dimension_separator ?? '.';
  if (sep !== '.' && sep !== '/')
    return `.zarray dimension_separator ${JSON.stringify(sep)} (only "." or "/")`;
  const fill = m.fill_value ?? 0;
  if (
    maxFill !== undefined &&
    (typeof fill !== 'number' || !Number.isInteger(fill) || fill < 0 || fill > maxFill)
  )
    return `.zarray fill_value ${JSON.stringify(m.fill_value)} is not an integer in 0..${maxFill}`;
  return undefined;
}
