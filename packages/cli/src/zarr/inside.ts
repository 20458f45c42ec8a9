/**
 * The one confinement rule for files of a local Zarr array or group (docs/FORMAT.md §5,
 * symlinked folders): a file, or a folder on its way, may be a symlink only if it resolves inside
 * the root. Used by the zarrita store (`store.ts`) and by the whole-frame fast path (`frames.ts`).
 */
import { lstat, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { badInput } from '../errors.js';

/**
 * The real path of `path` when it resolves inside `root`, `undefined` when nothing is there.
 * Throws "bad input" (exit 3) naming `what` when a symlink leaves the root or dangles. `realRoot`
 * is the root's own real path when the caller already has it (one realpath per store).
 */
export async function realPathInside(
  root: string,
  path: string,
  what: string,
  realRoot?: Promise<string>,
): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    if ((await lstat(path).catch(() => undefined))?.isSymbolicLink())
      throw badInput(root, `${what} is a symlink leaving the array (dangling)`);
    return undefined;
  }
  if (!real.startsWith((await (realRoot ?? realpath(root))) + sep))
    throw badInput(root, `${what} is a symlink leaving the array (${real})`);
  return real;
}
