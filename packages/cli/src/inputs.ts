/**
 * Input stacks, read frame by frame: `.npy` (C or F order), multi-page `.tif`/`.tiff` (geotiff,
 * page by page), `.dax` + `.inf` (big-endian uint16 movies) and raw files (`--shape`, `--dtype`).
 * Every source is presented as `frames` frames of `height x width` pixels (row-major, native
 * byte order); only a bounded number of frames is held in memory at a time.
 */
import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { badInput, CliError, EXIT, usageError } from './errors.js';
import { type PixelDtype, parseNpyHeader } from './npy.js';

export type Pixels = Uint8Array | Uint16Array;
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

export interface RawOptions {
  shape?: string | undefined;
  dtype?: string | undefined;
}

export function detectInputFormat(path: string, raw: RawOptions): InputFormat {
  if (raw.shape !== undefined) return 'raw';
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.tif' || ext === '.tiff') return 'tiff';
  if (ext === '.dax') return 'dax';
  throw usageError(
    `${path}: unknown input type '${ext || '(no extension)'}' (expected .npy, .tif, .tiff, .dax, or raw data with --shape and --dtype)`,
  );
}

export async function openInput(path: string, raw: RawOptions = {}): Promise<FrameSource> {
  const format = detectInputFormat(path, raw);
  switch (format) {
    case 'npy':
      return openNpy(path);
    case 'tiff':
      return openTiff(path);
    case 'dax':
      return openDax(path);
    case 'raw':
      return openRaw(path, raw);
  }
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new CliError(EXIT.BAD_INPUT, `${path}: no such file`);
    if (e.code === 'EISDIR') throw new CliError(EXIT.BAD_INPUT, `${path}: is a directory`);
    throw new CliError(EXIT.BAD_INPUT, `${path}: cannot open (${e.message})`);
  }
}

async function readAt(
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

function toPixels(bytes: Uint8Array, dtype: PixelDtype, bigEndian: boolean): Pixels {
  if (dtype === 'uint8') return bytes;
  const out = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const littleHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (bigEndian === littleHost) {
    for (let i = 0; i < out.length; i++) {
      const v = out[i]!;
      out[i] = ((v & 0xff) << 8) | (v >>> 8);
    }
  }
  return out;
}

function itemSize(dtype: PixelDtype): number {
  return dtype === 'uint8' ? 1 : 2;
}

/** A frame source over a file holding `frames` contiguous frames from `dataOffset`. */
function contiguousSource(
  fh: FileHandle,
  base: Omit<FrameSource, 'read' | 'close'>,
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

function stackShape(file: string, shape: number[]): [number, number, number] {
  if (shape.length === 2) return [1, shape[0]!, shape[1]!];
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  throw badInput(file, `a ${shape.length}-D array (expected a 2-D frame or a 3-D stack of frames)`);
}

async function openNpy(path: string): Promise<FrameSource> {
  const fh = await openFile(path);
  try {
    const size = (await fh.stat()).size;
    const head = new Uint8Array(Math.min(size, 65536 + 12));
    await fh.read(head, 0, head.length, 0);
    const h = parseNpyHeader(path, head);
    const [frames, height, width] = stackShape(path, h.shape);
    const need = frames * height * width * itemSize(h.dtype);
    if (size - h.dataOffset < need) {
      throw badInput(
        path,
        `truncated: shape (${h.shape.join(', ')}) ${h.dtype} needs ${need} data bytes, the file holds ${Math.max(0, size - h.dataOffset)}`,
      );
    }
    const base = {
      path,
      format: 'npy' as const,
      dtype: h.dtype,
      frames,
      height,
      width,
      fileShape: h.shape,
      details: { order: h.fortranOrder ? 'F' : 'C', byteOrder: h.bigEndian ? 'big' : 'little' },
    };
    if (!h.fortranOrder || frames * height === 1 || frames * width === 1 || height * width === 1) {
      // F order of an array with one non-unit axis... only relevant for the trivial cases above.
      if (!h.fortranOrder) return contiguousSource(fh, base, h.dataOffset, h.bigEndian);
    }
    return fortranSource(fh, base, h.dataOffset, h.bigEndian);
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Fortran-order stacks: element (n, y, x) of an `N x H x W` array is at `n + N*(y + H*x)`, so a
 * frame is spread over the whole file. Frames are produced in batches (as many as fit in
 * ~256 MB) by one sequential pass over the data per batch.
 */
function fortranSource(
  fh: FileHandle,
  base: Omit<FrameSource, 'read' | 'close'>,
  dataOffset: number,
  bigEndian: boolean,
): FrameSource {
  const { frames: N, height: H, width: W, dtype } = base;
  const isz = itemSize(dtype);
  const frameBytes = H * W * isz;
  const batchFrames = Math.max(1, Math.min(N, Math.floor((256 << 20) / Math.max(1, frameBytes))));
  let cache: { start: number; frames: Pixels[] } | undefined;

  async function loadBatch(start: number): Promise<void> {
    const count = Math.min(batchFrames, N - start);
    const out = Array.from({ length: count }, () =>
      dtype === 'uint8' ? new Uint8Array(H * W) : new Uint16Array(H * W),
    ) as Pixels[];
    const positions = H * W; // p = y + H*x
    const posPerBlock = Math.max(1, Math.floor((16 << 20) / (N * isz)));
    for (let p0 = 0; p0 < positions; p0 += posPerBlock) {
      const np = Math.min(posPerBlock, positions - p0);
      const bytes = await readAt(fh, dataOffset + p0 * N * isz, np * N * isz, base.path);
      const px = toPixels(bytes, dtype, bigEndian);
      for (let k = 0; k < np; k++) {
        const p = p0 + k;
        const y = p % H;
        const x = (p - y) / H;
        const dst = y * W + x;
        const src = k * N + start;
        for (let f = 0; f < count; f++) out[f]![dst] = px[src + f]!;
      }
    }
    cache = { start, frames: out };
  }

  return {
    ...base,
    async read(start, count) {
      const result: Pixels[] = [];
      for (let i = start; i < start + count; i++) {
        if (!cache || i < cache.start || i >= cache.start + cache.frames.length) await loadBatch(i);
        result.push(cache!.frames[i - cache!.start]!);
      }
      return result;
    },
    close: () => fh.close(),
  };
}

/** Parses a `.inf` file (storm-analysis / Hal's dax movies). */
export function parseInf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!.toLowerCase()] = m[2]!;
  }
  return out;
}

async function openDax(path: string): Promise<FrameSource> {
  const infPath = path.replace(/\.dax$/i, '.inf');
  let text: string;
  try {
    text = await readFile(infPath, 'latin1');
  } catch {
    throw badInput(path, `the .inf file ${basename(infPath)} next to it is missing or unreadable`);
  }
  const inf = parseInf(text);
  const dims = /^(\d+)\s*x\s*(\d+)$/i.exec(inf['frame dimensions'] ?? '');
  const n = /^(\d+)$/.exec(inf['number of frames'] ?? '');
  if (!dims || !n) {
    throw badInput(infPath, "needs 'frame dimensions = W x H' and 'number of frames = N' lines");
  }
  const dataType = (inf['data type'] ?? '').toLowerCase();
  const bigEndian = !dataType.includes('little');
  const width = Number(dims[1]);
  const height = Number(dims[2]);
  const frames = Number(n[1]);
  const fh = await openFile(path);
  const size = (await fh.stat()).size;
  const need = frames * width * height * 2;
  if (size < need) {
    await fh.close();
    throw badInput(
      path,
      `truncated: ${frames} frames of ${width}x${height} uint16 need ${need} bytes, the file holds ${size}`,
    );
  }
  return contiguousSource(
    fh,
    {
      path,
      format: 'dax',
      dtype: 'uint16',
      frames,
      height,
      width,
      fileShape: [frames, height, width],
      details: { inf: infPath, byteOrder: bigEndian ? 'big' : 'little' },
    },
    0,
    bigEndian,
  );
}

export function parseRawDtype(text: string): { dtype: PixelDtype; bigEndian: boolean } {
  switch (text.toLowerCase()) {
    case 'uint8':
    case 'u1':
    case '|u1':
      return { dtype: 'uint8', bigEndian: false };
    case 'uint16':
    case 'u2':
    case '<u2':
    case 'uint16le':
      return { dtype: 'uint16', bigEndian: false };
    case '>u2':
    case 'uint16be':
      return { dtype: 'uint16', bigEndian: true };
    default:
      throw usageError(`--dtype ${text}: expected uint8, uint16 (little-endian) or uint16be / >u2`);
  }
}

export function parseShape(text: string, option = '--shape'): number[] {
  const parts = text.split(/[,x× ]+/).filter((s) => s !== '');
  const shape = parts.map(Number);
  if (
    shape.length < 2 ||
    shape.length > 3 ||
    shape.some((s) => !Number.isSafeInteger(s) || s <= 0)
  ) {
    throw usageError(`${option} ${text}: expected H,W or N,H,W (positive integers)`);
  }
  return shape;
}

async function openRaw(path: string, raw: RawOptions): Promise<FrameSource> {
  if (raw.shape === undefined || raw.dtype === undefined) {
    throw usageError(
      'raw input needs both --shape N,H,W (or H,W) and --dtype uint8|uint16|uint16be',
    );
  }
  const shape = parseShape(raw.shape);
  const { dtype, bigEndian } = parseRawDtype(raw.dtype);
  const [frames, height, width] = stackShape(path, shape);
  const fh = await openFile(path);
  const size = (await fh.stat()).size;
  const need = frames * height * width * itemSize(dtype);
  if (size !== need) {
    await fh.close();
    throw badInput(
      path,
      `${size} bytes, but --shape ${shape.join(',')} --dtype ${raw.dtype} means ${need} bytes${size < need ? ' (truncated?)' : ''}`,
    );
  }
  return contiguousSource(
    fh,
    {
      path,
      format: 'raw',
      dtype,
      frames,
      height,
      width,
      fileShape: shape,
      details: { byteOrder: bigEndian ? 'big' : 'little' },
    },
    0,
    bigEndian,
  );
}

async function openTiff(path: string): Promise<FrameSource> {
  await stat(path).catch(() => {
    throw new CliError(EXIT.BAD_INPUT, `${path}: no such file`);
  });
  const { fromFile } = await import('geotiff');
  let tiff: Awaited<ReturnType<typeof fromFile>>;
  let count: number;
  try {
    tiff = await fromFile(path);
    count = await tiff.getImageCount();
  } catch (err) {
    throw badInput(path, `not a readable TIFF (${(err as Error).message})`, err);
  }
  try {
    const first = await tiff.getImage(0);
    const width = first.getWidth();
    const height = first.getHeight();
    const check = (img: typeof first, i: number): PixelDtype => {
      const spp = img.getSamplesPerPixel();
      const bits = img.getBitsPerSample(0);
      const fmt = img.getSampleFormat(0) ?? 1;
      if (spp !== 1)
        throw badInput(path, `page ${i} has ${spp} samples per pixel (only greyscale)`);
      if (fmt !== 1 || (bits !== 8 && bits !== 16)) {
        throw badInput(
          path,
          `page ${i} is ${bits}-bit ${fmt === 1 ? 'unsigned' : fmt === 2 ? 'signed' : 'float'} data (only uint8 and uint16)`,
        );
      }
      if (img.getWidth() !== width || img.getHeight() !== height) {
        throw badInput(
          path,
          `page ${i} is ${img.getWidth()}x${img.getHeight()}, page 0 is ${width}x${height}`,
        );
      }
      return bits === 8 ? 'uint8' : 'uint16';
    };
    const dtype = check(first, 0);
    return {
      path,
      format: 'tiff',
      dtype,
      frames: count,
      height,
      width,
      fileShape: count === 1 ? [height, width] : [count, height, width],
      details: { pages: count },
      async read(start, n) {
        const out: Pixels[] = [];
        for (let i = start; i < start + n; i++) {
          let data: unknown;
          try {
            const img = await tiff.getImage(i);
            if (check(img, i) !== dtype)
              throw badInput(path, `page ${i} has a different dtype from page 0`);
            data = (await img.readRasters({ interleave: true })) as unknown;
          } catch (err) {
            if (err instanceof CliError) throw err;
            throw badInput(path, `page ${i} cannot be read (${(err as Error).message})`, err);
          }
          const px = dtype === 'uint8' ? Uint8Array : Uint16Array;
          if (!(data instanceof px) || data.length !== width * height) {
            throw badInput(path, `page ${i} decoded to unexpected data`);
          }
          out.push(data);
        }
        return out;
      },
      close: async () => {
        await (tiff as unknown as { close?: () => Promise<void> | void }).close?.();
      },
    };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw badInput(path, `not a readable TIFF (${(err as Error).message})`, err);
  }
}
