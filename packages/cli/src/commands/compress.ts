import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { type BackendName, encodePzf } from '@pymecompress/codecs';
import { checkOutput, injectedFailure, withAtomicOutput } from '../atomic.js';
import type { CodecConfig } from '../codec-task.js';
import { fromLibraryError, usageError } from '../errors.js';
import { fmtBytes } from '../format.js';
import { type FrameSource, openInput, type Pixels } from '../inputs/index.js';
import {
  parseBackend,
  parseChunks,
  parseInteger,
  parseLevels,
  parsePixelSize,
  parsePositive,
  parseStackAxis,
  parseThreads,
  resolveBackendKind,
} from '../options.js';
import { checkZarrLayout, encodeZarr } from '../outputs/zarr-encode.js';
import { createZarrOutput, type ImageAxesOptions, imageAxes, planZarr } from '../outputs.js';
import { WorkerPool } from '../pool.js';
import { Progress } from '../progress.js';
import { type QuantOptions, resolveQuant, saturationLevel } from '../quant-params.js';
import { VERSION } from '../version.js';

export interface CompressOptions extends QuantOptions {
  output?: string | undefined;
  backend?: string | undefined;
  force?: boolean | undefined;
  threads?: string | undefined;
  quiet?: boolean | undefined;
  shape?: string | undefined;
  dtype?: string | undefined;
  frame?: string | undefined;
  /** `.zarr` / `.ome.zarr`: chunk shape, e.g. `1,256,256`. */
  chunks?: string | undefined;
  /** `.ome.zarr`: downsampled levels (2x mean binning in y/x). */
  levels?: string | undefined;
  /** `.ome.zarr`: `t` (default) or `z`. */
  'stack-axis'?: string | undefined;
  /** `.ome.zarr`: µm per pixel, `S` or `Y,X`. */
  'pixel-size'?: string | undefined;
  /** `.ome.zarr`: spacing along the stack axis (s for t, µm for z). */
  'stack-step'?: string | undefined;
}

/** What the output kind decides: plain array or OME-NGFF group, and the group's axes. */
interface OutputMeta {
  ome: boolean;
  axes: Omit<ImageAxesOptions, 'stack'>;
}

const OME_ONLY = ['levels', 'stack-axis', 'pixel-size', 'stack-step'] as const;

export interface CompressResult {
  frames: number;
  inputBytes: number;
  outputBytes: number;
  seconds: number;
  saturated: number;
}

function countAbove(p: Pixels, level: number): number {
  if (level >= 65535) return 0;
  let n = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > level) n++;
  return n;
}

export async function compress(input: string, o: CompressOptions): Promise<CompressResult> {
  const output = o.output;
  if (!output)
    throw usageError(
      'compress needs an output: -o OUTPUT.zarr, -o OUTPUT.ome.zarr or -o OUTPUT.pzf',
    );
  const ext = extname(output).toLowerCase();
  if (ext !== '.zarr' && ext !== '.pzf') {
    throw usageError(
      `${output}: output must end in .zarr (Zarr v2 array), .ome.zarr (OME-NGFF 0.4 image) or .pzf (one PZF frame)`,
    );
  }
  const ome = output.toLowerCase().endsWith('.ome.zarr');
  for (const flag of OME_ONLY)
    if (o[flag] !== undefined && !ome) throw usageError(`--${flag} needs an .ome.zarr output`);
  if (o.chunks !== undefined && ext !== '.zarr')
    throw usageError('--chunks needs a .zarr or .ome.zarr output');
  const meta: OutputMeta = {
    ome,
    axes: {
      stackAxis: parseStackAxis(o['stack-axis']),
      pixelSize: parsePixelSize(o['pixel-size']),
      stackStep: parsePositive('stack-step', o['stack-step']),
    },
  };
  const quant = resolveQuant(o);
  const backend = parseBackend(o.backend);
  const threads = parseThreads(o.threads);
  const backendKind = await resolveBackendKind(backend);
  await checkOutput(output, o.force === true, ext === '.zarr' ? 'dir' : 'file');
  const src = await openInput(input, { shape: o.shape, dtype: o.dtype });
  try {
    if (quant && src.dtype !== 'uint16') {
      throw usageError(
        `${input}: sqrt quantization needs uint16 data, this is ${src.dtype} (use --lossless)`,
      );
    }
    const t0 = performance.now();
    const res =
      ext === '.pzf'
        ? await toPzf(src, output, o, quant, backend)
        : await toZarr(src, output, o, quant, backend, threads, meta);
    res.seconds = (performance.now() - t0) / 1000;
    if (!o.quiet) {
      const mb = res.inputBytes / 1e6;
      console.error(
        `wrote ${output}: ${res.frames} frame(s) ${src.height}x${src.width} ${src.dtype}, ${fmtBytes(res.inputBytes)} -> ${fmtBytes(res.outputBytes)} ` +
          `(${(res.inputBytes / Math.max(1, res.outputBytes)).toFixed(2)}x) in ${res.seconds.toFixed(2)} s ` +
          `(${(mb / res.seconds).toFixed(0)} MB/s, ${ext === '.zarr' ? `${threads} thread(s), ` : ''}backend ${backendKind}, ` +
          `${quant ? `sqrt quantization: ${quant.derivation}` : 'lossless'})`,
      );
      if (quant && res.saturated > 0) {
        console.error(
          `warning: ${res.saturated} pixel(s) above ${saturationLevel(quant).toFixed(0)} ADU saturated at the top quantization level (use a larger --scale)`,
        );
      }
    }
    return res;
  } finally {
    await src.close();
  }
}

async function toPzf(
  src: FrameSource,
  output: string,
  o: CompressOptions,
  quant: { offset: number; scale: number } | null,
  backend: BackendName,
): Promise<CompressResult> {
  let index = 0;
  if (o.frame !== undefined) {
    if (src.frames === 0) throw usageError(`--frame ${o.frame}: the input has no frames`);
    index = parseInteger('frame', o.frame, 0, src.frames - 1)!;
  } else if (src.frames !== 1) {
    throw usageError(
      `${src.path} holds ${src.frames} frames; a .pzf file holds one: pick one with --frame K or write a .zarr`,
    );
  }
  const [frame] = await src.read(index, 1);
  let bytes: Uint8Array;
  try {
    bytes = encodePzf(frame!, {
      shape: [src.height, src.width],
      order: 'C',
      compression: 'huffman',
      quantization: quant ? { offset: quant.offset, scale: quant.scale } : null,
      frameNum: index,
      backend,
    });
  } catch (err) {
    throw fromLibraryError(src.path, err);
  }
  await withAtomicOutput(output, { force: o.force === true }, async (temp) => {
    await writeFile(temp, bytes, { flag: 'wx' });
    injectedFailure(1);
  });
  return {
    frames: 1,
    inputBytes: frame!.byteLength,
    outputBytes: bytes.length,
    seconds: 0,
    saturated: quant ? countAbove(frame!, saturationLevel(quant)) : 0,
  };
}

async function toZarr(
  src: FrameSource,
  output: string,
  o: CompressOptions,
  quant: { offset: number; scale: number } | null,
  backend: BackendName,
  threads: number,
  meta: OutputMeta,
): Promise<CompressResult> {
  const codec: CodecConfig = quant
    ? { id: 'pymecompress-quant16', offset: quant.offset, scale: quant.scale }
    : { id: 'pymecompress-huffman' };
  const stack = src.fileShape.length !== 2;
  const shape = stack ? [src.frames, src.height, src.width] : [src.height, src.width];
  const itemSize = src.dtype === 'uint8' ? 1 : 2;
  const frameBytes = src.height * src.width * itemSize;
  const layout = planZarr({
    frames: src.frames,
    height: src.height,
    width: src.width,
    stack,
    chunks: parseChunks(o.chunks, shape),
    levels: meta.ome ? parseLevels(o.levels, src.height, src.width) : 0,
    ome: meta.ome,
  });
  checkZarrLayout(layout, frameBytes, itemSize);
  const tasks = layout.levels.reduce((n, lv) => n + lv.tilesY * lv.tilesX, 0) * src.frames;
  const pool = new WorkerPool(Math.min(threads, Math.max(1, tasks)), backend);
  const progress = new Progress('compress', src.frames, o.quiet === true);
  let out = { bytes: 0, saturated: 0 };
  try {
    await withAtomicOutput(output, { force: o.force === true, kind: 'dir' }, async (temp) => {
      const write = await createZarrOutput(temp, layout, {
        dtype: src.dtype,
        codec,
        attributes: {
          pymecompress: {
            source: src.path,
            sourceFormat: src.format,
            writer: `@pymecompress/cli ${VERSION}`,
            ...(quant ? { quantization: { offset: quant.offset, scale: quant.scale } } : {}),
          },
        },
        ...(meta.ome
          ? {
              ngff: {
                ...imageAxes({ stack, ...meta.axes }),
                name: basename(src.path),
              },
            }
          : {}),
      });
      out = await encodeZarr({
        src,
        layout,
        codec,
        backend,
        pool,
        write,
        progress,
        saturation: quant ? saturationLevel(quant) : Infinity,
      });
    });
  } finally {
    progress.done();
    await pool.close();
  }
  return {
    frames: src.frames,
    inputBytes: src.frames * frameBytes,
    outputBytes: out.bytes,
    seconds: 0,
    saturated: out.saturated,
  };
}
