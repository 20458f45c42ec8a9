/** The page: inputs, the zoomable canvas, contrast/LUT/histogram, metadata and the noise lens. */
import { stepOfScale } from '@pymecompress/core-ts';
import { DecoderClient } from './client.js';
import { hook, markPainted, setState } from './hook.js';
import { exportParams, sigmaGrid } from './lens.js';
import type { LensReply, ReadReply } from './protocol.js';
import type { InputSpec, Region, SourceMeta } from './sources/types.js';
import { colourise, decimate, LUT_NAMES, type LutName, lut, scaledSize } from './view/lut.js';
import {
  contains,
  fitView,
  levelFor,
  levelScale,
  panBy,
  toImage,
  type Viewport,
  visibleRegion,
  zoomAt,
} from './view/viewport.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('canvas');
const ctx = canvas.getContext('2d')!;
const client = new DecoderClient();

let meta: SourceMeta | null = null;
let inputName = '';
let frameIndex = 0;
let view: Viewport = { zoom: 1, cx: 0, cy: 0 };
let lo = 0;
let hi = 1;
let lutName: LutName = 'grey';
/** The region on screen, coloured at `scale` (≤ 1) pixels per region pixel. */
let fg: {
  level: number;
  region: Region;
  reply: ReadReply;
  image: Image;
  scale: number;
} | null = null;
let bg: { reply: ReadReply; image: Image } | null = null;
/** Worker-coloured bitmaps, or canvases coloured here after a contrast or LUT change. */
type Image = HTMLCanvasElement | ImageBitmap;

/** Frees a bitmap now rather than at garbage collection (a 2048² one is 16 MB). */
function release(image: Image | undefined): void {
  if (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap) image.close();
}
let generation = 0;

function status(text: string): void {
  $('status').textContent = text;
}

function toCanvas(
  reply: ReadReply,
  w: number,
  h: number,
  scale = 1,
  table = lut(lutName),
  l = lo,
  u = hi,
): HTMLCanvasElement {
  const [cw, ch] = scaledSize(w, h, scale);
  const c = document.createElement('canvas');
  c.width = cw;
  c.height = ch;
  const img = new ImageData(cw, ch);
  colourise(decimate(reply.data, w, h, cw, ch), l, u, table, new Uint32Array(img.data.buffer));
  c.getContext('2d')!.putImageData(img, 0, 0);
  return c;
}

/**
 * Pixels per pixel of `level` the screen shows at the current zoom, rounded up to a power of two
 * (so small zooms do not re-colour) and capped at 1.
 */
function colourScale(level: number): number {
  if (!meta) return 1;
  const need = view.zoom * levelScale(meta.levels, level)[0];
  return need >= 1 ? 1 : 2 ** Math.ceil(Math.log2(need));
}

function size(): [number, number] {
  return [canvas.clientWidth, canvas.clientHeight];
}

function draw(): void {
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
  if (!fg) return;
  const { histogram, min, max } = fg.reply.stats;
  const peak = Math.max(1, ...histogram);
  g.fillStyle = '#8ab';
  for (let i = 0; i < histogram.length; i++) {
    const h = (Math.log1p(histogram[i]!) / Math.log1p(peak)) * c.height;
    g.fillRect((i * c.width) / histogram.length, c.height - h, c.width / histogram.length, h);
  }
  const span = max - min || 1;
  g.fillStyle = '#fc6';
  for (const v of [lo, hi]) g.fillRect(((v - min) / span) * c.width, 0, 1, c.height);
}

/** Colours the images again on the page (after a contrast or LUT change), then redraws. */
function recolour(): void {
  if (fg) {
    release(fg.image);
    fg.image = toCanvas(
      fg.reply,
      fg.region.x1 - fg.region.x0,
      fg.region.y1 - fg.region.y0,
      fg.scale,
    );
  }
  if (bg && meta) {
    const l = meta.levels[meta.levels.length - 1]!;
    bg.image = toCanvas(bg.reply, l.width, l.height);
  }
  refresh();
}

/** Contrast fields, histogram and canvas for the images as they are. */
function refresh(): void {
  $<HTMLInputElement>('cmin').value = String(+lo.toPrecision(6));
  $<HTMLInputElement>('cmax').value = String(+hi.toPrecision(6));
  drawHistogram();
  draw();
}

let pending: ReturnType<typeof setTimeout> | null = null;
/** Loads the region the view needs (debounced while panning), at the level the zoom calls for. */
function requestRegion(immediate = false): Promise<void> | undefined {
  if (!meta) return;
  if (pending) clearTimeout(pending);
  const go = async () => {
    if (!meta) return;
    const [W, H] = size();
    const level = levelFor(meta.levels, view.zoom);
    const region = visibleRegion(view, meta.levels, level, W, H);
    const scale = colourScale(level);
    if (fg && fg.level === level && contains(fg.region, region) && fg.scale >= scale) return;
    if (region.x1 <= region.x0 || region.y1 <= region.y0) return;
    const gen = generation;
    // The worker colours the region (the first one with its own auto contrast) and transfers it.
    const reply = await client.read(frameIndex, level, region, {
      lut: lutName,
      contrast: fg ? [lo, hi] : null,
      scale,
    });
    if (gen !== generation) {
      release(reply.image?.bitmap);
      return;
    }
    const first = !fg;
    if (first && hook.timings.read === undefined) {
      hook.timings.read = performance.now();
      hook.timings.workerReadMs = reply.ms;
      for (const [k, v] of Object.entries(reply.phases)) hook.timings[`worker.${k}`] = v;
    }
    if (first) {
      lo = reply.stats.low;
      hi = reply.stats.high;
    }
    const im = reply.image;
    // Coloured with the contrast and LUT still in force (they may have changed meanwhile)?
    const current = im && im.lut === lutName && im.lo === lo && im.hi === hi;
    if (im && !current) release(im.bitmap);
    release(fg?.image);
    fg = {
      level,
      region,
      reply,
      scale,
      image: current
        ? im.bitmap
        : toCanvas(reply, region.x1 - region.x0, region.y1 - region.y0, scale),
    };
    // The background level was coloured before this first region set the contrast.
    if (first && bg) {
      const l = meta.levels[meta.levels.length - 1]!;
      bg.image = toCanvas(bg.reply, l.width, l.height);
    }
    if (first && hook.timings.coloured === undefined) hook.timings.coloured = performance.now();
    hook.frame = {
      index: frameIndex,
      width: region.x1 - region.x0,
      height: region.y1 - region.y0,
      dtype: meta.dtype,
      data: reply.data,
      level,
      x0: region.x0,
      y0: region.y0,
    };
    refresh();
  };
  if (immediate) return go();
  pending = setTimeout(() => void go().catch(fail), 60);
}

function fail(err: unknown): void {
  const e = err as Error;
  setState('error', e?.message ?? String(err));
  status(`error: ${hook.error}`);
}

function showMeta(m: SourceMeta, backend: string): void {
  const rows: [string, unknown][] = [
    ['name', m.name],
    ['kind', m.kind],
    ['shape', m.shape.join(' × ')],
    ['dtype', m.dtype],
    ['frames', m.frames],
    ['levels', m.levels.map((l) => `${l.width}×${l.height}`).join(', ')],
    ['codec', m.codec ? `${m.codec.id} ${JSON.stringify(m.codec.config)}` : 'none'],
    ['compression ratio', m.compressionRatio === null ? 'unknown' : m.compressionRatio.toFixed(3)],
    ['stored bytes', m.storedBytes ?? 'unknown'],
    ['decoder', backend],
    ...Object.entries(m.details),
  ];
  const t = $<HTMLTableElement>('meta');
  t.replaceChildren(
    ...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      const a = document.createElement('td');
      const b = document.createElement('td');
      a.textContent = k;
      b.textContent = typeof v === 'object' ? JSON.stringify(v) : String(v);
      tr.append(a, b);
      return tr;
    }),
  );
}

async function loadFrame(): Promise<void> {
  if (!meta) return;
  generation++;
  fg = null;
  bg = null;
  const last = meta.levels.length - 1;
  if (last > 0) {
    const l = meta.levels[last]!;
    const reply = await client.read(frameIndex, last, { x0: 0, y0: 0, x1: l.width, y1: l.height });
    bg = { reply, image: toCanvas(reply, l.width, l.height) };
  }
  await requestRegion(true);
  void updateLens();
}

async function open(spec: InputSpec, name: string): Promise<void> {
  hook.timings = { chosen: performance.now() };
  setState('loading');
  status(`opening ${name}…`);
  inputName = name;
  try {
    const r = await client.open(spec);
    hook.timings.opened = performance.now();
    hook.timings.workerOpenMs = r.ms;
    meta = r.meta;
    hook.meta = r.meta;
    hook.backend = r.backend;
    frameIndex = 0;
    const [W, H] = size();
    view = fitView(meta.levels[0]!.width, meta.levels[0]!.height, W, H);
    const box = $('frame-box');
    box.hidden = meta.frames <= 1;
    const slider = $<HTMLInputElement>('frame');
    slider.max = String(meta.frames - 1);
    slider.value = '0';
    $('frame-out').textContent = '0';
    showMeta(meta, r.backend);
    await loadFrame();
    hook.timings.drawn = performance.now();
    markPainted();
    setState('ready');
    status(`${meta.name}: ${meta.shape.join('×')} ${meta.dtype}, decoded by ${r.backend}`);
  } catch (err) {
    fail(err);
  }
}

// ---- noise lens -------------------------------------------------------------------------------
let lensGen = 0;
function lensCanvas(
  id: string,
  data: ArrayLike<number>,
  w: number,
  h: number,
  l: number,
  u: number,
  table: Uint32Array,
): void {
  const c = $<HTMLCanvasElement>(id);
  c.width = w;
  c.height = h;
  const img = new ImageData(w, h);
  colourise(data as never, l, u, table, new Uint32Array(img.data.buffer));
  c.getContext('2d')!.putImageData(img, 0, 0);
}

async function updateLens(): Promise<void> {
  const panel = $('lens');
  if (!meta) return;
  const raw = meta.dtype === 'uint16' && !meta.quantization;
  panel.hidden = !(raw || meta.quantization);
  const gain = Number($<HTMLInputElement>('gain').value) || 1;
  const grid = $('sigma-grid');
  if (meta.quantization) {
    const q = meta.quantization;
    $('lens-controls').hidden = false;
    $('lens-views').hidden = true;
    const rows = sigmaGrid(q, gain);
    $('lens-figures').textContent =
      `quantized: offset ${q.offset}, scale ${q.scale} → step ${stepOfScale(q.scale, gain).toFixed(4)} σ at gain ${gain}`;
    grid.textContent = [
      '   q      value    spacing  spacing/σ',
      ...rows
        .filter((r) => r.q < 16 || r.q % 16 === 0)
        .map(
          (r) =>
            `${String(r.q).padStart(4)} ${r.value.toFixed(1).padStart(10)} ${r.spacing.toFixed(2).padStart(10)} ${r.spacingSigma.toFixed(4).padStart(10)}`,
        ),
    ].join('\n');
    hook.lens = { offset: q.offset, scale: q.scale, stepSigma: stepOfScale(q.scale, gain) };
    return;
  }
  if (!raw) return;
  $('lens-views').hidden = false;
  grid.textContent = '';
  const params = {
    darkLevel: Number($<HTMLInputElement>('dark').value),
    gain,
    step: Number($<HTMLInputElement>('step').value),
  };
  $('step-out').textContent = String(params.step);
  const ex = exportParams(inputName, params);
  $<HTMLInputElement>('export-cli').value = ex.command;
  $<HTMLInputElement>('export-json').value = ex.numcodecs;
  const gen = ++lensGen;
  let r: LensReply;
  try {
    r = await client.lens(frameIndex, params);
  } catch (err) {
    $('lens-figures').textContent = (err as Error).message;
    return;
  }
  if (gen !== lensGen || !fg || fg.level !== 0) {
    if (gen !== lensGen) return;
  }
  const l0 = meta.levels[0]!;
  const orig = await client.read(frameIndex, 0, { x0: 0, y0: 0, x1: l0.width, y1: l0.height });
  if (gen !== lensGen) return;
  lensCanvas('lens-original', orig.data, l0.width, l0.height, lo, hi, lut(lutName));
  lensCanvas('lens-recon', r.reconstruction, l0.width, l0.height, lo, hi, lut(lutName));
  lensCanvas(
    'lens-error',
    r.errorSigma,
    l0.width,
    l0.height,
    -r.boundSigma,
    r.boundSigma,
    lut('diverging'),
  );
  $('lens-error-caption').textContent = `error / σ (colour scale ±${r.boundSigma} σ = the bound)`;
  $('lens-figures').textContent =
    `offset ${r.offset}, scale ${r.scale.toPrecision(6)} | ratio ${r.compressionRatio.toFixed(3)} (${r.pzfBytes} B PZF) | ` +
    `max |err| ${r.maxErrorSigma.toFixed(4)} σ, rms ${r.rmsErrorSigma.toFixed(4)} σ, bound ${r.boundSigma} σ (+ rounding) | ` +
    `max err/bound ${r.maxErrorOverBound.toFixed(4)}, violations ${r.violations}, saturated ${r.saturated}, at/below dark ${r.belowDark}`;
  const { reconstruction: _r, errorSigma: _e, ...figures } = r;
  hook.lens = { ...figures, params, export: ex, reconstruction: r.reconstruction };
}

for (const id of ['dark', 'gain', 'step']) $(id).addEventListener('input', () => void updateLens());

// ---- inputs -------------------------------------------------------------------------------------
$<HTMLInputElement>('file').addEventListener('change', (ev) => {
  const f = (ev.target as HTMLInputElement).files?.[0];
  if (f) void open({ kind: 'files', files: [{ path: f.name, file: f }] }, f.name);
});
$<HTMLInputElement>('folder').addEventListener('change', (ev) => {
  const files = [...((ev.target as HTMLInputElement).files ?? [])];
  if (files.length === 0) return;
  const spec: InputSpec = {
    kind: 'files',
    files: files.map((f) => ({ path: f.webkitRelativePath || f.name, file: f })),
  };
  void open(spec, (files[0]!.webkitRelativePath || files[0]!.name).split('/')[0]!);
});
$('url-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const url = $<HTMLInputElement>('url').value.trim();
  if (url) void open({ kind: 'url', url }, url.split('/').filter(Boolean).pop() ?? url);
});

async function entries(
  entry: FileSystemEntry,
  prefix: string,
  out: { path: string; file: Blob }[],
): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) =>
      (entry as FileSystemFileEntry).file(res, rej),
    );
    out.push({ path: prefix + entry.name, file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) break;
    for (const e of batch) await entries(e, `${prefix + entry.name}/`, out);
  }
}
document.addEventListener('dragover', (ev) => {
  ev.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (ev) => {
  ev.preventDefault();
  document.body.classList.remove('dragging');
  const items = [...(ev.dataTransfer?.items ?? [])];
  const roots = items
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  void (async () => {
    const files: { path: string; file: Blob }[] = [];
    for (const r of roots) await entries(r, '', files);
    if (files.length) void open({ kind: 'files', files }, roots[0]!.name);
  })();
});

// ---- contrast, LUT, frames ------------------------------------------------------------------------
const lutSelect = $<HTMLSelectElement>('lut');
for (const n of LUT_NAMES) lutSelect.add(new Option(n, n));
lutSelect.addEventListener('change', () => {
  lutName = lutSelect.value as LutName;
  recolour();
});
$('cmin').addEventListener('change', () => {
  lo = Number($<HTMLInputElement>('cmin').value);
  recolour();
});
$('cmax').addEventListener('change', () => {
  hi = Number($<HTMLInputElement>('cmax').value);
  recolour();
});
$('auto').addEventListener('click', () => {
  if (!fg) return;
  lo = fg.reply.stats.low;
  hi = fg.reply.stats.high;
  recolour();
});
$<HTMLInputElement>('frame').addEventListener('input', (ev) => {
  frameIndex = Number((ev.target as HTMLInputElement).value);
  $('frame-out').textContent = String(frameIndex);
  setState('loading');
  void loadFrame().then(() => setState('ready'), fail);
});

// ---- zoom and pan -------------------------------------------------------------------------------
function changed(): void {
  draw();
  requestRegion();
}
canvas.addEventListener(
  'wheel',
  (ev) => {
    ev.preventDefault();
    const [W, H] = size();
    const r = canvas.getBoundingClientRect();
    view = zoomAt(view, ev.deltaY < 0 ? 1.25 : 0.8, ev.clientX - r.left, ev.clientY - r.top, W, H);
    changed();
  },
  { passive: false },
);
let dragging: { x: number; y: number } | null = null;
canvas.addEventListener('pointerdown', (ev) => {
  dragging = { x: ev.clientX, y: ev.clientY };
  canvas.setPointerCapture(ev.pointerId);
  canvas.focus();
});
canvas.addEventListener('pointerup', () => {
  dragging = null;
});
canvas.addEventListener('pointermove', (ev) => {
  if (dragging) {
    view = panBy(view, ev.clientX - dragging.x, ev.clientY - dragging.y);
    dragging = { x: ev.clientX, y: ev.clientY };
    changed();
  }
  showCursor(ev);
});
canvas.addEventListener('keydown', (ev) => {
  const [W, H] = size();
  const step = 50;
  const keys: Record<string, () => Viewport> = {
    '+': () => zoomAt(view, 1.25, W / 2, H / 2, W, H),
    '=': () => zoomAt(view, 1.25, W / 2, H / 2, W, H),
    '-': () => zoomAt(view, 0.8, W / 2, H / 2, W, H),
    ArrowLeft: () => panBy(view, step, 0),
    ArrowRight: () => panBy(view, -step, 0),
    ArrowUp: () => panBy(view, 0, step),
    ArrowDown: () => panBy(view, 0, -step),
    '0': () => (meta ? fitView(meta.levels[0]!.width, meta.levels[0]!.height, W, H) : view),
    '1': () => ({ ...view, zoom: 1 }),
  };
  const k = keys[ev.key];
  if (!k) return;
  ev.preventDefault();
  view = k();
  changed();
});

function showCursor(ev: PointerEvent): void {
  if (!meta || !fg) return;
  const r = canvas.getBoundingClientRect();
  const [W, H] = size();
  const [ix, iy] = toImage(view, ev.clientX - r.left, ev.clientY - r.top, W, H);
  const [f, g] = levelScale(meta.levels, fg.level);
  const x = Math.floor(ix);
  const y = Math.floor(iy);
  const lx = Math.floor(ix / f) - fg.region.x0;
  const ly = Math.floor(iy / g) - fg.region.y0;
  const w = fg.region.x1 - fg.region.x0;
  const inside = lx >= 0 && ly >= 0 && lx < w && ly < fg.region.y1 - fg.region.y0;
  $('cursor').textContent = inside
    ? `x ${x} y ${y} = ${fg.reply.data[ly * w + lx]}${fg.level ? ` (level ${fg.level})` : ''}`
    : '';
}

window.addEventListener('resize', changed);

const url = new URLSearchParams(location.search).get('url');
if (url)
  void open({ kind: 'url', url }, decodeURIComponent(url.split('/').filter(Boolean).pop() ?? url));
