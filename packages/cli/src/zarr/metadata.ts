/**
 * Array metadata read from untrusted files (docs/FORMAT.md §5): the Zarr v2 `.zarray` or v3
 * `zarr.json` of one array, checked for impossible fields with the shared rules
 * (`@pymecompress/codecs/untrusted`) before zarrita sees it, so a hostile shape, chunk shape or
 * fill value is exit 3 naming the file instead of a crash, a hang or a huge allocation.
 */
import { countProblem, zarrayProblem } from '@pymecompress/codecs/untrusted';
import { badInput } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { StoreKey } from './store.js';

export interface StoreLike {
  get(key: StoreKey): Promise<Uint8Array | undefined>;
}

/** One codec as the metadata names it (v2: filters then the compressor; v3: the `codecs` list). */
export interface CodecEntry {
  name: string;
  configuration: Record<string, unknown>;
}

export interface ArrayMeta {
  /** Path of the array inside the store ('' for the root). */
  path: string;
  zarrFormat: 2 | 3;
  /** The parsed `.zarray` / `zarr.json`. */
  raw: Record<string, unknown>;
  shape: number[];
  chunks: number[];
  codecs: CodecEntry[];
  /** The array's own attributes (`.zattrs`, or `attributes` in `zarr.json`). */
  attributes: Record<string, unknown> | undefined;
}

const dec = new TextDecoder();

/** `key` parsed as JSON, `undefined` when absent, exit 3 when it is not JSON. */
export async function readJson(
  store: StoreLike,
  file: string,
  key: string,
): Promise<unknown | undefined> {
  const bytes = await store.get(`/${key}`.replace(/\/+/g, '/') as StoreKey);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(dec.decode(bytes)) as unknown;
  } catch (err) {
    throw badInput(file, `${key} is not valid JSON (${(err as Error).message})`);
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function joinKey(path: string, name: string): string {
  return path === '' ? name : `${path}/${name}`;
}

function entry(file: string, where: string, c: unknown, idKey: 'id' | 'name'): CodecEntry {
  if (!isObject(c) || typeof c[idKey] !== 'string')
    throw badInput(file, `${where}: a codec is not an object with a string ${idKey}`);
  if (idKey === 'id') {
    const { id, ...configuration } = c;
    return { name: id as string, configuration };
  }
  const configuration = c.configuration ?? {};
  if (!isObject(configuration))
    throw badInput(file, `${where}: codec ${String(c.name)} configuration is not an object`);
  return { name: c.name as string, configuration };
}

/** Shape and chunk shape: same rank, counts (chunks > 0), at least one frame axis pair. */
function checkGrid(file: string, where: string, shape: unknown, chunks: unknown): void {
  if (!Array.isArray(shape)) throw badInput(file, `${where} shape is not an array`);
  if (!Array.isArray(chunks)) throw badInput(file, `${where} chunk shape is not an array`);
  if (shape.length !== chunks.length)
    throw badInput(
      file,
      `${where} shape (rank ${shape.length}) and chunks (rank ${chunks.length}) disagree`,
    );
  for (const [k, d] of shape.entries()) {
    const p = countProblem(`${where} shape[${k}]`, d, Number.MAX_SAFE_INTEGER);
    if (p) throw badInput(file, p);
  }
  for (const [k, d] of chunks.entries()) {
    const p = countProblem(`${where} chunks[${k}]`, d, Number.MAX_SAFE_INTEGER);
    if (p) throw badInput(file, p);
    if (d === 0) throw badInput(file, `${where} chunks[${k}] is 0`);
  }
  if (shape.length < 2)
    throw badInput(
      file,
      `${where}: shape ${JSON.stringify(shape)} has fewer than 2 axes (expected frames of rows x columns)`,
    );
}

/**
 * The metadata of the array at `path`, or `undefined` when there is none (neither `.zarray` nor a
 * `zarr.json` of node_type array).
 */
export async function readArrayMeta(
  store: StoreLike,
  file: string,
  path: string,
): Promise<ArrayMeta | undefined> {
  const v2 = await readJson(store, file, joinKey(path, '.zarray'));
  if (v2 !== undefined) {
    const where = joinKey(path, '.zarray');
    // Types and sizes first (the shared rule, @pymecompress/codecs/untrusted).
    const problem = zarrayProblem(v2);
    if (problem) throw badInput(file, path ? `${path}/${problem}` : problem);
    const z = v2 as Record<string, unknown>;
    if (z.zarr_format !== 2)
      throw badInput(file, `${where}: zarr_format ${String(z.zarr_format)} (expected 2)`);
    checkGrid(file, where, z.shape, z.chunks);
    if (z.filters !== null && z.filters !== undefined && !Array.isArray(z.filters))
      throw badInput(file, `${where}: filters is not an array or null`);
    if (z.compressor !== null && z.compressor !== undefined && !isObject(z.compressor))
      throw badInput(file, '.zarray compressor is not an object or null');
    const codecs = [
      ...((z.filters as unknown[] | null) ?? []).map((c) => entry(file, where, c, 'id')),
      ...(z.compressor ? [entry(file, where, z.compressor, 'id')] : []),
    ];
    const attrs = await readJson(store, file, joinKey(path, '.zattrs')).catch(() => undefined);
    return {
      path,
      zarrFormat: 2,
      raw: z,
      shape: z.shape as number[],
      chunks: z.chunks as number[],
      codecs,
      attributes: isObject(attrs) ? attrs : undefined,
    };
  }
  const v3 = await readJson(store, file, joinKey(path, 'zarr.json'));
  if (!isObject(v3) || v3.node_type !== 'array') return undefined;
  const where = joinKey(path, 'zarr.json');
  if (v3.zarr_format !== 3)
    throw badInput(file, `${where}: zarr_format ${String(v3.zarr_format)} (expected 3)`);
  const grid = v3.chunk_grid;
  if (!isObject(grid) || grid.name !== 'regular' || !isObject(grid.configuration))
    throw badInput(file, `${where}: chunk_grid is not a regular grid`);
  checkGrid(file, where, v3.shape, grid.configuration.chunk_shape);
  if (!Array.isArray(v3.codecs)) throw badInput(file, `${where}: codecs is not an array`);
  if (v3.codecs.length > 64) throw badInput(file, `${where}: ${v3.codecs.length} codecs`);
  return {
    path,
    zarrFormat: 3,
    raw: v3,
    shape: v3.shape as number[],
    chunks: grid.configuration.chunk_shape as number[],
    codecs: v3.codecs.map((c) => entry(file, where, c, 'name')),
    attributes: isObject(v3.attributes) ? v3.attributes : undefined,
  };
}

/** Frames of an array: the product of every axis but the last two (rows, columns). */
export function frameCount(file: string, shape: readonly number[]): number {
  let n = 1;
  for (const d of shape.slice(0, -2)) {
    n *= d;
    const p = countProblem('frame count (product of the leading axes)', n, LIMITS.frames);
    if (p) throw badInput(file, p);
  }
  return n;
}
