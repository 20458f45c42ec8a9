/** Contrast, LUT and frame controls; zoom and pan by wheel, drag and keys; the cursor readout. */
import { setState } from '../hook.js';
import { LUT_NAMES, type LutName } from '../view/lut.js';
import { fitView, levelScale, panBy, toImage, type Viewport, zoomAt } from '../view/viewport.js';
import { $, app, canvas, fail } from './app.js';
import { draw, recolour, requestRegion, size } from './display.js';
import { showFrame } from './inputs.js';

const lutSelect = $<HTMLSelectElement>('lut');
for (const n of LUT_NAMES) lutSelect.add(new Option(n, n));
lutSelect.addEventListener('change', () => {
  app.lutName = lutSelect.value as LutName;
  recolour();
});
$('cmin').addEventListener('change', () => {
  app.lo = Number($<HTMLInputElement>('cmin').value);
  recolour();
});
$('cmax').addEventListener('change', () => {
  app.hi = Number($<HTMLInputElement>('cmax').value);
  recolour();
});
$('auto').addEventListener('click', () => {
  if (!app.fg) return;
  app.lo = app.fg.reply.stats.low;
  app.hi = app.fg.reply.stats.high;
  recolour();
});
$<HTMLInputElement>('frame').addEventListener('input', (ev) => {
  app.frameIndex = Number((ev.target as HTMLInputElement).value);
  $('frame-out').textContent = String(app.frameIndex);
  setState('loading');
  void showFrame().then(() => setState('ready'), fail);
});

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
    const f = ev.deltaY < 0 ? 1.25 : 0.8;
    app.view = zoomAt(app.view, f, ev.clientX - r.left, ev.clientY - r.top, W, H);
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
    app.view = panBy(app.view, ev.clientX - dragging.x, ev.clientY - dragging.y);
    dragging = { x: ev.clientX, y: ev.clientY };
    changed();
  }
  showCursor(ev);
});
canvas.addEventListener('keydown', (ev) => {
  const [W, H] = size();
  const step = 50;
  const view = app.view;
  const meta = app.meta;
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
  app.view = k();
  changed();
});

function showCursor(ev: PointerEvent): void {
  const { meta, fg } = app;
  if (!meta || !fg?.data) return;
  const r = canvas.getBoundingClientRect();
  const [W, H] = size();
  const [ix, iy] = toImage(app.view, ev.clientX - r.left, ev.clientY - r.top, W, H);
  const [f, g] = levelScale(meta.levels, fg.level);
  const x = Math.floor(ix);
  const y = Math.floor(iy);
  const lx = Math.floor(ix / f) - fg.region.x0;
  const ly = Math.floor(iy / g) - fg.region.y0;
  const w = fg.region.x1 - fg.region.x0;
  const inside = lx >= 0 && ly >= 0 && lx < w && ly < fg.region.y1 - fg.region.y0;
  $('cursor').textContent = inside
    ? `x ${x} y ${y} = ${fg.data[ly * w + lx]}${fg.level ? ` (level ${fg.level})` : ''}`
    : '';
}

window.addEventListener('resize', changed);
