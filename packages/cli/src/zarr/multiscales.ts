/**
 * OME-NGFF `multiscales` (0.4 in `.zattrs`, 0.5 under `ome` in `zarr.json` attributes) and PYME's
 * tile-pyramid block, read from untrusted attributes: the dataset paths (one per level, relative
 * paths inside the group), axis names and per-level scales. PYME writes no
 * `coordinateTransformations`; its level n is level 0 binned 2^n (docs/FORMAT.md, "PYME tile
 * pyramids"), so that is the scale reported for it.
 */
import { badInput } from '../errors.js';
import { isObject } from './metadata.js';

export interface Multiscale {
  /** `ome-zarr` or `pyme-pyramid` (a `pyme` block beside the multiscales). */
  kind: 'ome-zarr' | 'pyme-pyramid';
  version: string | undefined;
  /** Axis names, outermost first (absent in NGFF < 0.4). */
  axes: string[] | undefined;
  /** Per level: the dataset path and its scale (per axis), when known. */
  datasets: { path: string; scale: number[] | undefined }[];
  /** PYME's `pyme` block, as written. */
  pyme: Record<string, unknown> | undefined;
}

/** More levels than any pyramid has (2^64 binning): a longer list is not metadata. */
const MAX_LEVELS = 64;

/** A dataset path: relative, inside the group. */
function safePath(file: string, path: unknown, k: number): string {
  if (typeof path !== 'string')
    throw badInput(file, `multiscales datasets[${k}].path is not a string`);
  const parts = path.split('/').filter((p) => p !== '');
  if (
    path.startsWith('/') ||
    parts.length === 0 ||
    parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))
  )
    throw badInput(
      file,
      `multiscales datasets[${k}].path ${JSON.stringify(path)} is not a path inside the group`,
    );
  return parts.join('/');
}

function scaleOf(ds: Record<string, unknown>): number[] | undefined {
  const t = ds.coordinateTransformations;
  if (!Array.isArray(t)) return undefined;
  const s = t.find((x) => isObject(x) && x.type === 'scale') as { scale?: unknown } | undefined;
  const v = s?.scale;
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))
    ? (v as number[])
    : undefined;
}

/** The group's first multiscale, or `undefined` when the attributes hold none. */
export function readMultiscale(
  file: string,
  attrs: Record<string, unknown> | undefined,
): Multiscale | undefined {
  if (!attrs) return undefined;
  const ome = isObject(attrs.ome) ? attrs.ome : attrs;
  const list = ome.multiscales;
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length === 0 || !isObject(list[0]))
    throw badInput(file, 'multiscales is not a non-empty list of objects');
  const m = list[0];
  const ds = m.datasets;
  if (!Array.isArray(ds) || ds.length === 0)
    throw badInput(file, 'multiscales[0].datasets is not a non-empty list');
  if (ds.length > MAX_LEVELS)
    throw badInput(
      file,
      `multiscales[0].datasets lists ${ds.length} levels (at most ${MAX_LEVELS})`,
    );
  const pyme = isObject(attrs.pyme) ? attrs.pyme : undefined;
  const datasets = ds.map((d, k) => {
    if (!isObject(d)) throw badInput(file, `multiscales datasets[${k}] is not an object`);
    const scale = scaleOf(d);
    return { path: safePath(file, d.path, k), scale };
  });
  if (pyme) for (const [k, d] of datasets.entries()) d.scale ??= [1, 2 ** k, 2 ** k];
  const axes = Array.isArray(m.axes)
    ? m.axes.map((a) => (typeof a === 'string' ? a : isObject(a) ? String(a.name) : String(a)))
    : undefined;
  const version =
    typeof m.version === 'string'
      ? m.version
      : typeof ome.version === 'string'
        ? ome.version
        : undefined;
  return { kind: pyme ? 'pyme-pyramid' : 'ome-zarr', version, axes, datasets, pyme };
}
