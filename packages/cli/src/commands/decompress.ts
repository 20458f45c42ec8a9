import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { decodePzf } from '@pymecompress/codecs';
import { checkOutput, injectedFailure, withAtomicOutput } from '../atomic.js';
import { checkFreeSpace } from '../disk.js';
import { badInput, fromLibraryError, usageError } from '../errors.js';
import { fmtBytes } from '../format.js';
import type { Pixels } from '../inputs/index.js';
import type { PixelDtype } from '../npy.js';
import { parseBackend, parseThreads, resolveBackendKind } from '../options.js';
import { createNpyWriter, createTiffWriter, type StackWriter } from '../outputs.js';
import { pipeline, WorkerPool } from '../pool.js';
import { Progress } from '../progress.js';
import { readPzfFile } from '../pzf-read.js';
import { openZarr, readZarrChunk } from '../zarr-read.js';

export interface DecompressOptions {
  output?: string | undefined;
  backend?: string | undefined;
  force?: boolean | undefined;
  threads?: string | undefined;
  quiet?: boolean | undefined;
}

async function makeWriter(
  file: string,
  npy: boolean,
  dtype: PixelDtype,
  shape: number[],
): Promise<StackWriter> {
  const frames = shape.length === 2 ? 1 : shape[0]!;
  const [h, w] = shape.slice(-2) as [number, number];
  return npy ? createNpyWriter(file, dtype, shape) : createTiffWriter(file, dtype, frames, h, w);
}

export async function decompress(input: string, o: DecompressOptions): Promise<void> {
  const output = o.output;
  if (!output) throw usageError('decompress needs an output: -o OUTPUT.npy or -o OUTPUT.tif');
  const oext = extname(output).toLowerCase();
  if (!['.npy', '.tif', '.tiff'].includes(oext))
    throw usageError(`${output}: output must end in .npy, .tif or .tiff`);
  const iext = extname(input.replace(/[/\\]+$/, '')).toLowerCase();
  if (iext !== '.pzf' && iext !== '.zarr')
    throw usageError(`${input}: input must be a .pzf file or a .zarr directory`);
  const backend = parseBackend(o.backend);
  const threads = parseThreads(o.threads);
  const kind = await resolveBackendKind(backend);
  await checkOutput(output, o.force === true);
  const t0 = performance.now();
  let frames: number;
  let rawBytes: number;
  if (iext === '.pzf') {
    const bytes = await readPzfFile(input);
    let frame: ReturnType<typeof decodePzf>;
    try {
      frame = decodePzf(bytes, { backend, order: 'C' });
    } catch (err) {
      throw fromLibraryError(input, err);
    }
    if (frame.dtype === 'float32')
      throw badInput(input, 'float32 PZF frames cannot be written as uint8/uint16 .npy/.tif');
    const dtype: PixelDtype = frame.dtype;
    const [w, h, d] = frame.shape;
    const shape = d === 1 ? [w, h] : [w, h, d];
    await checkFreeSpace(output, frame.data.byteLength);
    await withAtomicOutput(output, { force: o.force === true }, async (temp) => {
      const writer = await makeWriter(temp, oext === '.npy', dtype, d === 1 ? shape : [w, h, d]);
      if (d === 1) await writer.write(frame.data as Pixels);
      else {
        // a 3-D frame [w, h, d] in C order is w pages of h x d
        const per = h * d;
        const data = frame.data as Pixels;
        for (let i = 0; i < w; i++) await writer.write(data.subarray(i * per, (i + 1) * per));
      }
      await writer.close();
      injectedFailure(1);
    });
    frames = 1;
    rawBytes = frame.data.byteLength;
  } else {
    const info = await openZarr(input);
    const pixels = info.height * info.width;
    const itemSize = info.dtype === 'uint8' ? 1 : 2;
    // Checked up front: a small array of absent (fill-value) chunks can expand to any size.
    await checkFreeSpace(output, info.frames * pixels * itemSize);
    const pool = new WorkerPool(Math.min(threads, Math.max(1, info.frames)), backend);
    const progress = new Progress('decompress', info.frames, o.quiet === true);
    try {
      await withAtomicOutput(output, { force: o.force === true }, async (temp) => {
        const writer = await makeWriter(temp, oext === '.npy', info.dtype, info.shape);
        await pipeline(
          info.frames,
          pool.size * 2,
          async (i) => readZarrChunk(info, i),
          async (chunk, i) => {
            if (chunk === null) {
              const f = info.dtype === 'uint8' ? new Uint8Array(pixels) : new Uint16Array(pixels);
              return f.fill(info.fillValue);
            }
            if (info.codec === null) {
              if (chunk.length !== pixels * itemSize)
                throw badInput(
                  input,
                  `chunk ${i}: ${chunk.length} bytes, expected ${pixels * itemSize}`,
                );
              return info.dtype === 'uint8'
                ? chunk
                : new Uint16Array(chunk.buffer, chunk.byteOffset, pixels);
            }
            return pool
              .run({ op: 'decode', backend, codec: info.codec, dtype: info.dtype, pixels, chunk })
              .then((r) => r.data)
              .catch((err) => {
                throw fromLibraryError(`${input} (chunk of frame ${i})`, err);
              });
          },
          async (i, frame) => {
            await writer.write(frame);
            injectedFailure(i + 1);
            progress.update(i + 1, (i + 1) * pixels * itemSize);
          },
        );
        await writer.close();
      });
    } finally {
      progress.done();
      await pool.close();
    }
    frames = info.frames;
    rawBytes = info.frames * pixels * itemSize;
  }
  if (!o.quiet) {
    const secs = (performance.now() - t0) / 1000;
    const size = (await stat(output)).size;
    console.error(
      `wrote ${output}: ${frames} frame(s), ${fmtBytes(rawBytes)} (${fmtBytes(size)} on disk) in ${secs.toFixed(2)} s (${(rawBytes / 1e6 / secs).toFixed(0)} MB/s, backend ${kind})`,
    );
  }
}
