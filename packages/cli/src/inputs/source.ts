/** The frame-source interface every input reader implements, and the contiguous-data reader. */
import type { FileHandle } from 'node:fs/promises';
import { badInput } from '../errors.js';
import type { PixelDtype } from '../npy.js';
import { itemSize, type Pixels, readAt, toPixels } from './file.js';

export type InputFormat = 'npy' | 'tiff' | 'dax' | 'raw';

export interface FrameSource {
  path: string;
  format: InputFormat;
  dtype: PixelDtype;
  frames: number;
  height: number;
  width: number;
  /** The shape as stored in the file (e.g. `[H, W]` for a 2-D .npy). */
  fileShape: number[];
  /** Extra facts for `info`. */
  details: Record<string, unknown>;
  /** Frames `start .. start+count-1`, in order, as row-major arrays of `height*width` pixels. */
  read(start: number, count: number): Promise<Pixels[]>;
  /** Hands a frame returned by `read` back for reuse (optional; saves allocations). */
  recycle?(frame: Pixels): void;
  close(): Promise<void>;
}

export type SourceBase = Omit<FrameSource, 'read' | 'close' | 'recycle'>;

export function stackShape(file: string, shape: number[]): [number, number, number] {
  if (shape.length === 2) return [1, shape[0]!, shape[1]!];
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  throw badInput(file, `a ${shape.length}-D array (expected a 2-D frame or a 3-D stack of frames)`);
}

/** A frame source over a file holding `frames` contiguous frames from `dataOffset`. */
export function contiguousSource(
  fh: FileHandle,
  base: SourceBase,
  dataOffset: number,
  bigEndian: boolean,
): FrameSource {
  const frameBytes = base.height * base.width * itemSize(base.dtype);
  const free: ArrayBuffer[] = [];
  return {
    ...base,
    async read(start, count) {
      const out: Pixels[] = [];
      for (let i = start; i < start + count; i++) {
        const bytes = await readAt(
          fh,
          dataOffset + i * frameBytes,
          frameBytes,
          base.path,
          free.pop(),
        );
        out.push(toPixels(bytes, base.dtype, bigEndian));
      }
      return out;
    },
    recycle(frame) {
      const b = frame.buffer as ArrayBuffer;
      if (b.byteLength === frameBytes && free.length < 64) free.push(b);
    },
    close: () => fh.close(),
  };
}
