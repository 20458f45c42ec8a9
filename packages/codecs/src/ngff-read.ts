/**
 * Reading OME-NGFF `multiscales` (0.4 in `.zattrs`, 0.5 the same under `ome` in `zarr.json`
 * attributes) and PYME's tile-pyramid block from untrusted attributes: the one parser the CLI and
 * the viewer share (docs/FORMAT.md "OME-Zarr output", "PYME tile pyramids", §5). Like the other
 * rules of `@pymecompress/codecs/untrusted` it returns a problem description instead of throwing,
 * so each caller reports it in its own terms. The writer is `ngff.ts`.
 */

/** More levels than any pyramid has (2^64 binning): a longer list is not metadata. */
export const MAX_NGFF_LEVELS = 64;

export interface NgffAxisRead {
  name: string;
  type?: string;
  unit?: string;
}

export interface NgffLevelRead {
  /** The dataset path, normalised (relative, inside the group, no empty segments). */
  path: string;
  /**
   * Physical size of one pixel of this level per axis: the level's transformations composed with
   * the multiscale's own (which apply to every level, NGFF "multiscales"), scale then translation.
   * Undefined when neither gives any transformation.
   */
  scale: number[] | undefined;
  translation: number[] | undefined;
}

export interface NgffMultiscaleRead {
  /** `pyme-pyramid` when a `pyme` block sits beside the multiscales (PYME's tile pyramids). */
  kind: 'ome-zarr' | 'pyme-pyramid';
  version: string | undefined;
  /** Axis names (and types, units when given), outermost first; absent in NGFF < 0.4. */
  axes: NgffAxisRead[] | undefined;
  datasets: NgffLevelRead[];
  /** Whether any transformation was given (else the scales say nothing). */
  transformed: boolean;
  /** PYME's `pyme` block, as written. */
  pyme: Record<string, unknown> | undefined;
  /** `multiscales[0]` as written (for display). */
  raw: Record<string, unknown>;
}

export type NgffReadResult =
  | { multiscale: NgffMultiscaleRead | undefined; problem?: undefined }
  | { multiscale?: undefined; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The segments of `path` when every one stays inside its folder (no `..`, `.`, backslash or NUL;
 * empty segments dropped), else undefined. The one rule for relative paths read from metadata:
 * multiscales dataset paths here, store keys in the CLI's file store.
 */
export function insidePathParts(path: string): string[] | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))
    ? undefined
    : parts;
}

function numbers(v: unknown, n: number): number[] | undefined {
  return Array.isArray(v) &&
    v.length === n &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x))
    ? (v as number[])
    : undefined;
}

/** Applies transformations in order (scale, then translation: NGFF's allowed order). */
function compose(ts: unknown, scale: number[], translation: number[]): void {
  if (!Array.isArray(ts)) return;
  for (const t of ts) {
    if (!isObject(t)) continue;
    const s = t.type === 'scale' ? numbers(t.scale, scale.length) : undefined;
    if (s)
      for (let i = 0; i < s.length; i++) {
        scale[i]! *= s[i]!;
        translation[i]! *= s[i]!;
      }
    const d = t.type === 'translation' ? numbers(t.translation, scale.length) : undefined;
    if (d) for (let i = 0; i < d.length; i++) translation[i]! += d[i]!;
  }
}

/** The length of the first scale a dataset gives (rank when neither axes nor ndim say it). */
function firstScaleLength(ds: unknown[]): number | undefined {
  for (const d of ds) {
    const ts = isObject(d) ? d.coordinateTransformations : undefined;
    if (!Array.isArray(ts)) continue;
    const s = ts.find((t) => isObject(t) && t.type === 'scale' && Array.isArray(t.scale));
    if (s) return (s.scale as unknown[]).length;
  }
  return undefined;
}

function axisOf(a: unknown): NgffAxisRead {
  if (typeof a === 'string') return { name: a };
  if (!isObject(a)) return { name: String(a) };
  return {
    name: String(a.name),
    ...(typeof a.type === 'string' ? { type: a.type } : {}),
    ...(typeof a.unit === 'string' ? { unit: a.unit } : {}),
  };
}

/**
 * The group's first multiscale (`multiscale: undefined` when the attributes hold none), or why
 * the attributes are not metadata: no datasets, more than `MAX_NGFF_LEVELS`, a dataset path that
 * is absolute or leaves the group. `ndim` (the arrays' rank, when known) fixes the length of the
 * scales; otherwise the axes' count or the first scale's length does. Malformed transformations
 * are ignored (they only change what is shown), as are malformed axes' types and units.
 */
export function readNgffMultiscale(attrs: unknown, ndim?: number): NgffReadResult {
  if (!isObject(attrs)) return { multiscale: undefined };
  const ome = isObject(attrs.ome) ? attrs.ome : attrs;
  const list = ome.multiscales;
  if (list === undefined) return { multiscale: undefined };
  if (!Array.isArray(list) || list.length === 0 || !isObject(list[0]))
    return { problem: 'multiscales is not a non-empty list of objects' };
  const m = list[0];
  const ds = m.datasets;
  if (!Array.isArray(ds) || ds.length === 0)
    return { problem: 'multiscales[0].datasets is not a non-empty list' };
  if (ds.length > MAX_NGFF_LEVELS)
    return {
      problem: `multiscales[0].datasets lists ${ds.length} levels (at most ${MAX_NGFF_LEVELS})`,
    };
  const axes = Array.isArray(m.axes) ? m.axes.map(axisOf) : undefined;
  const rank = ndim ?? (axes?.length || firstScaleLength(ds));
  let transformed = !!m.coordinateTransformations;
  const datasets: NgffLevelRead[] = [];
  for (const [k, d] of ds.entries()) {
    if (!isObject(d)) return { problem: `multiscales datasets[${k}] is not an object` };
    if (typeof d.path !== 'string')
      return { problem: `multiscales datasets[${k}].path is not a string` };
    const parts = insidePathParts(d.path);
    if (d.path.startsWith('/') || !parts || parts.length === 0)
      return {
        problem: `multiscales datasets[${k}].path ${JSON.stringify(d.path)} is not a path inside the group`,
      };
    let scale: number[] | undefined;
    let translation: number[] | undefined;
    if (d.coordinateTransformations) transformed = true;
    if ((d.coordinateTransformations || m.coordinateTransformations) && rank) {
      scale = new Array<number>(rank).fill(1);
      translation = new Array<number>(rank).fill(0);
      compose(d.coordinateTransformations, scale, translation);
      compose(m.coordinateTransformations, scale, translation);
    }
    datasets.push({ path: parts.join('/'), scale, translation });
  }
  const version =
    typeof m.version === 'string'
      ? m.version
      : typeof ome.version === 'string'
        ? ome.version
        : undefined;
  const pyme = isObject(attrs.pyme) ? attrs.pyme : undefined;
  return {
    multiscale: {
      kind: pyme ? 'pyme-pyramid' : 'ome-zarr',
      version,
      axes,
      datasets,
      transformed,
      pyme,
      raw: m,
    },
  };
}
