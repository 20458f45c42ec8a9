/** `.tif` output: uncompressed multi-page little-endian classic TIFF (< 4 GiB). */
import { open } from 'node:fs/promises';
import { CliError, EXIT } from '../errors.js';
import { SAMPLE_TYPES, type SampleDtype } from '../samples.js';
import { leBytes, type StackWriter, writeAll } from './stack.js';

const TIFF_TAGS = 11;
const IFD_BYTES = 2 + TIFF_TAGS * 12 + 4;

/** Uncompressed multi-page classic TIFF: per page an IFD followed by its single strip. */
export async function createTiffWriter(
  file: string,
  dtype: SampleDtype,
  frames: number,
  height: number,
  width: number,
): Promise<StackWriter> {
  const bits = SAMPLE_TYPES[dtype].bytes * 8;
  const pageData = width * height * (bits / 8);
  const pageBytes = IFD_BYTES + pageData;
  if (8 + frames * pageBytes > 0xffffffff) {
    throw new CliError(
      EXIT.FAILURE,
      `${file}: ${frames} frames exceed the 4 GiB limit of a classic TIFF (write .npy instead)`,
    );
  }
  const fh = await open(file, 'wx');
  const head = new Uint8Array(8);
  const hv = new DataView(head.buffer);
  head[0] = 0x49;
  head[1] = 0x49;
  hv.setUint16(2, 42, true);
  hv.setUint32(4, frames > 0 ? 8 : 0, true);
  await writeAll(fh, head, 0);
  let page = 0;
  return {
    async write(frame) {
      const at = 8 + page * pageBytes;
      const ifd = new Uint8Array(IFD_BYTES);
      const dv = new DataView(ifd.buffer);
      dv.setUint16(0, TIFF_TAGS, true);
      const SHORT = 3;
      const LONG = 4;
      const tags: Array<[number, number, number]> = [
        [256, LONG, width],
        [257, LONG, height],
        [258, SHORT, bits],
        [259, SHORT, 1], // no compression
        [262, SHORT, 1], // BlackIsZero
        [273, LONG, at + IFD_BYTES], // StripOffsets
        [277, SHORT, 1], // SamplesPerPixel
        [278, LONG, height], // RowsPerStrip
        [279, LONG, pageData], // StripByteCounts
        [284, SHORT, 1], // PlanarConfiguration
        [339, SHORT, SAMPLE_TYPES[dtype].tiffFormat], // SampleFormat: unsigned, signed or float
      ];
      tags.forEach(([tag, type, value], k) => {
        const o = 2 + k * 12;
        dv.setUint16(o, tag, true);
        dv.setUint16(o + 2, type, true);
        dv.setUint32(o + 4, 1, true);
        if (type === SHORT) dv.setUint16(o + 8, value, true);
        else dv.setUint32(o + 8, value, true);
      });
      const last = page === frames - 1;
      dv.setUint32(2 + TIFF_TAGS * 12, last ? 0 : at + pageBytes, true);
      await writeAll(fh, ifd, at);
      await writeAll(fh, leBytes(frame), at + IFD_BYTES);
      page++;
    },
    close: () => fh.close(),
  };
}
