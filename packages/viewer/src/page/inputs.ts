/** Opening inputs: the file and folder pickers, the URL field, drag-and-drop and `?url=`. */
import { hook, markPainted, setState } from '../hook.js';
import type { InputSpec } from '../sources/types.js';
import { fitView } from '../view/viewport.js';
import { $, app, client, fail, status } from './app.js';
import { loadFrame, size } from './display.js';
import { updateLens } from './lens-panel.js';
import { showMeta } from './meta-panel.js';

/** Shows frame `app.frameIndex`: drawn first, then its pixels (the hook's `frame`), then the lens. */
export async function showFrame(): Promise<void> {
  await loadFrame();
  await app.fg?.reply.pixels;
  void updateLens();
}

export async function open(spec: InputSpec, name: string): Promise<void> {
  const t = { chosen: performance.now() } as Partial<Record<string, number>>;
  hook.timings = t;
  setState('loading');
  status(`opening ${name}…`);
  app.inputName = name;
  try {
    const r = await client.open(spec);
    t.opened = performance.now();
    t.workerOpenMs = r.ms;
    for (const [k, v] of Object.entries(r.phases)) t[`open.${k}`] = v;
    const meta = r.meta;
    app.meta = meta;
    hook.meta = meta;
    hook.backend = r.backend;
    app.frameIndex = 0;
    const [W, H] = size();
    app.view = fitView(meta.levels[0]!.width, meta.levels[0]!.height, W, H);
    $('frame-box').hidden = meta.frames <= 1;
    const slider = $<HTMLInputElement>('frame');
    slider.max = String(meta.frames - 1);
    slider.value = '0';
    $('frame-out').textContent = '0';
    await loadFrame();
    t.drawn = performance.now();
    markPainted();
    // The panel's DOM work waits until the frame is drawn.
    showMeta(meta, r.backend);
    await app.fg?.reply.pixels;
    setState('ready');
    status(`${meta.name}: ${meta.shape.join('×')} ${meta.dtype}, decoded by ${r.backend}`);
    void updateLens();
  } catch (err) {
    fail(err);
  }
}

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

/** The files below a dropped entry (a file, or a folder read recursively), keyed by path. */
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

/**
 * The dropped files: by their file-system entries (folders too) when the browser gives them,
 * else the plain `files` list (a synthetic DataTransfer built by a script has no entries).
 */
async function droppedFiles(dt: DataTransfer): Promise<{ path: string; file: Blob }[]> {
  const roots = [...dt.items]
    .map((i) => (i.kind === 'file' ? i.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  const files: { path: string; file: Blob }[] = [];
  for (const r of roots) await entries(r, '', files);
  if (files.length === 0) for (const f of dt.files) files.push({ path: f.name, file: f });
  return files;
}

document.addEventListener('dragover', (ev) => {
  ev.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (ev) => {
  ev.preventDefault();
  document.body.classList.remove('dragging');
  const dt = ev.dataTransfer;
  if (!dt) return;
  void droppedFiles(dt).then((files) => {
    if (files.length) void open({ kind: 'files', files }, files[0]!.path.split('/')[0]!);
  }, fail);
});

/** `?url=` (what `pymecompress view` opens): a file or a Zarr/pyramid over HTTP. */
export function openFromQuery(): void {
  const url = new URLSearchParams(location.search).get('url');
  if (url)
    void open(
      { kind: 'url', url },
      decodeURIComponent(url.split('/').filter(Boolean).pop() ?? url),
    );
}
