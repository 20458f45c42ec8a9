/**
 * `.npy` (NumPy format 1.0–3.0): any numeric dtype of either byte order, C or Fortran order.
 * The leading axes are frames; the last two are y, x (C order) as numpy shows them.
 */
import { stackProblem } from '@pymecompress/codecs/untrusted';
import { cropFrame, type Pixels, type Source, ViewerError } from './types.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

export function parseNpyHeader(b: Uint8Array): NpyHeader {
  if (b.length < 10 || MAGIC.some((m, i) => b[i] !== m))
    throw new ViewerError('not a .npy file (missing the \\x93NUMPY magic)');
  const major = b[6]!;
  const long = major >= 2;
  if (major < 1 || major > 3) throw new ViewerError(`unsupported .npy version ${major}`);
  const start = long ? 12 : 10;
  const len = long
    ? (b[8]! | (b[9]! << 8) | (b[10]! << 16) | (b[11]! << 24)) >>> 0
    : b[8]! | (b[9]! << 8);
  if (b.length < start + len) throw new ViewerError('truncated .npy header');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    b.subarray(start, start + len),
  );
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new ViewerError(`unreadable .npy header: ${text.trim()}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 0))
    throw new ViewerError(`bad .npy shape (${shapeText})`);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + len };
}

type Ctor = new (n: number) => Pixels;
const TYPES: Record<string, [Ctor, string]> = {
  u1: [Uint8Array, 'uint8'],
  i1: [Int8Array, 'int8'],
  u2: [Uint16Array, 'uint16'],
  i2: [Int16Array, 'int16'],
  u4: [Uint32Array, 'uint32'],
  i4: [Int32Array, 'int32'],
  f4: [Float32Array, 'float32'],
  f8: [Float64Array, 'float64'],
};

export function npyType(descr: string): { ctor: Ctor; dtype: string; bigEndian: boolean } {
  const m = /^([<>|=])([uif][1248])$/.exec(descr);
  const t = m ? TYPES[m[2]!] : undefined;
  if (!m || !t) throw new ViewerError(`unsupported .npy dtype '${descr}'`);
  return { ctor: t[0], dtype: t[1], bigEndian: m[1] === '>' };
}

/** Reads element `count` values of `ctor` from little/big-endian bytes. */
function typed(bytes: Uint8Array, ctor: Ctor, count: number, bigEndian: boolean): Pixels {
  const out = new ctor(count);
  const size = out.BYTES_PER_ELEMENT;
  const dst = new Uint8Array(out.buffer);
  dst.set(bytes.subarray(0, count * size));
  if (bigEndian && size > 1) {
    for (let i = 0; i < dst.length; i += size) dst.subarray(i, i + size).reverse();
  }
  return out;
}

export async function openNpy(name: string, blob: Blob): Promise<Source> {
  const head = new Uint8Array(await blob.slice(0, 65536 + 12).arrayBuffer());
  const h = parseNpyHeader(head);
  const { ctor, dtype, bigEndian } = npyType(h.descr);
  if (h.shape.length < 2) throw new ViewerError(`.npy shape (${h.shape}) has fewer than 2 axes`);
  const size = new ctor(0).BYTES_PER_ELEMENT;
  const height = h.shape[h.shape.length - 2]!;
  const width = h.shape[h.shape.length - 1]!;
  const frameShape = h.shape.slice(0, -2);
  const frames = frameShape.reduce((a, b) => a * b, 1);
  // The one rule for sizes read from files (docs/FORMAT.md §5), before any allocation.
  const problem = stackProblem(frames, height, width, size);
  if (problem) throw new ViewerError(`${name}: ${problem}`);
  const frameBytes = width * height * size;
  if (blob.size < h.dataOffset + frames * frameBytes)
    throw new ViewerError(`.npy data is truncated (${blob.size} bytes for shape ${h.shape})`);
  let cache: { index: number; data: Pixels } | null = null;
  async function frame(index: number): Promise<Pixels> {
    if (cache?.index === index) return cache.data;
    let data: Pixels;
    if (!h.fortranOrder) {
      const at = h.dataOffset + index * frameBytes;
      const bytes = new Uint8Array(await blob.slice(at, at + frameBytes).arrayBuffer());
      data = typed(bytes, ctor, width * height, bigEndian);
    } else {
      // Fortran order: element (..., y, x) of frame f sits at x*H*F + y*F + f (F = frames).
      const all = typed(
        new Uint8Array(await blob.slice(h.dataOffset).arrayBuffer()),
        ctor,
        frames * width * height,
        bigEndian,
      );
      data = new ctor(width * height);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          data[y * width + x] = all[(x * height + y) * frames + index]!;
    }
    cache = { index, data };
    return data;
  }
  return {
    meta: {
      name,
      kind: 'npy',
      shape: h.shape,
      frameAxes: frameShape.map((_, i) => `axis ${i}`),
      frameShape,
      frames,
      dtype,
      levels: [{ path: '', width, height, chunkWidth: width, chunkHeight: height }],
      codec: null,
      quantization: null,
      compressionRatio: 1,
      storedBytes: blob.size,
      details: { descr: h.descr, fortranOrder: h.fortranOrder, npyHeaderBytes: h.dataOffset },
    },
    read: async (index, _level, region) => cropFrame(await frame(index), width, region),
  };
}
