/** What every stack writer shares: the frame-by-frame interface and little-endian byte views. */
import type { FileHandle } from 'node:fs/promises';
import { LITTLE_HOST as LITTLE, type Pixels } from '../inputs/file.js';

export function leBytes(p: Pixels): Uint8Array {
  if (p instanceof Uint8Array) return p;
  if (LITTLE) return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
  const out = new Uint8Array(p.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < p.length; i++) dv.setUint16(2 * i, p[i]!, true);
  return out;
}

export interface StackWriter {
  write(frame: Pixels): Promise<void>;
  close(): Promise<void>;
}

export async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}
