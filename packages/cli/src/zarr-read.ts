/** Reading the Zarr v2 arrays this CLI writes (whole-frame chunks, pymecompress codecs or none). */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { maxHuffmanChunkBytes, zarrayProblem } from '@pymecompress/codecs/untrusted';
import { quantParams } from '@pymecompress/core-ts/internal';
import type { CodecConfig } from './codec-task.js';
import { badInput } from './errors.js';
import { readBounded } from './inputs/file.js';
import { checkStack, LIMITS } from './limits.js';
import type { PixelDtype } from './npy.js';

export interface ZarrArrayInfo {
  dir: string;
  shape: number[];
  chunks: number[];
  dtype: PixelDtype;
  /** `null`: chunks are stored uncompressed. */
  codec: CodecConfig | null;
  separator: string;
  fillValue: number;
  frames: number;
  height: number;
  width: number;
  attributes: Record<string, unknown> | undefined;
}

export async function openZarr(dir: string): Promise<ZarrArrayInfo> {
  let text: string;
  const s = await stat(dir).catch(() => undefined);
  if (!s) throw badInput(dir, 'no such file or directory');
  if (!(await stat(join(dir, '.zarray')).catch(() => undefined)))
    throw badInput(dir, 'not a Zarr v2 array (no .zarray)');
  text = new TextDecoder().decode(
    await readBounded(join(dir, '.zarray'), LIMITS.metadataBytes, '.zarray'),
  );
  let z: Record<string, unknown>;
  try {
    z = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw badInput(dir, `.zarray is not valid JSON (${(err as Error).message})`);
  }
  // Types and sizes first (the shared rule, @pymecompress/codecs/untrusted), then what we support.
  const problem = zarrayProblem(z);
  if (problem) throw badInput(dir, problem);
  if (z.zarr_format !== 2)
    throw badInput(dir, `zarr_format ${String(z.zarr_format)} (only Zarr v2)`);
  const shape = z.shape as number[];
  const chunks = z.chunks as number[];
  if (
    !Array.isArray(shape) ||
    !Array.isArray(chunks) ||
    shape.length !== chunks.length ||
    (shape.length !== 2 && shape.length !== 3)
  ) {
    throw badInput(dir, 'expected a 2-D frame or a 3-D stack (shape and chunks of rank 2 or 3)');
  }
  const rank = shape.length;
  const [frames, height, width] =
    rank === 2 ? [1, shape[0]!, shape[1]!] : (shape as [number, number, number]);
  const whole =
    rank === 2
      ? chunks[0] === height && chunks[1] === width
      : chunks[0] === 1 && chunks[1] === height && chunks[2] === width;
  if (!whole)
    throw badInput(
      dir,
      `chunks ${JSON.stringify(chunks)} are not whole frames (only arrays chunked frame by frame are supported)`,
    );
  let dtype: PixelDtype;
  if (z.dtype === '|u1' || z.dtype === '<u1') dtype = 'uint8';
  else if (z.dtype === '<u2') dtype = 'uint16';
  else throw badInput(dir, `dtype ${String(z.dtype)} (only |u1 and <u2)`);
  checkStack(dir, frames, height, width, dtype === 'uint8' ? 1 : 2);
  const fillProblem = zarrayProblem(z, dtype === 'uint8' ? 255 : 65535);
  if (fillProblem) throw badInput(dir, `${fillProblem} (${dtype})`);
  const separator = (z.dimension_separator ?? '.') as string;
  const fill = (z.fill_value ?? 0) as number;
  if (z.order !== undefined && z.order !== 'C')
    throw badInput(dir, `order ${String(z.order)} (only C)`);
  if (
    z.filters !== null &&
    z.filters !== undefined &&
    !(Array.isArray(z.filters) && z.filters.length === 0)
  ) {
    throw badInput(dir, 'filters are not supported');
  }
  const c = z.compressor as Record<string, unknown> | null;
  let codec: CodecConfig | null;
  if (c !== null && c !== undefined && (typeof c !== 'object' || Array.isArray(c)))
    throw badInput(dir, '.zarray compressor is not an object or null');
  if (c === null || c === undefined) codec = null;
  else if (c.id === 'pymecompress-huffman') codec = { id: 'pymecompress-huffman' };
  else if (c.id === 'pymecompress-quant16') {
    const offset = c.offset ?? 0;
    const scale = c.scale ?? 1;
    try {
      quantParams(offset, scale); // JSON numbers only, the same limits as core-ts
    } catch {
      throw badInput(
        dir,
        `.zarray compressor: invalid quant16 parameters offset ${JSON.stringify(c.offset)}, scale ${JSON.stringify(c.scale)}`,
      );
    }
    if (typeof offset !== 'number' || typeof scale !== 'number') throw new Error('unreachable');
    if (dtype !== 'uint16') throw badInput(dir, 'pymecompress-quant16 on non-uint16 data');
    codec = { id: 'pymecompress-quant16', offset, scale };
  } else throw badInput(dir, `compressor ${JSON.stringify(c.id)} is not a pymecompress codec`);
  let attributes: Record<string, unknown> | undefined;
  try {
    const bytes = await readBounded(join(dir, '.zattrs'), LIMITS.metadataBytes, '.zattrs');
    attributes = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    attributes = undefined;
  }
  checkOwnAttributes(dir, codec, attributes);
  return {
    dir,
    shape,
    chunks,
    dtype,
    codec,
    separator,
    fillValue: fill,
    frames,
    height,
    width,
    attributes,
  };
}

export function chunkPath(info: ZarrArrayInfo, i: number): string {
  const key = info.shape.length === 2 ? ['0', '0'] : [String(i), '0', '0'];
  return join(info.dir, ...(info.separator === '/' ? key : [key.join('.')]));
}

/** The chunk's bytes, or `null` when the chunk is absent (all fill value). */
export async function readZarrChunk(info: ZarrArrayInfo, i: number): Promise<Uint8Array | null> {
  const path = chunkPath(info, i);
  let l: Awaited<ReturnType<typeof lstat>>;
  try {
    l = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (l.isSymbolicLink()) {
    // A symlink may point inside the store, never out of it (or at a device).
    const [root, real] = await Promise.all([realpath(info.dir), realpath(path).catch(() => '')]);
    if (!real.startsWith(root + sep))
      throw badInput(info.dir, `chunk ${i} is a symlink leaving the array (${real || 'dangling'})`);
  }
  const raw = info.height * info.width * (info.dtype === 'uint8' ? 1 : 2);
  const max =
    info.codec === null
      ? raw
      : maxHuffmanChunkBytes(
          info.codec.id === 'pymecompress-quant16' ? info.height * info.width : raw,
        );
  return readBounded(path, max, `chunk of a ${info.height}x${info.width} ${info.dtype} frame`);
}

/** Total bytes of the chunk files. */
export async function zarrStoredBytes(
  info: ZarrArrayInfo,
): Promise<{ bytes: number; chunks: number }> {
  let bytes = 0;
  let chunks = 0;
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        bytes += (await stat(p)).size;
        chunks++;
      }
    }
  };
  await walk(info.dir);
  return { bytes, chunks };
}

/**
 * Arrays this CLI wrote record their quantization in `.zattrs` (`pymecompress.quantization`): a
 * compressor that disagrees (e.g. quant16 metadata put over lossless chunks) would decode to
 * garbage, so it is refused. Foreign arrays carry no such record and cannot be cross-checked.
 */
function checkOwnAttributes(
  dir: string,
  codec: CodecConfig | null,
  attributes: Record<string, unknown> | undefined,
): void {
  const own = attributes?.pymecompress as
    | { writer?: unknown; quantization?: { offset?: unknown; scale?: unknown } }
    | undefined;
  if (typeof own?.writer !== 'string' || !own.writer.startsWith('@pymecompress/cli')) return;
  const q = own.quantization;
  const quantized = codec?.id === 'pymecompress-quant16';
  if (quantized !== (q !== undefined)) {
    throw badInput(
      dir,
      `.zarray compressor ${codec?.id ?? 'none'} disagrees with .zattrs (written ${q ? 'quantized' : 'lossless'} by ${own.writer})`,
    );
  }
  if (quantized && q && (q.offset !== codec.offset || q.scale !== codec.scale)) {
    throw badInput(
      dir,
      `.zarray quant16 offset/scale ${codec.offset}/${codec.scale} disagree with .zattrs ${String(q.offset)}/${String(q.scale)}`,
    );
  }
}
