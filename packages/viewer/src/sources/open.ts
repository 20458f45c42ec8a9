/** Picks the reader for an input: by file name, then by magic bytes. */
import type { Backend } from '@pymecompress/core-ts';
import * as zarr from 'zarrita';
import { openNpy } from './npy.js';
import { openPzf } from './pzf.js';
import { openTiff } from './tiff.js';
import type { InputSpec, Source } from './types.js';
import { ViewerError } from './types.js';
import { fileStore, openZarr } from './zarr.js';

type FileKind = 'pzf' | 'npy' | 'tiff' | null;

function kindByName(name: string): FileKind {
  const n = name.toLowerCase();
  if (n.endsWith('.pzf')) return 'pzf';
  if (n.endsWith('.npy')) return 'npy';
  if (n.endsWith('.tif') || n.endsWith('.tiff')) return 'tiff';
  return null;
}

async function kindByMagic(blob: Blob): Promise<FileKind> {
  const b = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  if (b[0] === 0x42 && b[1] === 0x44) return 'pzf'; // 'BD'
  if (b[0] === 0x93 && b[1] === 0x4e) return 'npy';
  if ((b[0] === 0x49 && b[1] === 0x49) || (b[0] === 0x4d && b[1] === 0x4d)) return 'tiff';
  return null;
}

async function openFile(name: string, blob: Blob, backend: Backend): Promise<Source> {
  const kind = kindByName(name) ?? (await kindByMagic(blob));
  if (kind === 'pzf') return openPzf(name, blob, backend);
  if (kind === 'npy') return openNpy(name, blob);
  if (kind === 'tiff') return openTiff(name, blob);
  throw new ViewerError(`${name}: not a .pzf, .npy, .tif or Zarr input`);
}

function isZarrKey(path: string): boolean {
  return /(^|\/)(\.zarray|\.zgroup|\.zattrs|zarr\.json)$/.test(path);
}

export async function openInput(spec: InputSpec, backend: Backend): Promise<Source> {
  if (spec.kind === 'url') {
    const url = new URL(spec.url, self.location.href);
    const name = decodeURIComponent(url.pathname.replace(/\/+$/, '').split('/').pop() ?? url.href);
    if (kindByName(name)) {
      const res = await fetch(url);
      if (!res.ok) throw new ViewerError(`${url.href}: HTTP ${res.status}`);
      return openFile(name, await res.blob(), backend);
    }
    return openZarr(
      name,
      new zarr.FetchStore(url.href.replace(/\/+$/, '')) as never,
      backend,
      null,
    );
  }
  const files = spec.files;
  if (files.length === 0) throw new ViewerError('no file given');
  if (files.length === 1 && !isZarrKey(files[0]!.path)) {
    return openFile(files[0]!.path.split('/').pop()!, files[0]!.file, backend);
  }
  // A folder: find the Zarr root (the shallowest metadata file) and key the files below it.
  const meta = files
    .map((f) => f.path)
    .filter(isZarrKey)
    .sort((a, b) => a.split('/').length - b.split('/').length)[0];
  if (!meta) throw new ViewerError('the folder holds no .zarray, .zgroup or zarr.json');
  const root = meta.includes('/') ? meta.slice(0, meta.lastIndexOf('/') + 1) : '';
  const map = new Map<string, Blob>();
  let stored = 0;
  for (const f of files) {
    if (!f.path.startsWith(root)) continue;
    map.set(f.path.slice(root.length), f.file);
    stored += f.file.size;
  }
  const name = root.replace(/\/$/, '').split('/').pop() || 'zarr';
  return openZarr(name, fileStore(map), backend, stored);
}
