/**
 * OME-NGFF `multiscales` and PYME's tile-pyramid block of a group, for `info` / `decompress`:
 * parsed and checked by codecs' one reader (`readNgffMultiscale`, `@pymecompress/codecs/untrusted`,
 * shared with the viewer); here only the CLI's report of it. PYME writes no
 * `coordinateTransformations`; its level n is level 0 binned 2^n (docs/FORMAT.md, "PYME tile
 * pyramids"), so that is the scale reported for it.
 */
import { readNgffMultiscale } from '@pymecompress/codecs/untrusted';
import { badInput } from '../errors.js';

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

/** The group's first multiscale, or `undefined` when the attributes hold none. */
export function readMultiscale(
  file: string,
  attrs: Record<string, unknown> | undefined,
): Multiscale | undefined {
  const r = readNgffMultiscale(attrs);
  if (r.problem !== undefined) throw badInput(file, r.problem);
  const m = r.multiscale;
  if (!m) return undefined;
  const datasets = m.datasets.map((d, k) => ({
    path: d.path,
    scale: d.scale ?? (m.pyme ? [1, 2 ** k, 2 ** k] : undefined),
  }));
  const axes = m.axes?.map((a) => a.name);
  return { kind: m.kind, version: m.version, axes, datasets, pyme: m.pyme };
}
