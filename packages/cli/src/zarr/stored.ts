/** What an array occupies on disk: the chunk (or PYME tile) files below its directory. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Directories deeper than any chunk key (one per axis, plus PYME's schema folders). */
const MAX_DEPTH = 40;

/** Total bytes and count of the non-metadata files under `dir` (symlinks not followed). */
export async function storedBytes(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  const walk = async (d: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'zarr.json') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile()) {
        bytes += (await stat(p)).size;
        files++;
      }
    }
  };
  await walk(dir, 0);
  return { bytes, files };
}
