/** What every stack writer shares: the frame-by-frame interface and little-endian byte views. */
import type { FileHandle } from 'node:fs/promises';
import type { Samples } from '../samples.js';

// The little-endian bytes of a frame: core-ts's one helper (our outputs are little-endian: docs/FORMAT.md §8).
export { leBytes } from '@pymecompress/core-ts/internal';

export interface StackWriter {
  write(frame: Samples): Promise<void>;
  close(): Promise<void>;
}

export async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}
