/**
 * A read-only zarrita store over a local directory, with the CLI's rules for untrusted input:
 * keys stay inside the directory (no `..`, symlinks may not leave it), only regular files are
 * read, and every read is bounded before it happens: metadata by `LIMITS.metadataBytes`, chunks
 * by `chunkLimit` (what the opened array's codec can produce for one chunk, set by `open.ts`).
 * A missing file is an absent key (zarrita then uses the fill value).
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { badInput } from '../errors.js';
import { openRegular, readAt, readBounded } from '../inputs/file.js';
import { LIMITS } from '../limits.js';

const METADATA = new Set(['.zarray', '.zattrs', '.zgroup', '.zmetadata', 'zarr.json']);

export type StoreKey = `/${string}`;

export class LocalZarrStore {
  readonly root: string;
  /** Largest chunk file read (bytes); 0 until an array is opened (then chunks are refused). */
  chunkLimit = 0;
  /** What a chunk is, for the "more than any valid ..." message. */
  chunkWhat = 'chunk';
  #realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.root = root;
  }

  /** The file a key names, refusing keys that would leave the store. */
  pathOf(key: string): string {
    const parts = key.split('/').filter((p) => p !== '');
    if (parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0')))
      throw badInput(this.root, `key ${JSON.stringify(key)} leaves the store`);
    return join(this.root, ...parts);
  }

  /**
   * The file behind `key`, or `undefined` when absent. Symlinks (the file's or a parent
   * folder's, e.g. a level directory) may point inside the store, never out of it.
   */
  async #file(key: StoreKey): Promise<string | undefined> {
    const path = this.pathOf(key);
    this.#realRoot ??= realpath(this.root);
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const link = await lstat(path).catch(() => undefined);
      if (link?.isSymbolicLink())
        throw badInput(this.root, `${key.slice(1)} is a symlink leaving the array (dangling)`);
      return undefined;
    }
    const rootReal = await this.#realRoot;
    if (!real.startsWith(rootReal + sep))
      throw badInput(this.root, `${key.slice(1)} is a symlink leaving the array (${real})`);
    if ((await stat(real)).isDirectory()) return undefined;
    return real;
  }

  async get(key: StoreKey): Promise<Uint8Array | undefined> {
    const path = await this.#file(key);
    if (path === undefined) return undefined;
    const name = key.slice(key.lastIndexOf('/') + 1);
    if (METADATA.has(name)) return readBounded(path, LIMITS.metadataBytes, name);
    return readBounded(path, this.chunkLimit, this.chunkWhat);
  }

  /** Part of a file (zarrita reads shard indexes and inner chunks so), bounded like `get`. */
  async getRange(
    key: StoreKey,
    range: { offset: number; length: number } | { suffixLength: number },
  ): Promise<Uint8Array | undefined> {
    const path = await this.#file(key);
    if (path === undefined) return undefined;
    const { fh, size } = await openRegular(path);
    try {
      const length = 'suffixLength' in range ? range.suffixLength : range.length;
      const offset = 'suffixLength' in range ? size - length : range.offset;
      if (
        !Number.isSafeInteger(length) ||
        !Number.isSafeInteger(offset) ||
        length < 0 ||
        offset < 0 ||
        offset + length > size
      )
        throw badInput(
          path,
          `bytes ${offset}..${offset + length} are not inside its ${size} bytes`,
        );
      if (length > this.chunkLimit)
        throw badInput(path, `a ${length}-byte read, more than any valid ${this.chunkWhat}`);
      return await readAt(fh, offset, length, path);
    } finally {
      await fh.close();
    }
  }
}
