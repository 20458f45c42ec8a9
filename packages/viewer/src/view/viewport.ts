/**
 * Zoom and pan: the view centre (level-0 pixels) and zoom (screen pixels per level-0 pixel), the
 * level of a pyramid that a zoom calls for, and the region of that level on screen.
 */
import type { Level, Region } from '../sources/types.js';

export interface Viewport {
  zoom: number;
  cx: number;
  cy: number;
}

export const MIN_ZOOM = 1 / 64;
export const MAX_ZOOM = 64;

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

export function fitView(width: number, height: number, screenW: number, screenH: number): Viewport {
  return {
    zoom: clampZoom(Math.min(screenW / width, screenH / height)),
    cx: width / 2,
    cy: height / 2,
  };
}

/** Zooms by `factor` keeping the image point under screen point (sx, sy) in place. */
export function zoomAt(
  v: Viewport,
  factor: number,
  sx: number,
  sy: number,
  screenW: number,
  screenH: number,
): Viewport {
  const zoom = clampZoom(v.zoom * factor);
  const px = v.cx + (sx - screenW / 2) / v.zoom;
  const py = v.cy + (sy - screenH / 2) / v.zoom;
  return { zoom, cx: px - (sx - screenW / 2) / zoom, cy: py - (sy - screenH / 2) / zoom };
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { zoom: v.zoom, cx: v.cx - dx / v.zoom, cy: v.cy - dy / v.zoom };
}

/** Screen point → level-0 image coordinates (fractional). */
export function toImage(
  v: Viewport,
  sx: number,
  sy: number,
  screenW: number,
  screenH: number,
): [number, number] {
  return [v.cx + (sx - screenW / 2) / v.zoom, v.cy + (sy - screenH / 2) / v.zoom];
}

/** Level-0 pixels per pixel of level `level`, in x and y (`Level.scale`, else the size ratio). */
export function levelScale(levels: readonly Level[], level: number): [number, number] {
  const l = levels[level]!;
  if (l.scale !== undefined) return [l.scale, l.scale];
  return [levels[0]!.width / l.width, levels[0]!.height / l.height];
}

/** The coarsest level whose pixels are still no larger than a screen pixel (level 0 when zoomed in). */
export function levelFor(levels: readonly Level[], zoom: number): number {
  let best = 0;
  for (let i = 1; i < levels.length; i++) {
    const [f] = levelScale(levels, i);
    if (f * zoom <= 1.0001) best = i;
  }
  return best;
}

/** The chunk-aligned region of `level` that covers the screen (clamped to the level). */
export function visibleRegion(
  v: Viewport,
  levels: readonly Level[],
  level: number,
  screenW: number,
  screenH: number,
): Region {
  const l = levels[level]!;
  const [f, g] = levelScale(levels, level);
  const [ix0, iy0] = toImage(v, 0, 0, screenW, screenH);
  const [ix1, iy1] = toImage(v, screenW, screenH, screenW, screenH);
  const cw = l.chunkWidth;
  const ch = l.chunkHeight;
  const clamp = (x: number, hi: number) => Math.min(hi, Math.max(0, x));
  const x0 = clamp(Math.floor(ix0 / f / cw) * cw, l.width);
  const y0 = clamp(Math.floor(iy0 / g / ch) * ch, l.height);
  const x1 = clamp(Math.ceil(ix1 / f / cw) * cw, l.width);
  const y1 = clamp(Math.ceil(iy1 / g / ch) * ch, l.height);
  return { x0, y0, x1: Math.max(x1, x0), y1: Math.max(y1, y0) };
}

export function contains(outer: Region, inner: Region): boolean {
  return (
    inner.x0 >= outer.x0 && inner.y0 >= outer.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1
  );
}
