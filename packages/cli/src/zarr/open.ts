/**
 * Opening what `info` and `decompress` accept as Zarr input, all through one checked local store
 * (`store.ts`) and zarrita with pymecompress's codecs registered:
 *
 * - a Zarr v2 or v3 array, any chunk shape, any codec zarrita or pymecompress decodes;
 * - an OME-Zarr group (NGFF `multiscales`): level N is `multiscales[0].datasets[N].path`;
 * - a PYME tile pyramid (a `pyme` block beside the multiscales): chunk keys are mapped to PYME's
 *   tile files by `pymePyramidStore` (`@pymecompress/codecs/zarr`); a missing tile is fill value.
 *
 * Everything read from the files is checked before use (metadata.ts, multiscales.ts, the
 * shared limits of `@pymecompress/codecs/untrusted`): exit 3 naming the file.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stackProblem, zarrayProblem } from '@pymecompress/codecs/untrusted';
import { pymePyramidStore, register } from '@pymecompress/codecs/zarr';
import * as zarr from 'zarrita';
import type { CodecConfig } from '../codec-task.js';
import { badInput, usageError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { isSampleDtype, SAMPLE_TYPES, type SampleDtype } from '../samples.js';
import { checkKnownCodecs, chunkByteLimit, pymecompressCodec } from './codecs.js';
import { isWholeFrameChunking, type WholeFrameArray } from './frames.js';
import { type ArrayMeta, frameCount, isObject, readArrayMeta, readJson } from './metadata.js';
import { type Multiscale, readMultiscale } from './multiscales.js';
import { LocalZarrStore, type StoreKey } from './store.js';

export type ZarrKind = 'zarr-array' | 'ome-zarr' | 'pyme-pyramid';

export interface LevelInfo {
  level: number;
  path: string;
  shape: number[];
  chunks: number[];
  scale: number[] | undefined;
}

export interface ZarrInput {
  /** What the user named. */
  file: string;
  kind: ZarrKind;
  zarrFormat: 2 | 3;
  level: number;
  /** The chosen level's array path inside the group ('' for a plain array). */
  path: string;
  /** Every level of a multiscale group (undefined for a plain array). */
  levels: LevelInfo[] | undefined;
  multiscale: Multiscale | undefined;
  meta: ArrayMeta;
  array: zarr.Array<zarr.DataType, zarr.Readable>;
  dtype: SampleDtype;
  shape: number[];
  chunks: number[];
  frames: number;
  height: number;
  width: number;
  /** The pymecompress codec when it is the only compression, `null` for none. */
  codec: CodecConfig | null | undefined;
  /** Set when the fast whole-frame path (frames.ts) can read this array. */
  wholeFrames: WholeFrameArray | undefined;
}

export interface OpenOptions {
  /** Pyramid / OME-Zarr level (default 0). */
  level?: number | undefined;
  backend?: string | undefined;
}

let registered: string | undefined;
function registerCodecs(backend: string | undefined): void {
  if (registered === (backend ?? 'auto')) return;
  register(undefined, backend ? { backend: backend as never } : {});
  registered = backend ?? 'auto';
}

/** Opens a zarrita array and maps zarrita's own errors (unknown codec, bad metadata) to exit 3. */
async function openArray(
  file: string,
  store: zarr.Readable,
  meta: ArrayMeta,
): Promise<zarr.Array<zarr.DataType, zarr.Readable>> {
  const loc = meta.path === '' ? zarr.root(store) : zarr.root(store).resolve(meta.path);
  try {
    return meta.zarrFormat === 2
      ? await zarr.open.v2(loc, { kind: 'array', attrs: false })
      : await zarr.open.v3(loc, { kind: 'array' });
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode !== undefined) throw err;
    throw badInput(file, `${meta.path || 'array'}: ${(err as Error).message}`, err);
  }
}

/** A fill value the dtype can hold (zarrita would otherwise wrap or truncate it silently). */
function checkFill(file: string, meta: ArrayMeta, dtype: SampleDtype): void {
  const fill = meta.raw.fill_value;
  if (dtype === 'uint8' || dtype === 'uint16') {
    const p = zarrayProblem(
      { shape: [], chunks: [], fill_value: fill },
      dtype === 'uint8' ? 255 : 65535,
    );
    if (p) throw badInput(file, `${p} (${dtype})`);
    return;
  }
  if (fill === null || fill === undefined || dtype.startsWith('float')) return;
  const bits = SAMPLE_TYPES[dtype].bytes * 8;
  const [lo, hi] = dtype.startsWith('u')
    ? [0, 2 ** bits - 1]
    : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  if (typeof fill !== 'number' || !Number.isInteger(fill) || fill < lo || fill > hi)
    throw badInput(
      file,
      `fill_value ${JSON.stringify(fill)} is not an integer in ${lo}..${hi} (${dtype})`,
    );
}

/** The levels of a multiscale group, each level's metadata checked. */
async function readLevels(
  file: string,
  store: LocalZarrStore,
  ms: Multiscale,
): Promise<{ levels: LevelInfo[]; metas: ArrayMeta[] }> {
  const levels: LevelInfo[] = [];
  const metas: ArrayMeta[] = [];
  for (const [level, d] of ms.datasets.entries()) {
    const meta = await readArrayMeta(store, file, d.path);
    if (!meta)
      throw badInput(
        file,
        `level ${level} (multiscales path ${JSON.stringify(d.path)}) has no array (no .zarray or zarr.json)`,
      );
    metas.push(meta);
    levels.push({ level, path: d.path, shape: meta.shape, chunks: meta.chunks, scale: d.scale });
  }
  return { levels, metas };
}

export async function openZarrInput(file: string, o: OpenOptions = {}): Promise<ZarrInput> {
  const level = o.level ?? 0;
  const s = await stat(file).catch(() => undefined);
  if (!s) throw badInput(file, 'no such file or directory');
  if (!s.isDirectory()) throw badInput(file, 'is not a directory (a Zarr array or group is one)');
  registerCodecs(o.backend);
  const store = new LocalZarrStore(file);
  let meta = await readArrayMeta(store, file, '');
  let multiscale: Multiscale | undefined;
  let levels: LevelInfo[] | undefined;
  if (meta) {
    if (level !== 0) throw usageError(`--level ${level}: ${file} is a single array (only level 0)`);
  } else {
    const v3 = await readJson(store, file, 'zarr.json');
    const zattrs = await readJson(store, file, '.zattrs');
    const zgroup = await readJson(store, file, '.zgroup');
    const attrs = isObject(v3) ? v3.attributes : zattrs;
    if (v3 === undefined && zgroup === undefined && zattrs === undefined)
      throw badInput(
        file,
        'not a Zarr v2 array (no .zarray), Zarr v2 group (no .zgroup) or Zarr v3 node (no zarr.json)',
      );
    multiscale = readMultiscale(file, isObject(attrs) ? attrs : undefined);
    if (!multiscale)
      throw badInput(
        file,
        'a Zarr group without multiscales metadata (not OME-Zarr): name one of its arrays',
      );
    if (!Number.isSafeInteger(level) || level < 0 || level >= multiscale.datasets.length)
      throw usageError(`--level ${level}: ${file} has levels 0..${multiscale.datasets.length - 1}`);
    const read = await readLevels(file, store, multiscale);
    levels = read.levels;
    meta = read.metas[level]!;
  }
  const kind: ZarrKind = multiscale?.kind ?? 'zarr-array';
  // PYME keeps each tile under its key-schema path, not the chunk key (docs/FORMAT.md §7).
  const readable = (kind === 'pyme-pyramid' ? pymePyramidStore(store) : store) as zarr.Readable;
  const where = meta.path ? `${file}/${meta.path}` : file;
  checkKnownCodecs(where, meta, zarr.registry);
  const array = await openArray(file, readable, meta);
  if (!isSampleDtype(array.dtype))
    throw badInput(
      where,
      `dtype ${array.dtype} is not supported (uint8/16/32, int8/16/32, float32/64)`,
    );
  const dtype = array.dtype;
  const item = SAMPLE_TYPES[dtype].bytes;
  const shape = meta.shape;
  const chunks = meta.chunks;
  const frames = frameCount(where, shape);
  const [height, width] = shape.slice(-2) as [number, number];
  const p = stackProblem(frames, height, width, item);
  if (p) throw badInput(where, p);
  const chunkElements = chunks.reduce((a, b) => a * b, 1);
  if (chunkElements * item > LIMITS.frameBytes)
    throw badInput(
      where,
      `chunks ${JSON.stringify(chunks)} of ${dtype} are ${chunkElements * item} bytes each, over the ${LIMITS.frameBytes}-byte limit for one chunk`,
    );
  checkFill(where, meta, dtype);
  const codec = pymecompressCodec(where, meta, dtype);
  store.chunkLimit = chunkByteLimit(meta, codec, chunkElements, item);
  store.chunkWhat = `chunk of ${JSON.stringify(chunks)} ${dtype}`;
  const z = meta.raw;
  const fast =
    kind !== 'pyme-pyramid' &&
    meta.zarrFormat === 2 &&
    codec !== undefined &&
    (dtype === 'uint8' || dtype === 'uint16') &&
    (z.order ?? 'C') === 'C' &&
    isWholeFrameChunking(shape, chunks);
  const wholeFrames: WholeFrameArray | undefined = fast
    ? {
        dir: meta.path ? join(file, meta.path) : file,
        shape,
        dtype,
        codec,
        separator: z.dimension_separator === '/' ? '/' : '.',
        fillValue: (z.fill_value ?? 0) as number,
        frames,
        height,
        width,
      }
    : undefined;
  return {
    file,
    kind,
    zarrFormat: meta.zarrFormat,
    level,
    path: meta.path,
    levels,
    multiscale,
    meta,
    array,
    dtype,
    shape,
    chunks,
    frames,
    height,
    width,
    codec,
    wholeFrames,
  };
}

export type { StoreKey };
