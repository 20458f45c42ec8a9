/**
 * Zarr v2/v3 arrays, OME-Zarr (NGFF 0.4 `multiscales` in `.zattrs`, 0.5 under `ome`) groups and
 * PYME tile pyramids, read with zarrita: a region read decodes only the chunks it touches. The
 * store is a folder of picked/dropped files or a FetchStore for `?url=`. PYME pyramids (a `pyme`
 * block in the root `.zattrs`) go through `pymePyramidStore` from `@pymecompress/codecs/zarr`.
 */
import { stackProblem, zarrayProblem } from '@pymecompress/codecs/untrusted';
import * as codecsZarr from '@pymecompress/codecs/zarr';
import * as zarr from 'zarrita';
import { omeSpatial } from './ome.js';
import type { CodecInfo, Level, Pixels, Region, Source } from './types.js';
import { ViewerError } from './types.js';

/** The read side of a zarrita store. */
export interface ReadStore {
  get(key: `/${string}`, opts?: unknown): Promise<Uint8Array | undefined>;
}

/** A store over picked files, keyed by their path below the folder's root. */
export function fileStore(files: Map<string, Blob>): ReadStore {
  return {
    async get(key) {
      const f = files.get(key.slice(1));
      return f ? new Uint8Array(await f.arrayBuffer()) : undefined;
    },
  };
}

let registered = false;
function registerCodecs(backend: unknown): void {
  if (registered) return;
  codecsZarr.register(undefined, { backend: backend as never });
  registered = true;
}

async function json(store: ReadStore, key: string): Promise<Record<string, unknown> | null> {
  const b = await store.get(`/${key}`.replace(/\/+/g, '/') as `/${string}`);
  if (!b) return null;
  try {
    return JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;
  } catch {
    throw new ViewerError(`${key} is not valid JSON`);
  }
}

function join(a: string, b: string): string {
  return [a, b].filter((s) => s !== '').join('/');
}

/** The codec and its parameters, as the array's metadata names it. */
async function codecOf(store: ReadStore, path: string): Promise<CodecInfo | null> {
  const v2 = await json(store, join(path, '.zarray'));
  if (v2) {
    const c = v2.compressor as Record<string, unknown> | null;
    if (!c) return { id: 'none', config: {} };
    const { id, ...config } = c;
    return { id: String(id), config };
  }
  const v3 = await json(store, join(path, 'zarr.json'));
  const codecs = (v3?.codecs ?? []) as { name: string; configuration?: Record<string, unknown> }[];
  const ours = codecs.filter((c) => c.name !== 'bytes' && c.name !== 'transpose');
  if (ours.length === 0) return { id: 'none', config: {} };
  return {
    id: ours.map((c) => c.name).join(' → '),
    config: Object.assign({}, ...ours.map((c) => c.configuration ?? {})),
  };
}

interface Multiscale {
  axes?: ({ name: string } | string)[];
  datasets: { path: string }[];
}

export async function openZarr(
  name: string,
  base: ReadStore,
  backend: unknown,
  storedBytes: number | null,
): Promise<Source> {
  registerCodecs(backend);
  let store = base;
  const rootAttrs = (await json(base, '.zattrs')) ?? {};
  const rootV3 = await json(base, 'zarr.json');
  const attrs = (rootV3?.attributes as Record<string, unknown> | undefined) ?? rootAttrs;
  const ome = (attrs.ome as Record<string, unknown> | undefined) ?? attrs;
  const multiscales = ome.multiscales as Multiscale[] | undefined;
  let kind: 'zarr' | 'ome-zarr' | 'pyme-pyramid' = 'zarr';
  if (attrs.pyme) {
    store = codecsZarr.pymePyramidStore(base);
    kind = 'pyme-pyramid';
  } else if (multiscales) kind = 'ome-zarr';
  const paths = multiscales?.[0]?.datasets.map((d) => d.path) ?? [''];
  const root = zarr.root(store as never);
  const arrays: zarr.Array<zarr.DataType>[] = [];
  for (const p of paths) {
    // v2 metadata checked by the one rule for sizes read from files (docs/FORMAT.md §5) first.
    const zarray = await json(store, join(p, '.zarray'));
    const problem = zarray ? zarrayProblem(zarray) : undefined;
    if (problem) throw new ViewerError(`${name}${p ? `/${p}` : ''}: ${problem}`);
    const loc = p === '' ? root : root.resolve(p);
    let node: Awaited<ReturnType<typeof zarr.open>>;
    try {
      node = await zarr.open(loc as never);
    } catch (err) {
      throw new ViewerError(
        `${name}${p ? `/${p}` : ''}: not a Zarr array or group (${(err as Error).message})`,
      );
    }
    if (!(node instanceof zarr.Array))
      throw new ViewerError(
        `${name}${p ? `/${p}` : ''} is a Zarr group without multiscales metadata`,
      );
    arrays.push(node);
  }
  const a0 = arrays[0]!;
  if (a0.shape.length < 2)
    throw new ViewerError(`${name}: array shape (${a0.shape}) has fewer than 2 axes`);
  const levels: Level[] = arrays.map((a, i) => ({
    path: paths[i]!,
    height: a.shape[a.shape.length - 2]!,
    width: a.shape[a.shape.length - 1]!,
    chunkHeight: a.chunks[a.chunks.length - 2]!,
    chunkWidth: a.chunks[a.chunks.length - 1]!,
    // PYME's level n is level 0 binned 2^n (docs/FORMAT.md, "PYME tile pyramids"), padded to tiles.
    ...(kind === 'pyme-pyramid' ? { scale: 2 ** i } : {}),
  }));
  const frameShape = a0.shape.slice(0, -2);
  const itemBytes = (a0.dtype.match(/\d+/) ? Number(a0.dtype.match(/\d+/)![0]) : 8) / 8;
  for (const [i, a] of arrays.entries()) {
    const f = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const problem = stackProblem(f, a.shape.at(-2), a.shape.at(-1), itemBytes);
    if (problem) throw new ViewerError(`${name}${paths[i] ? `/${paths[i]}` : ''}: ${problem}`);
  }
  const axisNames = (multiscales?.[0]?.axes ?? []).map((a) => (typeof a === 'string' ? a : a.name));
  const frameAxes = frameShape.map((_, i) => axisNames[i] ?? `axis ${i}`);
  const frames = frameShape.reduce((a, b) => a * b, 1);
  const codec = await codecOf(store, paths[0]!);
  const quantization =
    codec && /quant16/.test(codec.id) && typeof codec.config.offset === 'number'
      ? { offset: codec.config.offset as number, scale: codec.config.scale as number }
      : null;
  const rawBytes = arrays.reduce((s, a) => s + a.shape.reduce((x, y) => x * y, 1) * itemBytes, 0);
  return {
    meta: {
      name,
      kind,
      shape: a0.shape,
      frameAxes,
      frameShape,
      frames,
      dtype: a0.dtype,
      levels,
      codec,
      quantization,
      compressionRatio: storedBytes ? rawBytes / storedBytes : null,
      storedBytes,
      physical: multiscales ? omeSpatial(multiscales[0], a0.shape.length) : null,
      details: {
        zarrFormat: rootV3 || (await json(base, join(paths[0]!, 'zarr.json'))) ? 3 : 2,
        chunks: a0.chunks,
        levels: levels.length,
        ...(multiscales ? { multiscales: multiscales[0] } : {}),
        ...(attrs.pyme ? { pyme: attrs.pyme } : {}),
      },
    },
    async read(frame: number, level: number, r: Region): Promise<Pixels> {
      const a = arrays[level];
      if (!a) throw new ViewerError(`no level ${level}`);
      const lead: number[] = [];
      let rest = frame;
      for (let i = frameShape.length - 1; i >= 0; i--) {
        lead.unshift(rest % frameShape[i]!);
        rest = Math.floor(rest / frameShape[i]!);
      }
      const sel = [...lead, zarr.slice(r.y0, r.y1), zarr.slice(r.x0, r.x1)];
      const out = await zarr.get(a, sel as never);
      return (out as { data: Pixels }).data;
    },
  };
}
