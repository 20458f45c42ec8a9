/** `.npy` output: a version 1.0 header (2.0 if needed), then C-order little-endian frames. */
import { open } from 'node:fs/promises';
import { npyHeaderBytes } from '../npy.js';
import type { SampleDtype } from '../samples.js';
import { leBytes, type StackWriter, writeAll } from './stack.js';

export async function createNpyWriter(
  file: string,
  dtype: SampleDtype,
  shape: number[],
): Promise<StackWriter> {
  const fh = await open(file, 'wx');
  const header = npyHeaderBytes(dtype, shape);
  await writeAll(fh, header, 0);
  let pos = header.length;
  return {
    async write(frame) {
      const b = leBytes(frame);
      await writeAll(fh, b, pos);
      pos += b.length;
    },
    close: () => fh.close(),
  };
}
