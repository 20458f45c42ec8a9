/**
 * OME-NGFF 0.4 `multiscales` metadata (docs/FORMAT.md "OME-Zarr output"): the group `.zattrs`
 * block that napari, vizarr, Viv and ome-zarr-py read to find an image's levels. Built here, next
 * to the Zarr v2 metadata writer (`zarr-v2.ts`), so every writer of ours produces the same
 * document; the rules checked are the spec's (axes, units, transformation order), so a bad call
 * fails here rather than in a viewer.
 */
import { codecsError } from './errors.js';

export const NGFF_VERSION = '0.4';

/** The UDUNITS-2 names NGFF 0.4 allows for "space" axes. */
export const NGFF_SPACE_UNITS: readonly string[] = Object.freeze([
  'angstrom',
  'attometer',
  'centimeter',
  'decimeter',
  'exameter',
  'femtometer',
  'foot',
  'gigameter',
  'hectometer',
  'inch',
  'kilometer',
  'megameter',
  'meter',
  'micrometer',
  'mile',
  'millimeter',
  'nanometer',
  'parsec',
  'petameter',
  'picometer',
  'terameter',
  'yard',
  'yoctometer',
  'yottameter',
  'zeptometer',
  'zettameter',
]);

/** The UDUNITS-2 names NGFF 0.4 allows for "time" axes. */
export const NGFF_TIME_UNITS: readonly string[] = Object.freeze([
  'attosecond',
  'centisecond',
  'day',
  'decisecond',
  'exasecond',
  'femtosecond',
  'gigasecond',
  'hectosecond',
  'hour',
  'kilosecond',
  'megasecond',
  'microsecond',
  'millisecond',
  'minute',
  'nanosecond',
  'petasecond',
  'picosecond',
  'second',
  'terasecond',
  'yoctosecond',
  'yottasecond',
  'zeptosecond',
  'zettasecond',
]);

export type NgffAxisType = 'time' | 'channel' | 'space';

export interface NgffAxis {
  name: string;
  type: NgffAxisType;
  unit?: string;
}

export type NgffTransformation =
  | { type: 'scale'; scale: number[] }
  | { type: 'translation'; translation: number[] };

export interface NgffMultiscale {
  version: typeof NGFF_VERSION;
  name?: string;
  axes: NgffAxis[];
  datasets: { path: string; coordinateTransformations: NgffTransformation[] }[];
  type?: string;
  metadata?: Record<string, unknown>;
}

export interface NgffMultiscalesOptions {
  axes: readonly NgffAxis[];
  /** Per level (largest first), the integer downsampling factor of each axis relative to level 0. */
  factors: readonly (readonly number[])[];
  /** Physical size of a level-0 pixel along each axis (default 1 everywhere). */
  scale?: readonly number[];
  /**
   * Where a level's pixel sits: `'mean'` binning puts the centre of a `f`-pixel bin half-way
   * across it, so levels get a translation of `(f - 1) / 2` level-0 pixels (the default);
   * `'none'` writes scales only (subsampling).
   */
  centring?: 'mean' | 'none';
  /** Dataset paths (default `'0'`, `'1'`, ...). */
  paths?: readonly string[];
  name?: string;
  /** The downscaling method (`multiscales[].type`, a SHOULD of the spec). */
  type?: string;
  metadata?: Record<string, unknown>;
}

const ORDER: Record<NgffAxisType, number> = { time: 0, channel: 1, space: 2 };

function checkAxes(axes: readonly NgffAxis[]): void {
  const bad = (msg: string) => codecsError('ERR_INVALID_ARGUMENT', `NGFF axes: ${msg}`);
  if (axes.length < 2 || axes.length > 5) throw bad('2 to 5 axes are needed');
  const space = axes.filter((a) => a.type === 'space').length;
  if (space < 2 || space > 3) throw bad('2 or 3 space axes are needed');
  if (axes.filter((a) => a.type === 'time').length > 1) throw bad('at most one time axis');
  if (axes.filter((a) => a.type === 'channel').length > 1) throw bad('at most one channel axis');
  const names = new Set<string>();
  let last = -1;
  for (const a of axes) {
    if (typeof a.name !== 'string' || a.name === '' || names.has(a.name))
      throw bad('names must be unique, non-empty strings');
    names.add(a.name);
    const rank = ORDER[a.type];
    if (rank === undefined) throw bad(`unknown axis type ${String(a.type)}`);
    if (rank < last) throw bad('time first, then channel, then space');
    last = rank;
    if (a.unit !== undefined) {
      const allowed =
        a.type === 'space' ? NGFF_SPACE_UNITS : a.type === 'time' ? NGFF_TIME_UNITS : [];
      if (!allowed.includes(a.unit)) throw bad(`${a.unit} is not a ${a.type} unit of NGFF 0.4`);
    }
  }
}

/**
 * The `.zattrs` document of an OME-NGFF 0.4 image group: `{ multiscales: [ ... ] }` with one
 * dataset per level and per level a `scale` (level-0 scale × factor) and, for mean binning, a
 * `translation` after it (the spec's order).
 */
export function ngffMultiscales(o: NgffMultiscalesOptions): { multiscales: NgffMultiscale[] } {
  checkAxes(o.axes);
  const rank = o.axes.length;
  const scale0 = o.scale ?? new Array<number>(rank).fill(1);
  if (scale0.length !== rank || scale0.some((s) => !Number.isFinite(s) || s <= 0))
    throw codecsError('ERR_INVALID_ARGUMENT', 'NGFF scale: one positive number per axis');
  if (o.factors.length === 0)
    throw codecsError('ERR_INVALID_ARGUMENT', 'NGFF multiscales: at least one level');
  if (o.paths !== undefined && o.paths.length !== o.factors.length)
    throw codecsError('ERR_INVALID_ARGUMENT', 'NGFF multiscales: one path per level');
  const centring = o.centring ?? 'mean';
  const datasets = o.factors.map((f, level) => {
    if (f.length !== rank || f.some((x) => !Number.isSafeInteger(x) || x < 1))
      throw codecsError('ERR_INVALID_ARGUMENT', 'NGFF factors: one positive integer per axis');
    const t: NgffTransformation[] = [{ type: 'scale', scale: f.map((x, i) => x * scale0[i]!) }];
    if (centring === 'mean' && f.some((x) => x > 1))
      t.push({ type: 'translation', translation: f.map((x, i) => ((x - 1) / 2) * scale0[i]!) });
    return { path: o.paths?.[level] ?? String(level), coordinateTransformations: t };
  });
  const ms: NgffMultiscale = {
    version: NGFF_VERSION,
    ...(o.name !== undefined ? { name: o.name } : {}),
    axes: o.axes.map((a) => ({ ...a })),
    datasets,
    ...(o.type !== undefined ? { type: o.type } : {}),
    ...(o.metadata !== undefined ? { metadata: { ...o.metadata } } : {}),
  };
  return { multiscales: [ms] };
}
