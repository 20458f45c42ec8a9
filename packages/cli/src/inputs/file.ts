/**
 * Opening input files safely: regular files only (a FIFO is opened non-blocking, so it cannot
 * hang the open, and is then refused along with devices and directories), size taken from the
 * open descriptor, reads bounded by what the caller's format allows.
 */

import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { LITTLE_ENDIAN } from '@pymecompress/core-ts/internal';
import { badInput, CliError, EXIT } from '../errors.js';
import type { PixelDtype } from '../npy.js';

export type Pixels = Uint8Array | Uint16Array;

export interface OpenedFile {
  fh: FileHandle;
  size: number;
}

/** Opens `path` for reading; refuses anything that is not a regular file (exit 3). */
export async function openRegular(path: string): Promise<OpenedFile> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new CliError(EXIT.BAD_INPUT, `${path}: no such file`);
    if (e.code === 'EISDIR') throw new CliError(EXIT.BAD_INPUT, `${path}: is a directory`);
    throw new CliError(EXIT.BAD_INPUT, `${path}: cannot open (${e.message})`);
  }
  const s = await fh.stat();
  if (!s.isFile()) {
    await fh.close();
    const what = s.isDirectory()
      ? 'a directory'
      : s.isFIFO()
        ? 'a FIFO'
        : s.isCharacterDevice() || s.isBlockDevice()
          ? 'a device'
          : s.isSocket()
            ? 'a socket'
            : 'not a regular file';
    throw badInput(path, `is ${what}, not a regular file`);
  }
  return { fh, size: s.size };
}

/** Reads exactly `length` bytes at `position` (exit 3 "truncated" if the file ends first). */
export async function readAt(
  fh: FileHandle,
  position: number,
  length: number,
  file: string,
  into?: ArrayBuffer,
): Promise<Uint8Array> {
  const buf = into && into.byteLength === length ? new Uint8Array(into) : new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0)
      throw badInput(
        file,
        `truncated: data ends at byte ${position + done}, expected ${position + length}`,
      );
    done += bytesRead;
  }
  return buf;
}

/**
 * Reads a whole regular file of at most `maxBytes` (refused before reading when larger): the
 * bound is what the format allows for this file (e.g. a chunk of a known frame size).
 */
export async function readBounded(
  path: string,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const { fh, size } = await openRegular(path);
  try {
    if (size > maxBytes) {
      throw badInput(path, `${size} bytes, more than any valid ${what} (at most ${maxBytes})`);
    }
    return await readAt(fh, 0, size, path);
  } finally {
    await fh.close();
  }
}

/** True on little-endian hosts (core-ts's one probe). */
export const LITTLE_HOST: boolean = LITTLE_ENDIAN;

export function toPixels(bytes: Uint8Array, dtype: PixelDtype, bigEndian: boolean): Pixels {
  if (dtype === 'uint8') return bytes;
  const out = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  if (bigEndian === LITTLE_HOST) {
    for (let i = 0; i < out.length; i++) {
      const v = out[i]!;
      out[i] = ((v & 0xff) << 8) | (v >>> 8);
    }
  }
  return out;
}

export function itemSize(dtype: PixelDtype): number {
  return dtype === 'uint8' ? 1 : 2;
}
