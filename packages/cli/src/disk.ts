/** Free-space check before writing an output whose size is known in advance. */
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CliError, EXIT } from './errors.js';
import { fmtBytes } from './format.js';

/**
 * Fails (exit 1, before any work) when the output's file system cannot hold `bytes` more: a
 * small file that claims a huge stack (e.g. a Zarr array of absent fill-value chunks) is refused
 * instead of filling the disk.
 */
export async function checkFreeSpace(output: string, bytes: number): Promise<void> {
  const dir = dirname(resolve(output));
  let free: number;
  try {
    const s = await statfs(dir);
    free = Number(s.bavail) * Number(s.bsize);
  } catch {
    return; // unknown: the write itself reports ENOSPC
  }
  if (bytes > free) {
    throw new CliError(
      EXIT.FAILURE,
      `${output}: needs ${fmtBytes(bytes)} but ${dir} has ${fmtBytes(free)} free (no space left on device)`,
    );
  }
}
