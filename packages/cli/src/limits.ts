/**
 * The explicit limits every size read from an input file is checked against before anything is
 * allocated, looped over or written (docs/FORMAT.md "Untrusted metadata"). A file that claims more
 * is refused with exit code 3 naming the file and the field; nothing here is a tuning knob.
 */
import { badInput } from './errors.js';

export const LIMITS = {
  /**
   * One frame in memory: < 2 GiB, the largest buffer Node's `fs.read` and every backend handle
   * in one piece. Larger frames are refused, not half-read.
   */
  frameBytes: 2 ** 31 - 1,
  /** Frames of a stack: the Zarr/PZF frame counters are uint32. */
  frames: 0xffffffff,
  /** A `.npy` header (formats 2.0/3.0 allow up to 4 GiB; real ones are < 1 KiB). */
  npyHeaderBytes: 16 << 20,
  /** A `.inf`, `.zarray`, `.zattrs` or `zarr.json` text file. */
  metadataBytes: 16 << 20,
  /** TIFF pages (IFDs) followed before the chain is declared runaway. */
  tiffPages: 4_000_000,
  /** TIFF strips or tiles in one page. */
  tiffSegments: 1 << 20,
} as const;

/** A non-negative safe integer, else exit 3 naming `file` and `fieldName`. */
export function checkCount(file: string, fieldName: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badInput(
      file,
      `${fieldName} ${JSON.stringify(value) ?? String(value)} is not a non-negative integer`,
    );
  }
  if (value > max) throw badInput(file, `${fieldName} ${value} exceeds the limit of ${max}`);
  return value;
}

/**
 * Checks a stack's geometry: every frame holds at least one pixel (a file cannot make the tool
 * loop over frames it never stores), a frame fits in memory, the frame count fits the formats.
 * Returns the bytes of one frame.
 */
export function checkStack(
  file: string,
  frames: number,
  height: number,
  width: number,
  itemSize: number,
): number {
  checkCount(file, 'frame count', frames, LIMITS.frames);
  checkCount(file, 'frame height', height, LIMITS.frameBytes);
  checkCount(file, 'frame width', width, LIMITS.frameBytes);
  if (frames > 0 && (height === 0 || width === 0)) {
    throw badInput(file, `${frames} frame(s) of ${height}x${width} pixels hold no data`);
  }
  const frameBytes = height * width * itemSize;
  if (frameBytes > LIMITS.frameBytes) {
    throw badInput(
      file,
      `a ${height}x${width} frame is ${frameBytes} bytes, over the ${LIMITS.frameBytes}-byte (2 GiB) limit for one frame`,
    );
  }
  return frameBytes;
}
