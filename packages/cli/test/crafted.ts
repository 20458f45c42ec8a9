/**
 * Builders for the crafted (hostile and unusual) files of issue 14's table. Every file the tests
 * use is made here, deterministically, at test time: nothing binary is committed.
 */
import { deflateSync } from 'node:zlib';
import { npyHeaderBytes } from '../src/npy.js';

/** TIFF LZW encoder (MSB-first, 9-12 bit codes, early change, as libtiff's encoder). */
export function lzwEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let nacc = 0;
  let width = 9;
  const put = (code: number): void => {
    acc = (acc << width) | code;
    nacc += width;
    while (nacc >= 8) {
      out.push((acc >>> (nacc - 8)) & 0xff);
      nacc -= 8;
    }
    acc &= (1 << nacc) - 1;
  };
  let dict = new Map<number, number>();
  let next = 258;
  put(256);
  if (data.length === 0) {
    put(257);
  } else {
    let prefix = data[0]!;
    const grow = (): void => {
      next++;
      if (next === 4094) {
        put(256);
        dict = new Map();
        next = 258;
        width = 9;
      } else if (next >= 1 << width && width < 12) width++;
    };
    for (let i = 1; i < data.length; i++) {
      const c = data[i]!;
      const key = prefix * 256 + c;
      const hit = dict.get(key);
      if (hit !== undefined) {
        prefix = hit;
        continue;
      }
      put(prefix);
      dict.set(key, next);
      grow();
      prefix = c;
    }
    put(prefix);
    next++;
    if (next >= 1 << width && width < 12) width++;
    put(257);
  }
  if (nacc > 0) out.push((acc << (8 - nacc)) & 0xff);
  return Uint8Array.from(out);
}

export interface CraftPage {
  width: number;
  height: number;
  bits?: 8 | 16;
  compression?: number;
  predictor?: number;
  rowsPerStrip?: number;
  /** Encoded strips (default: one uncompressed strip of zeros). */
  strips?: Uint8Array[];
  /** Override the strip byte counts / offsets written in the IFD. */
  byteCounts?: number[];
  offsets?: number[];
}

/** A little-endian classic TIFF; `loop` makes the last IFD's next pointer point at the first. */
export function buildTiff(pages: CraftPage[], opts: { loop?: boolean } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 8;
  const place = (b: Uint8Array): number => {
    const at = size;
    chunks.push(b);
    size += b.length;
    if (size % 2) {
      chunks.push(new Uint8Array(1));
      size++;
    }
    return at;
  };
  const ifdAt: number[] = [];
  const patches: Array<{ at: number; dv: DataView; pos: number }> = [];
  for (const p of pages) {
    const bits = p.bits ?? 16;
    const strips = p.strips ?? [new Uint8Array(p.width * p.height * (bits / 8))];
    const offs = strips.map((s) => place(s));
    const offsets = p.offsets ?? offs;
    const counts = p.byteCounts ?? strips.map((s) => s.length);
    const arr = (vals: number[]): number => {
      const b = new Uint8Array(vals.length * 4);
      const dv = new DataView(b.buffer);
      for (const [i, v] of vals.entries()) dv.setUint32(4 * i, v, true);
      return place(b);
    };
    const offArr = offsets.length > 1 ? arr(offsets) : offsets[0]!;
    const cntArr = counts.length > 1 ? arr(counts) : counts[0]!;
    const tags: Array<[number, number, number, number]> = [
      [256, 4, 1, p.width],
      [257, 4, 1, p.height],
      [258, 3, 1, bits],
      [259, 3, 1, p.compression ?? 1],
      [262, 3, 1, 1],
      [273, 4, offsets.length, offArr],
      [277, 3, 1, 1],
      [278, 4, 1, p.rowsPerStrip ?? p.height],
      [279, 4, counts.length, cntArr],
      ...(p.predictor ? [[317, 3, 1, p.predictor] as [number, number, number, number]] : []),
    ];
    const ifd = new Uint8Array(2 + tags.length * 12 + 4);
    const dv = new DataView(ifd.buffer);
    dv.setUint16(0, tags.length, true);
    tags.forEach(([tag, type, count, value], k) => {
      const o = 2 + 12 * k;
      dv.setUint16(o, tag, true);
      dv.setUint16(o + 2, type, true);
      dv.setUint32(o + 4, count, true);
      if (type === 3 && count === 1) dv.setUint16(o + 8, value, true);
      else dv.setUint32(o + 8, value, true);
    });
    const at = place(ifd);
    ifdAt.push(at);
    patches.push({ at, dv, pos: 2 + tags.length * 12 });
  }
  patches.forEach((p, i) => {
    const next = i + 1 < patches.length ? ifdAt[i + 1]! : opts.loop ? ifdAt[0]! : 0;
    p.dv.setUint32(p.pos, next, true);
  });
  const out = new Uint8Array(size);
  const hv = new DataView(out.buffer);
  out[0] = 0x49;
  out[1] = 0x49;
  hv.setUint16(2, 42, true);
  hv.setUint32(4, ifdAt[0] ?? 0, true);
  let at = 8;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Strips of a uint16 frame, compressed as TIFF `compression` (with predictor 2 if asked). */
export function encodeStrips(
  frame: Uint16Array,
  width: number,
  rowsPerStrip: number,
  compression: number,
  predictor = 1,
): Uint8Array[] {
  const height = frame.length / width;
  const strips: Uint8Array[] = [];
  for (let y = 0; y < height; y += rowsPerStrip) {
    const rows = frame.slice(y * width, Math.min(height, y + rowsPerStrip) * width);
    if (predictor === 2) {
      for (let r = 0; r < rows.length; r += width)
        for (let x = width - 1; x > 0; x--)
          rows[r + x] = (rows[r + x]! - rows[r + x - 1]!) & 0xffff;
    }
    const bytes = new Uint8Array(rows.buffer);
    strips.push(
      compression === 5
        ? lzwEncode(bytes)
        : compression === 8
          ? deflateSync(bytes)
          : compression === 32773
            ? packBitsEncode(bytes)
            : bytes,
    );
  }
  return strips;
}

/** PackBits: runs of equal bytes as repeat codes, everything else as literals (<= 128 bytes). */
export function packBitsEncode(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < b.length) {
    let run = 1;
    while (i + run < b.length && run < 128 && b[i + run] === b[i]) run++;
    if (run >= 2) {
      out.push((1 - run) & 0xff, b[i]!);
      i += run;
      continue;
    }
    let n = 1;
    while (i + n < b.length && n < 128 && b[i + n] !== b[i + n - 1]) n++;
    out.push(n - 1, ...b.subarray(i, i + n));
    i += n;
  }
  return Uint8Array.from(out);
}

/** A `.npy` whose header text is `dict` (padded, version 1 or 2 by length), then `data`. */
export function npyWithHeader(
  dict: string,
  data: Uint8Array = new Uint8Array(0),
  major?: 1 | 2,
): Uint8Array {
  const v = major ?? (dict.length + 12 > 0xffff ? 2 : 1);
  const pre = v === 1 ? 10 : 12;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  const out = new Uint8Array(total + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, v, 0]);
  const dv = new DataView(out.buffer);
  if (v === 1) dv.setUint16(8, total - pre, true);
  else dv.setUint32(8, total - pre, true);
  const body = `${dict}${' '.repeat(total - pre - dict.length - 1)}\n`;
  for (let i = 0; i < body.length; i++) out[pre + i] = body.charCodeAt(i);
  out.set(data, total);
  return out;
}

export { npyHeaderBytes };
