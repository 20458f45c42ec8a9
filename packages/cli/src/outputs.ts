/**
 * Stack writers (streaming, frame by frame): Zarr v2 directories (one chunk per frame), `.npy`
 * (C order, little-endian) and multi-page `.tif` (uncompressed, little-endian classic TIFF).
 * Each writes into the temporary path it is given; `atomic.ts` renames it into place.
 */
import { type FileHandle, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodecConfig } from './codec-task.js';
import { CliError, EXIT } from './errors.js';
import type { Pixels } from './inputs/index.js';
import { npyHeaderBytes, type PixelDtype } from './npy.js';

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function leBytes(p: Pixels): Uint8Array {
  if (p instanceof Uint8Array) return p;
  if (LITTLE) return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
  const out = new Uint8Array(p.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < p.length; i++) dv.setUint16(2 * i, p[i]!, true);
  return out;
}

export interface ZarrMeta {
  /** `[N, H, W]`, or `[H, W]` for a single 2-D frame. */
  shape: number[];
  dtype: PixelDtype;
  codec: CodecConfig;
  attributes?: Record<string, unknown>;
}

export function zarrChunkKey(index: number, rank: number): string {
  return rank === 2 ? '0.0' : `${index}.0.0`;
}

/** Creates the array directory and its metadata; returns a function writing frame chunks. */
export async function createZarr(
  dir: string,
  meta: ZarrMeta,
): Promise<(i: number, chunk: Uint8Array) => Promise<void>> {
  await mkdir(dir);
  const rank = meta.shape.length;
  const chunks = rank === 2 ? meta.shape : [1, meta.shape[1]!, meta.shape[2]!];
  const zarray = {
    chunks,
    compressor: meta.codec,
    dimension_separator: '.',
    dtype: meta.dtype === 'uint8' ? '|u1' : '<u2',
    fill_value: 0,
    filters: null,
    order: 'C',
    shape: meta.shape,
    zarr_format: 2,
  };
  await writeFile(join(dir, '.zarray'), `${JSON.stringify(zarray, null, 4)}\n`);
  if (meta.attributes)
    await writeFile(join(dir, '.zattrs'), `${JSON.stringify(meta.attributes, null, 4)}\n`);
  return (i, chunk) => writeFile(join(dir, zarrChunkKey(i, rank)), chunk);
}

export interface StackWriter {
  write(frame: Pixels): Promise<void>;
  close(): Promise<void>;
}

async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

export async function createNpyWriter(
  file: string,
  dtype: PixelDtype,
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

const TIFF_TAGS = 11;
const IFD_BYTES = 2 + TIFF_TAGS * 12 + 4;

/** Uncompressed multi-page classic TIFF: per page an IFD followed by its single strip. */
export async function createTiffWriter(
  file: string,
  dtype: PixelDtype,
  frames: number,
  height: number,
  width: number,
): Promise<StackWriter> {
  const bits = dtype === 'uint8' ? 8 : 16;
  const pageData = width * height * (bits / 8);
  const pageBytes = IFD_BYTES + pageData;
  if (8 + frames * pageBytes > 0xffffffff) {
    throw new CliError(
      EXIT.FAILURE,
      `${file}: ${frames} frames exceed the 4 GiB limit of a classic TIFF (write .npy instead)`,
    );
  }
  const fh = await open(file, 'wx');
  const head = new Uint8Array(8);
  const hv = new DataView(head.buffer);
  head[0] = 0x49;
  head[1] = 0x49;
  hv.setUint16(2, 42, true);
  hv.setUint32(4, frames > 0 ? 8 : 0, true);
  await writeAll(fh, head, 0);
  let page = 0;
  return {
    async write(frame) {
      const at = 8 + page * pageBytes;
      const ifd = new Uint8Array(IFD_BYTES);
      const dv = new DataView(ifd.buffer);
      dv.setUint16(0, TIFF_TAGS, true);
      const SHORT = 3;
      const LONG = 4;
      const tags: Array<[number, number, number]> = [
        [256, LONG, width],
        [257, LONG, height],
        [258, SHORT, bits],
        [259, SHORT, 1], // no compression
        [262, SHORT, 1], // BlackIsZero
        [273, LONG, at + IFD_BYTES], // StripOffsets
        [277, SHORT, 1], // SamplesPerPixel
        [278, LONG, height], // RowsPerStrip
        [279, LONG, pageData], // StripByteCounts
        [284, SHORT, 1], // PlanarConfiguration
        [339, SHORT, 1], // SampleFormat: unsigned
      ];
      tags.forEach(([tag, type, value], k) => {
        const o = 2 + k * 12;
        dv.setUint16(o, tag, true);
        dv.setUint16(o + 2, type, true);
        dv.setUint32(o + 4, 1, true);
        if (type === SHORT) dv.setUint16(o + 8, value, true);
        else dv.setUint32(o + 8, value, true);
      });
      const last = page === frames - 1;
      dv.setUint32(2 + TIFF_TAGS * 12, last ? 0 : at + pageBytes, true);
      await writeAll(fh, ifd, at);
      await writeAll(fh, leBytes(frame), at + IFD_BYTES);
      page++;
    },
    close: () => fh.close(),
  };
}
