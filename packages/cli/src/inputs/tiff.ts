/**
 * Multi-page TIFF input (classic and BigTIFF; greyscale uint8/uint16; strips or tiles;
 * uncompressed, LZW, Deflate or PackBits; predictor 2). Pages are found by one walk of the IFD
 * chain (`tiff/ifd.ts`: loop detection, page cap), each page's strip or tile table is checked
 * against the file size, and every segment decodes into at most the bytes it declares
 * (`tiff/decode.ts`), so neither a crafted chain nor a decompression bomb can exhaust memory.
 */
import { badInput, CliError } from '../errors.js';
import { checkStack } from '../limits.js';
import type { PixelDtype } from '../npy.js';
import { COMPRESSIONS, decodeSegment, SegmentError, undoPredictor } from '../tiff/decode.js';
import { TiffReader, type TiffTags } from '../tiff/ifd.js';
import { openRegular, type Pixels, readAt, toPixels } from './file.js';
import type { FrameSource } from './source.js';

interface PageLayout {
  width: number;
  height: number;
  dtype: PixelDtype;
  compression: number;
  predictor: number;
  /** Segment (strip or tile) grid: `segW x segH` pixels each, `across` per row. */
  segW: number;
  segH: number;
  across: number;
  offsets: number[];
  counts: number[];
}

function one(tags: TiffTags, tag: number, dflt?: number): number | undefined {
  return tags.get(tag)?.[0] ?? dflt;
}

function layoutOf(r: TiffReader, page: number, tags: TiffTags): PageLayout {
  const f = r.file;
  const width = one(tags, 256);
  const height = one(tags, 257);
  if (width === undefined || height === undefined)
    throw badInput(f, `page ${page} has no ImageWidth/ImageLength`);
  const spp = one(tags, 277, 1)!;
  if (spp !== 1) throw badInput(f, `page ${page} has ${spp} samples per pixel (only greyscale)`);
  const bits = one(tags, 258, 1)!;
  const fmt = one(tags, 339, 1)!;
  if (fmt !== 1 || (bits !== 8 && bits !== 16)) {
    throw badInput(
      f,
      `page ${page} is ${bits}-bit ${fmt === 1 ? 'unsigned' : fmt === 2 ? 'signed' : 'float'} data (only uint8 and uint16)`,
    );
  }
  const dtype: PixelDtype = bits === 8 ? 'uint8' : 'uint16';
  checkStack(f, 1, height, width, bits / 8);
  const compression = one(tags, 259, 1)!;
  if (COMPRESSIONS[compression] === undefined)
    throw badInput(
      f,
      `page ${page}: TIFF compression ${compression} is not supported (none, LZW, Deflate, PackBits)`,
    );
  const predictor = one(tags, 317, 1)!;
  if (predictor !== 1 && predictor !== 2)
    throw badInput(f, `page ${page}: predictor ${predictor} is not supported (1 or 2)`);
  const tiled = tags.has(324);
  const segW = tiled ? one(tags, 322, 0)! : width;
  const segH = tiled ? one(tags, 323, 0)! : Math.min(one(tags, 278, height)!, height);
  if (segW <= 0 || segH <= 0) throw badInput(f, `page ${page}: tile or strip size is zero`);
  checkStack(f, 1, segH, segW, bits / 8);
  const across = Math.ceil(width / segW);
  const segments = across * Math.ceil(height / segH);
  const offsets = tags.get(tiled ? 324 : 273) ?? [];
  const expected = segW * segH * (bits / 8);
  const counts =
    tags.get(tiled ? 325 : 279) ?? (compression === 1 ? offsets.map(() => expected) : []);
  if (offsets.length < segments || counts.length < segments) {
    throw badInput(
      f,
      `page ${page}: ${segments} ${tiled ? 'tiles' : 'strips'} needed, the offset/byte-count tables list ${Math.min(offsets.length, counts.length)}`,
    );
  }
  for (let s = 0; s < segments; s++) {
    if (offsets[s]! + counts[s]! > r.size) {
      throw badInput(
        f,
        `page ${page}: ${tiled ? 'tile' : 'strip'} ${s} (offset ${offsets[s]}, ${counts[s]} bytes) runs past the end of the ${r.size}-byte file`,
      );
    }
  }
  return { width, height, dtype, compression, predictor, segW, segH, across, offsets, counts };
}

async function readPage(r: TiffReader, page: number, L: PageLayout): Promise<Pixels> {
  const isz = L.dtype === 'uint8' ? 1 : 2;
  const frame = new Uint8Array(L.width * L.height * isz);
  const segRow = L.segW * isz;
  const segments = L.across * Math.ceil(L.height / L.segH);
  const stripsOnly = L.segW === L.width;
  for (let s = 0; s < segments; s++) {
    const x0 = (s % L.across) * L.segW;
    const y0 = Math.floor(s / L.across) * L.segH;
    const rows = stripsOnly ? Math.min(L.segH, L.height - y0) : L.segH;
    const expected = rows * segRow;
    let seg: Uint8Array;
    if (L.compression === 1 && stripsOnly) {
      if (L.counts[s]! < expected)
        throw badInput(
          r.file,
          `page ${page}: strip ${s} holds ${L.counts[s]} bytes, needs ${expected}`,
        );
      // Uncompressed strips are read straight into the frame.
      seg = frame.subarray(y0 * segRow, y0 * segRow + expected);
      await readInto(r, L.offsets[s]!, seg);
    } else {
      const src = await readAt(r.fh, L.offsets[s]!, L.counts[s]!, r.file);
      try {
        seg = decodeSegment(L.compression, src, expected);
      } catch (err) {
        if (err instanceof SegmentError)
          throw badInput(
            r.file,
            `page ${page}: ${stripsOnly ? 'strip' : 'tile'} ${s} ${err.message}`,
          );
        throw err;
      }
    }
    if (!stripsOnly || seg.buffer !== frame.buffer) {
      const copyW = Math.min(L.segW, L.width - x0) * isz;
      for (let y = 0; y < rows && y0 + y < L.height; y++) {
        frame.set(seg.subarray(y * segRow, y * segRow + copyW), ((y0 + y) * L.width + x0) * isz);
      }
    }
  }
  const px = toPixels(frame, L.dtype, !r.layout.littleEndian);
  if (L.predictor === 2) {
    if (stripsOnly) undoPredictor(px, L.width);
    else throw badInput(r.file, `page ${page}: predictor 2 with tiles is not supported`);
  }
  return px;
}

async function readInto(r: TiffReader, position: number, into: Uint8Array): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await r.fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw badInput(r.file, `truncated: data ends at byte ${position + done}`);
    done += bytesRead;
  }
}

export async function openTiff(path: string): Promise<FrameSource> {
  const { fh, size } = await openRegular(path);
  try {
    const r = await TiffReader.open(path, fh, size);
    if (r.pages === 0) throw badInput(path, 'not a readable TIFF (no pages)');
    const first = layoutOf(r, 0, await r.tags(0));
    const { width, height, dtype } = first;
    const count = r.pages;
    return {
      path,
      format: 'tiff',
      dtype,
      frames: count,
      height,
      width,
      fileShape: count === 1 ? [height, width] : [count, height, width],
      details: {
        pages: count,
        compression: COMPRESSIONS[first.compression],
        ...(r.layout.bigTiff ? { bigTiff: true } : {}),
      },
      async read(start, n) {
        const out: Pixels[] = [];
        for (let i = start; i < start + n; i++) {
          const L = i === 0 ? first : layoutOf(r, i, await r.tags(i));
          if (L.width !== width || L.height !== height)
            throw badInput(
              path,
              `page ${i} is ${L.width}x${L.height}, page 0 is ${width}x${height}`,
            );
          if (L.dtype !== dtype)
            throw badInput(path, `page ${i} has a different dtype from page 0`);
          out.push(await readPage(r, i, L));
        }
        return out;
      },
      close: () => fh.close(),
    };
  } catch (err) {
    await fh.close();
    if (err instanceof CliError) throw err;
    throw badInput(path, `not a readable TIFF (${(err as Error).message})`, err);
  }
}
