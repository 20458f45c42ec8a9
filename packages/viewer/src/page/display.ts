/**
 * The canvas: the regions the view needs, read (and coloured) by the worker at the level the
 * zoom calls for, drawn with the current zoom and pan; the histogram; re-colouring on the page
 * after a contrast or LUT change.
 */
import { hook } from '../hook.js';
import type { Pixels } from '../sources/types.js';
import { colourise, decimate, lut, scaledSize } from '../view/lut.js';
import { contains, levelFor, levelScale, visibleRegion } from '../view/viewport.js';
import { $, app, canvas, client, type Foreground, fail, release } from './app.js';

// Opaque: the canvas is black under the image anyway, and an opaque layer composites for less.
const ctx = canvas.getContext('2d', { alpha: false })!;

/** Colours `data` (w×h) at `scale` with the current contrast and LUT into a new canvas. */
function toCanvas(data: Pixels, w: number, h: number, scale = 1): HTMLCanvasElement {
  const [cw, ch] = scaledSize(w, h, scale);
  const c = document.createElement('canvas');
  c.width = cw;
  c.height = ch;
  const img = new ImageData(cw, ch);
  colourise(
    decimate(data, w, h, cw, ch),
    app.lo,
    app.hi,
    lut(app.lutName),
    new Uint32Array(img.data.buffer),
  );
  c.getContext('2d')!.putImageData(img, 0, 0);
  return c;
}

/**
 * Pixels per pixel of `level` the screen shows at the current zoom, rounded up to a power of two
 * (so small zooms do not re-colour) and capped at 1.
 */
function colourScale(level: number): number {
  if (!app.meta) return 1;
  const need = app.view.zoom * levelScale(app.meta.levels, level)[0];
  return need >= 1 ? 1 : 2 ** Math.ceil(Math.log2(need));
}

export function size(): [number, number] {
  return [canvas.clientWidth, canvas.clientHeight];
}

export function draw(): void {
  const { meta, view, fg, bg } = app;
  const [W, H] = size();
  if (canvas.width !== W || canvas.height !== H) {
    canvas.width = W;
    canvas.height = H;
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, W, H);
  if (!meta) return;
  ctx.imageSmoothingEnabled = false;
  const l0 = meta.levels[0]!;
  ctx.setTransform(
    view.zoom,
    0,
    0,
    view.zoom,
    W / 2 - view.cx * view.zoom,
    H / 2 - view.cy * view.zoom,
  );
  // Coarse levels may extend past level 0 (PYME pads them to whole tiles): clip to level 0.
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, l0.width, l0.height);
  ctx.clip();
  if (bg) {
    const last = meta.levels.length - 1;
    const l = meta.levels[last]!;
    const [f, g] = levelScale(meta.levels, last);
    ctx.drawImage(bg.image, 0, 0, l.width * f, l.height * g);
  }
  if (fg) {
    const [f, g] = levelScale(meta.levels, fg.level);
    const r = fg.region;
    ctx.drawImage(fg.image, r.x0 * f, r.y0 * g, (r.x1 - r.x0) * f, (r.y1 - r.y0) * g);
  }
  ctx.restore();
  hook.view = { ...view, level: fg?.level ?? 0 };
}

function drawHistogram(): void {
  const c = $<HTMLCanvasElement>('histogram');
  const g = c.getContext('2d')!;
  g.clearRect(0, 0, c.width, c.height);
  if (!app.fg) return;
  const { histogram, histogramRange } = app.fg.reply.stats;
  const [min, max] = histogramRange;
  const peak = Math.max(1, ...histogram);
  g.fillStyle = '#8ab';
  for (let i = 0; i < histogram.length; i++) {
    const h = (Math.log1p(histogram[i]!) / Math.log1p(peak)) * c.height;
    g.fillRect((i * c.width) / histogram.length, c.height - h, c.width / histogram.length, h);
  }
  const span = max - min || 1;
  g.fillStyle = '#fc6';
  for (const v of [app.lo, app.hi]) g.fillRect(((v - min) / span) * c.width, 0, 1, c.height);
}

function colourBackground(): void {
  const { meta, bg } = app;
  if (!bg || !meta) return;
  const l = meta.levels[meta.levels.length - 1]!;
  bg.image = toCanvas(bg.data, l.width, l.height);
}

/** Colours the images again on the page (after a contrast or LUT change), then redraws. */
export function recolour(): void {
  const fg = app.fg;
  if (fg && !fg.data) {
    // The pixels are on their way (they follow the worker's bitmap): colour once they are here.
    void fg.reply.pixels.then(() => app.fg === fg && recolour(), fail);
    return;
  }
  if (fg?.data) {
    release(fg.image);
    fg.image = toCanvas(
      fg.data,
      fg.region.x1 - fg.region.x0,
      fg.region.y1 - fg.region.y0,
      fg.scale,
    );
  }
  colourBackground();
  refresh();
}

/** Contrast fields, histogram and canvas for the images as they are. */
function refresh(): void {
  $<HTMLInputElement>('cmin').value = String(+app.lo.toPrecision(6));
  $<HTMLInputElement>('cmax').value = String(+app.hi.toPrecision(6));
  drawHistogram();
  draw();
}

let timer: ReturnType<typeof setTimeout> | null = null;
let busy = false;
let again = false;
/**
 * Loads the region the view needs at the level the zoom calls for: at once (`immediate`), or
 * at most every 60 ms while the view moves (a throttle, not a debounce, so a long pan loads tiles
 * as it goes), one read at a time (a read asked for meanwhile runs after, for the view as it is
 * then). Resolves once the region is drawn; its pixels (`app.fg.data`, `hook.frame`) follow.
 */
export function requestRegion(immediate = false): Promise<void> | undefined {
  if (!app.meta) return;
  if (immediate) return loadRegion();
  if (timer !== null) return;
  timer = setTimeout(() => {
    timer = null;
    void throttled();
  }, 60);
}

async function throttled(): Promise<void> {
  if (busy) {
    again = true;
    return;
  }
  busy = true;
  try {
    await loadRegion();
  } catch (err) {
    fail(err);
  } finally {
    busy = false;
    if (again) {
      again = false;
      requestRegion();
    }
  }
}

async function loadRegion(): Promise<void> {
  const meta = app.meta;
  if (!meta) return;
  const [W, H] = size();
  const level = levelFor(meta.levels, app.view.zoom);
  const region = visibleRegion(app.view, meta.levels, level, W, H);
  const scale = colourScale(level);
  const old = app.fg;
  if (old && old.level === level && contains(old.region, region) && old.scale >= scale) return;
  if (region.x1 <= region.x0 || region.y1 <= region.y0) return;
  const gen = app.generation;
  // The worker colours the region (the first one with its own auto contrast) and transfers it.
  const reply = await client.read(app.frameIndex, level, region, {
    lut: app.lutName,
    contrast: old ? [app.lo, app.hi] : null,
    scale,
  });
  if (gen !== app.generation) {
    release(reply.image?.bitmap);
    return;
  }
  const first = !app.fg;
  const t = hook.timings;
  if (first && t.read === undefined) {
    t.read = performance.now();
    t.workerReadMs = reply.ms;
    for (const [k, v] of Object.entries(reply.phases)) t[`worker.${k}`] = v;
  }
  if (first) {
    app.lo = reply.stats.low;
    app.hi = reply.stats.high;
  }
  const im = reply.image;
  // Coloured with the contrast and LUT still in force (they may have changed meanwhile)?
  const current = im && im.lut === app.lutName && im.lo === app.lo && im.hi === app.hi;
  if (im && !current) release(im.bitmap);
  release(app.fg?.image);
  const fg: Foreground = {
    level,
    region,
    reply,
    scale,
    data: null,
    image: current ? im.bitmap : document.createElement('canvas'),
  };
  app.fg = fg;
  if (first && t.coloured === undefined) t.coloured = performance.now();
  refresh();
  void reply.pixels.then((data) => {
    if (app.fg !== fg) return;
    app.fg.data = data;
    hook.frame = {
      index: app.frameIndex,
      width: region.x1 - region.x0,
      height: region.y1 - region.y0,
      dtype: meta.dtype,
      data,
      level,
      x0: region.x0,
      y0: region.y0,
    };
    if (!current) recolour();
    else if (first && app.bg) {
      // The background level was coloured before this first region set the contrast.
      colourBackground();
      draw();
    }
  }, fail);
}

/** Drops the images of the old frame, draws the coarsest level under the view, then the view. */
export async function loadFrame(): Promise<void> {
  const meta = app.meta;
  if (!meta) return;
  app.generation++;
  app.fg = null;
  app.bg = null;
  const last = meta.levels.length - 1;
  if (last > 0) {
    const l = meta.levels[last]!;
    const data = await client.pixels(app.frameIndex, last, {
      x0: 0,
      y0: 0,
      x1: l.width,
      y1: l.height,
    });
    app.bg = { data, image: toCanvas(data, l.width, l.height) };
  }
  await requestRegion(true);
}
