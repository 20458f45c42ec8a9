/** The metadata panel: shape, dtype, codec, compression ratio, OME axes and pixel size, details. */
import { describeOme } from '../sources/ome.js';
import type { SourceMeta } from '../sources/types.js';
import { $ } from './app.js';

export function metaRows(m: SourceMeta, backend: string): [string, unknown][] {
  return [
    ['name', m.name],
    ['kind', m.kind],
    ['shape', m.shape.join(' × ')],
    ['dtype', m.dtype],
    ['frames', m.frames],
    ['levels', m.levels.map((l) => `${l.width}×${l.height}`).join(', ')],
    ...(m.physical ? describeOme(m.physical) : []),
    ['codec', m.codec ? `${m.codec.id} ${JSON.stringify(m.codec.config)}` : 'none'],
    ['compression ratio', m.compressionRatio === null ? 'unknown' : m.compressionRatio.toFixed(3)],
    ['stored bytes', m.storedBytes ?? 'unknown'],
    ['decoder', backend],
    ...Object.entries(m.details),
  ];
}

export function showMeta(m: SourceMeta, backend: string): void {
  $<HTMLTableElement>('meta').replaceChildren(
    ...metaRows(m, backend).map(([k, v]) => {
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
