import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { decodePzf } from '@pymecompress/codecs';
import { checkOutput, injectedFailure, withAtomicOutput } from '../atomic.js';
import { checkFreeSpace } from '../disk.js';
import { badInput, fromLibraryError, usageError } from '../errors.js';
import { fmtBytes } from '../format.js';
import type { Pixels } from '../inputs/index.js';
import { parseBackend, parseThreads, resolveBackendKind } from '../options.js';
import { createNpyWriter, createTiffWriter, type StackWriter } from '../outputs.js';
import { pipeline, WorkerPool } from '../pool.js';
import { Progress } from '../progress.js';
import { readPzfFile } from '../pzf-read.js';
import { SAMPLE_TYPES, type SampleDtype } from '../samples.js';
import {
  openZarrInput,
  readFrameChunk,
  streamFrames,
  type WholeFrameArray,
  type ZarrInput,
} from '../zarr/index.js';

export interface DecompressOptions {
  output?: string | undefined;
  backend?: string | undefined;
  force?: boolean | undefined;
  threads?: string | undefined;
  level?: string | undefined;
  quiet?: boolean | undefined;
}

async function makeWriter(
  file: string,
  npy: boolean,
  dtype: SampleDtype,
  shape: number[],
): Promise<StackWriter> {
  const frames = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const [h, w] = shape.slice(-2) as [number, number];
  return npy ? createNpyWriter(file, dtype, shape) : createTiffWriter(file, dtype, frames, h, w);
}

/** `--level N`: a non-negative integer. */
export function parseLevel(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d{1,3}$/.test(text)) throw usageError(`--level ${text}: not a non-negative integer`);
  return Number(text);
}

/** Directories are Zarr arrays or groups (any name: PYME pyramids have no `.zarr` suffix). */
async function isZarrInput(input: string, ext: string): Promise<boolean> {
  if (ext === '.zarr') return true;
  return (await stat(input).catch(() => undefined))?.isDirectory() === true;
}

interface Opened {
  output: string;
  npy: boolean;
  force: boolean;
  quiet: boolean;
}

/** The whole-frame fast path: chunk files decoded in the worker pool, frames in flight. */
async function decompressWholeFrames(
  input: string,
  a: WholeFrameArray,
  o: Opened,
  pool: WorkerPool,
  backend: ReturnType<typeof parseBackend>,
  progress: Progress,
): Promise<void> {
  const pixels = a.height * a.width;
  const itemSize = a.dtype === 'uint8' ? 1 : 2;
  await withAtomicOutput(o.output, { force: o.force }, async (temp) => {
    const writer = await makeWriter(temp, o.npy, a.dtype, a.shape);
    await pipeline(
      a.frames,
      pool.size * 2,
      async (i) => readFrameChunk(a, i),
      async (chunk, i) => {
        if (chunk === null) {
          const f = a.dtype === 'uint8' ? new Uint8Array(pixels) : new Uint16Array(pixels);
          return f.fill(a.fillValue);
        }
        if (a.codec === null) {
          if (chunk.length !== pixels * itemSize)
            throw badInput(
              input,
              `chunk ${i}: ${chunk.length} bytes, expected ${pixels * itemSize}`,
            );
          return a.dtype === 'uint8'
            ? chunk
            : new Uint16Array(chunk.buffer, chunk.byteOffset, pixels);
        }
        return pool
          .run({ op: 'decode', backend, codec: a.codec, dtype: a.dtype, pixels, chunk })
          .then((r) => r.data)
          .catch((err) => {
            throw fromLibraryError(`${input} (chunk of frame ${i})`, err);
          });
      },
      async (i, frame) => {
        await writer.write(frame as Pixels);
        injectedFailure(i + 1);
        progress.update(i + 1, (i + 1) * pixels * itemSize);
      },
    );
    await writer.close();
  });
}

/** Any chunking, through zarrita (zarr/stream.ts: one block of frames in memory). */
async function decompressStreaming(z: ZarrInput, o: Opened, progress: Progress): Promise<void> {
  const frameBytes = z.height * z.width * SAMPLE_TYPES[z.dtype].bytes;
  await withAtomicOutput(o.output, { force: o.force }, async (temp) => {
    const writer = await makeWriter(temp, o.npy, z.dtype, z.shape);
    await streamFrames(z, async (frame, i) => {
      await writer.write(frame);
      injectedFailure(i + 1);
      progress.update(i + 1, (i + 1) * frameBytes);
    });
    await writer.close();
  });
}

export async function decompress(input: string, o: DecompressOptions): Promise<void> {
  const output = o.output;
  if (!output) throw usageError('decompress needs an output: -o OUTPUT.npy or -o OUTPUT.tif');
  const oext = extname(output).toLowerCase();
  if (!['.npy', '.tif', '.tiff'].includes(oext))
    throw usageError(`${output}: output must end in .npy, .tif or .tiff`);
  const iext = extname(input.replace(/[/\\]+$/, '')).toLowerCase();
  const zarrInput = iext !== '.pzf' && (await isZarrInput(input, iext));
  if (iext !== '.pzf' && !zarrInput)
    throw usageError(
      `${input}: input must be a .pzf file or a Zarr directory (array, OME-Zarr group, PYME pyramid)`,
    );
  const level = parseLevel(o.level);
  if (!zarrInput && o.level !== undefined)
    throw usageError('--level applies to Zarr groups (OME-Zarr, PYME pyramids), not .pzf');
  const backend = parseBackend(o.backend);
  const threads = parseThreads(o.threads);
  const kind = await resolveBackendKind(backend);
  await checkOutput(output, o.force === true);
  const t0 = performance.now();
  const opened: Opened = {
    output,
    npy: oext === '.npy',
    force: o.force === true,
    quiet: o.quiet === true,
  };
  let frames: number;
  let rawBytes: number;
  if (!zarrInput) {
    const bytes = await readPzfFile(input);
    let frame: ReturnType<typeof decodePzf>;
    try {
      frame = decodePzf(bytes, { backend, order: 'C' });
    } catch (err) {
      throw fromLibraryError(input, err);
    }
    const dtype: SampleDtype = frame.dtype;
    const [w, h, d] = frame.shape;
    const shape = d === 1 ? [w, h] : [w, h, d];
    await checkFreeSpace(output, frame.data.byteLength);
    await withAtomicOutput(output, { force: o.force === true }, async (temp) => {
      const writer = await makeWriter(temp, opened.npy, dtype, shape);
      if (d === 1) await writer.write(frame.data);
      else {
        // a 3-D frame [w, h, d] in C order is w pages of h x d
        const per = h * d;
        const data = frame.data;
        for (let i = 0; i < w; i++) await writer.write(data.subarray(i * per, (i + 1) * per));
      }
      await writer.close();
      injectedFailure(1);
    });
    frames = 1;
    rawBytes = frame.data.byteLength;
  } else {
    const z = await openZarrInput(input, { level, backend });
    const frameBytes = z.height * z.width * SAMPLE_TYPES[z.dtype].bytes;
    // Checked up front: a small array of absent (fill-value) chunks can expand to any size.
    await checkFreeSpace(output, z.frames * frameBytes);
    const progress = new Progress('decompress', z.frames, opened.quiet);
    try {
      if (z.wholeFrames) {
        const pool = new WorkerPool(Math.min(threads, Math.max(1, z.frames)), backend);
        try {
          await decompressWholeFrames(input, z.wholeFrames, opened, pool, backend, progress);
        } finally {
          await pool.close();
        }
      } else await decompressStreaming(z, opened, progress);
    } finally {
      progress.done();
    }
    frames = z.frames;
    rawBytes = z.frames * frameBytes;
  }
  if (!o.quiet) {
    const secs = (performance.now() - t0) / 1000;
    const size = (await stat(output)).size;
    console.error(
      `wrote ${output}: ${frames} frame(s), ${fmtBytes(rawBytes)} (${fmtBytes(size)} on disk) in ${secs.toFixed(2)} s (${(rawBytes / 1e6 / secs).toFixed(0)} MB/s, backend ${kind})`,
    );
  }
}
