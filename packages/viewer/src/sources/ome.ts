/**
 * The physical side of OME-Zarr (NGFF 0.4 `multiscales`, 0.5 the same under `ome`): axis names,
 * types and units, and each level's `coordinateTransformations` (scale, translation), composed
 * with the multiscale's own transformations, which apply to every level (NGFF "multiscales").
 */

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

type Transform = { type?: string; scale?: unknown; translation?: unknown };

function numbers(v: unknown, n: number): number[] | null {
  return Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number')
    ? (v as number[])
    : null;
}

/** Applies transformations in order (scale, then translation: NGFF's allowed order). */
function compose(ts: unknown, scale: number[], translation: number[]): void {
  if (!Array.isArray(ts)) return;
  for (const t of ts as Transform[]) {
    const s = t?.type === 'scale' ? numbers(t.scale, scale.length) : null;
    if (s)
      for (let i = 0; i < s.length; i++) {
        scale[i]! *= s[i]!;
        translation[i]! *= s[i]!;
      }
    const d = t?.type === 'translation' ? numbers(t.translation, scale.length) : null;
    if (d) for (let i = 0; i < d.length; i++) translation[i]! += d[i]!;
  }
}

/**
 * The axes and per-level pixel sizes of a multiscale, or null when it names no axes (NGFF < 0.4)
 * and gives no transformation. (PYME's pyramids name axes but give no transformations: their
 * levels' 2^n binning is the viewer's own rule, `Level.scale`.) `ndim` is the arrays' number of dimensions.
 */
export function omeSpatial(multiscale: unknown, ndim: number): OmeSpatial | null {
  const m = multiscale as {
    axes?: unknown[];
    datasets?: { path?: unknown; coordinateTransformations?: unknown }[];
    coordinateTransformations?: unknown;
  } | null;
  if (!m || !Array.isArray(m.datasets)) return null;
  const axes: OmeAxis[] = (m.axes ?? []).map((a) =>
    typeof a === 'string'
      ? { name: a }
      : {
          name: String((a as OmeAxis).name),
          ...(typeof (a as OmeAxis).type === 'string' ? { type: (a as OmeAxis).type } : {}),
          ...(typeof (a as OmeAxis).unit === 'string' ? { unit: (a as OmeAxis).unit } : {}),
        },
  );
  let transformed = !!m.coordinateTransformations;
  const levels = m.datasets.map((d) => {
    const scale = new Array<number>(ndim).fill(1);
    const translation = new Array<number>(ndim).fill(0);
    if (d.coordinateTransformations) transformed = true;
    compose(d.coordinateTransformations, scale, translation);
    compose(m.coordinateTransformations, scale, translation);
    return { path: String(d.path ?? ''), scale, translation };
  });
  return axes.length > 0 || transformed ? { axes, levels, transformed } : null;
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
