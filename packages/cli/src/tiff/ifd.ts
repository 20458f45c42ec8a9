/**
 * Walking a TIFF's IFD chain (classic and BigTIFF, either byte order) with every size checked
 * against the file before it is used: IFD offsets inside the file, a visited set so a chain that
 * loops is an error (not an endless page count), at most `LIMITS.tiffPages` pages, tag arrays
 * bounded by the file size and `LIMITS.tiffSegments`. Limits: docs/FORMAT.md §5
 * (the TIFF row); docs/DEVIATIONS.md CLI2.
 */
import type { FileHandle } from 'node:fs/promises';
import { badInput } from '../errors.js';
import { LIMITS } from '../limits.js';

export interface TiffLayout {
  littleEndian: boolean;
  bigTiff: boolean;
  /** File offset of each page's IFD, in chain order. */
  ifdOffsets: number[];
}

/** Tags of one IFD: numeric values (arrays for multi-valued tags). */
export type TiffTags = Map<number, number[]>;

const TYPE_SIZES: Record<number, number> = { 1: 1, 3: 2, 4: 4, 6: 1, 8: 2, 9: 4, 16: 8, 17: 8 };

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
async function readSome(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

function u64(dv: DataView, at: number, le: boolean, file: string, what: string): number {
  const v = dv.getBigUint64(at, le);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw badInput(file, `${what} ${v} is past any file`);
  return Number(v);
}

export class TiffReader {
  constructor(
    readonly file: string,
    readonly fh: FileHandle,
    readonly size: number,
    readonly layout: TiffLayout,
  ) {}

  static async open(file: string, fh: FileHandle, size: number): Promise<TiffReader> {
    const head = await readSome(fh, 0, 16);
    const bo = String.fromCharCode(head[0] ?? 0, head[1] ?? 0);
    if (head.length < 8 || (bo !== 'II' && bo !== 'MM'))
      throw badInput(file, 'not a readable TIFF (no II/MM byte-order mark)');
    const le = bo === 'II';
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const magic = dv.getUint16(2, le);
    let bigTiff = false;
    let first: number;
    if (magic === 42) first = dv.getUint32(4, le);
    else if (magic === 43 && head.length >= 16 && dv.getUint16(4, le) === 8) {
      bigTiff = true;
      first = u64(dv, 8, le, file, 'first IFD offset');
    } else throw badInput(file, `not a readable TIFF (version ${magic}, expected 42 or 43)`);
    const r = new TiffReader(file, fh, size, { littleEndian: le, bigTiff, ifdOffsets: [] });
    await r.#walk(first);
    return r;
  }

  get pages(): number {
    return this.layout.ifdOffsets.length;
  }

  async #walk(first: number): Promise<void> {
    const { bigTiff, littleEndian: le } = this.layout;
    const seen = new Set<number>();
    const countBytes = bigTiff ? 8 : 2;
    const entryBytes = bigTiff ? 20 : 12;
    let at = first;
    while (at !== 0) {
      if (seen.has(at))
        throw badInput(
          this.file,
          `IFD ${seen.size}: next-IFD offset ${at} loops back to an earlier page`,
        );
      if (seen.size >= LIMITS.tiffPages)
        throw badInput(this.file, `more than ${LIMITS.tiffPages} pages (the page limit)`);
      if (at + countBytes > this.size)
        throw badInput(
          this.file,
          `IFD ${seen.size} offset ${at} is past the end of the ${this.size}-byte file`,
        );
      seen.add(at);
      this.layout.ifdOffsets.push(at);
      const counted = await this.#bytesAt(at, countBytes);
      const n = bigTiff
        ? u64(counted.dv, counted.base, le, this.file, 'IFD entry count')
        : counted.dv.getUint16(counted.base, le);
      const total = countBytes + n * entryBytes + (bigTiff ? 8 : 4);
      if (at + total > this.size)
        throw badInput(
          this.file,
          `IFD ${seen.size - 1}: ${n} entries run past the end of the file`,
        );
      const { dv, base } = await this.#bytesAt(at, total);
      const nextAt = base + countBytes + n * entryBytes;
      at = bigTiff ? u64(dv, nextAt, le, this.file, 'next IFD offset') : dv.getUint32(nextAt, le);
    }
  }

  #block: { at: number; bytes: Uint8Array; dv: DataView } | undefined;
  #blockSize = 4096;

  /**
   * `length` bytes at `at`, through a one-block cache: IFDs of small pages sit close together, so
   * a 64 KiB block then serves hundreds of them (a 200k-page file needs ~500 reads, not 200k);
   * far-apart IFDs are read 4 KiB at a time.
   */
  async #bytesAt(at: number, length: number): Promise<{ dv: DataView; base: number }> {
    const b = this.#block;
    if (b && at >= b.at && at + length <= b.at + b.bytes.length)
      return { dv: b.dv, base: at - b.at };
    if (b) this.#blockSize = at - b.at > 0 && at - b.at < 65536 ? 65536 : 4096;
    const bytes = await readSome(this.fh, at, Math.max(length, this.#blockSize));
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#block = { at, bytes, dv };
    return { dv, base: 0 };
  }

  /** The numeric tags of page `page` (values of arrays read from the file, bounded). */
  async tags(page: number): Promise<TiffTags> {
    const { bigTiff, littleEndian: le } = this.layout;
    const at = this.layout.ifdOffsets[page]!;
    const countBytes = bigTiff ? 8 : 2;
    const entryBytes = bigTiff ? 20 : 12;
    const inline = bigTiff ? 8 : 4;
    let buf = await readSome(this.fh, at, 4096);
    let dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const n = bigTiff ? Number(dv.getBigUint64(0, le)) : dv.getUint16(0, le);
    const total = countBytes + n * entryBytes;
    if (total > buf.length) {
      buf = await readSome(this.fh, at, total);
      dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const tags: TiffTags = new Map();
    for (let k = 0; k < n; k++) {
      const e = countBytes + k * entryBytes;
      const tag = dv.getUint16(e, le);
      const type = dv.getUint16(e + 2, le);
      const size = TYPE_SIZES[type];
      if (size === undefined) continue; // rational, ASCII, float...: none of the tags we use
      const count = bigTiff
        ? u64(dv, e + 4, le, this.file, `tag ${tag} count`)
        : dv.getUint32(e + 4, le);
      if (count > LIMITS.tiffSegments)
        throw badInput(
          this.file,
          `page ${page}: tag ${tag} has ${count} values (limit ${LIMITS.tiffSegments})`,
        );
      const bytes = count * size;
      let vdv: DataView;
      let base: number;
      if (bytes <= inline) {
        vdv = dv;
        base = e + (bigTiff ? 12 : 8);
      } else {
        const off = bigTiff
          ? u64(dv, e + 12, le, this.file, `tag ${tag} offset`)
          : dv.getUint32(e + 8, le);
        if (off + bytes > this.size)
          throw badInput(
            this.file,
            `page ${page}: tag ${tag}'s ${count} values run past the end of the file`,
          );
        const vb = await readSome(this.fh, off, bytes);
        vdv = new DataView(vb.buffer, vb.byteOffset, vb.byteLength);
        base = 0;
      }
      const values: number[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const p = base + i * size;
        values[i] =
          size === 1
            ? vdv.getUint8(p)
            : size === 2
              ? vdv.getUint16(p, le)
              : size === 4
                ? vdv.getUint32(p, le)
                : u64(vdv, p, le, this.file, `tag ${tag} value`);
      }
      tags.set(tag, values);
    }
    return tags;
  }
}
