/**
 * Node-only helpers (`@pymecompress/codecs/node`): write Zarr v2 arrays to a local directory.
 * Read them with zarrita: `zarr.open.v2(new FileSystemStore(dir), { kind: 'array' })` after
 * `register()`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type NdArray, type WriteZarrV2Options, writeZarrV2 } from './zarr.js';

/** A minimal writable directory store (keys are '/'-separated paths below `root`). */
export function directoryStore(root: string): {
  set(key: string, value: Uint8Array): Promise<void>;
} {
  return {
    async set(key: string, value: Uint8Array): Promise<void> {
      const file = join(root, ...key.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, value);
    },
  };
}

/** Writes `array` as a Zarr v2 array in directory `dir` (created if needed). */
export async function writeZarrV2Array(
  dir: string,
  array: NdArray,
  options: WriteZarrV2Options,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeZarrV2(directoryStore(dir), array, options);
}
