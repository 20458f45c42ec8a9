/**
 * The physical side of OME-Zarr (NGFF 0.4 `multiscales`, 0.5 the same under `ome`): axis names,
 * types and units, and each level's `coordinateTransformations` (scale, translation), composed
 * with the multiscale's own transformations, which apply to every level (NGFF "multiscales").
 * Parsing and composing are codecs' (`readNgffMultiscale`, shared with the CLI); here the
 * panel's view of them.
 */
import { type NgffMultiscaleRead, readNgffMultiscale } from '@pymecompress/codecs/untrusted';

export interface OmeAxis {
  name: string;
  type?: string;
  unit?: string;
}
export interface OmeLevel {
  path: string;
  /** Physical size of one pixel of this level along each axis (in the axis' unit). */
  scale: number[];
  translation: number[];
}
export interface OmeSpatial {
  axes: OmeAxis[];
  levels: OmeLevel[];
  /** Whether any transformation was given (else the scales are all 1 and say nothing). */
  transformed: boolean;
}

/**
 * The axes and per-level pixel sizes of a parsed multiscale (codecs' one reader,
 * `readNgffMultiscale`), or null when it names no axes (NGFF < 0.4) and gives no transformation.
 * (PYME's pyramids name axes but give no transformations: their levels' 2^n binning is the
 * viewer's own rule, `Level.scale`.) `ndim` is the arrays' number of dimensions.
 */
export function spatialOf(m: NgffMultiscaleRead, ndim: number): OmeSpatial | null {
  const axes: OmeAxis[] = m.axes ?? [];
  const levels = m.datasets.map((d) => ({
    path: d.path,
    scale: d.scale?.length === ndim ? d.scale : new Array<number>(ndim).fill(1),
    translation: d.translation?.length === ndim ? d.translation : new Array<number>(ndim).fill(0),
  }));
  return axes.length > 0 || m.transformed ? { axes, levels, transformed: m.transformed } : null;
}

/** `spatialOf` of a `multiscales[]` entry as written (null when it is not one). */
export function omeSpatial(multiscale: unknown, ndim: number): OmeSpatial | null {
  const r = readNgffMultiscale({ multiscales: [multiscale] }, ndim);
  return r.multiscale ? spatialOf(r.multiscale, ndim) : null;
}

const UNITS: Record<string, string> = {
  micrometer: 'µm',
  nanometer: 'nm',
  millimeter: 'mm',
  centimeter: 'cm',
  meter: 'm',
  angstrom: 'Å',
  second: 's',
  millisecond: 'ms',
  microsecond: 'µs',
};
const short = (unit: string | undefined) => (unit ? ` ${UNITS[unit] ?? unit}` : '');
const num = (x: number) => String(+x.toPrecision(6));

/** Rows for the metadata panel: axes, level-0 pixel size (spatial axes), every level's scale. */
export function describeOme(s: OmeSpatial): [string, string][] {
  const n = s.levels[0]?.scale.length ?? s.axes.length;
  const axes = Array.from({ length: n }, (_, i) => s.axes[i] ?? { name: `axis ${i}` });
  const rows: [string, string][] = [];
  if (s.axes.length)
    rows.push([
      'axes',
      axes
        .map((a) => {
          const about = [a.type, a.unit].filter(Boolean).join(', ');
          return about ? `${a.name} (${about})` : a.name;
        })
        .join(', '),
    ]);
  const l0 = s.levels[0];
  if (l0 && s.transformed) {
    // The pixel size is along the spatial axes (all axes when none says its type).
    const spatial = axes
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => a.type === 'space' || !axes.some((b) => b.type));
    const shown = spatial.length ? spatial : axes.map((a, i) => ({ a, i })).slice(-2);
    rows.push([
      'pixel size',
      shown.map(({ a, i }) => `${a.name} ${num(l0.scale[i]!)}${short(a.unit)}`).join(' × '),
    ]);
    if (l0.translation.some((t) => t !== 0))
      rows.push([
        'origin',
        shown.map(({ a, i }) => `${a.name} ${num(l0.translation[i]!)}${short(a.unit)}`).join(', '),
      ]);
  }
  if (s.levels.length > 1 && s.transformed)
    rows.push([
      'level scales',
      s.levels.map((l) => `${l.path}: ${l.scale.map(num).join(' × ')}`).join('; '),
    ]);
  return rows;
}
