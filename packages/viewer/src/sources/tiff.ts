/** Multi-page greyscale TIFF (one frame per page), read with geotiff.js one page at a time. */
import { fromBlob } from 'geotiff';
import { cropFrame, type Pixels, type Source, ViewerError } from './types.js';

export async function openTiff(name: string, blob: Blob): Promise<Source> {
  const tiff = await fromBlob(blob as File);
  const pages = await tiff.getImageCount();
  const first = await tiff.getImage(0);
  const width = first.getWidth();
  const height = first.getHeight();
  if (first.getSamplesPerPixel() !== 1)
    throw new ViewerError(
      `${name}: only greyscale TIFF pages are shown (samples per pixel ${first.getSamplesPerPixel()})`,
    );
  let cache: { index: number; data: Pixels } | null = null;
  async function page(index: number): Promise<Pixels> {
    if (cache?.index === index) return cache.data;
    const img = await tiff.getImage(index);
    if (img.getWidth() !== width || img.getHeight() !== height)
      throw new ViewerError(
        `${name}: page ${index} is ${img.getWidth()}×${img.getHeight()}, page 0 is ${width}×${height}`,
      );
    const [band] = (await img.readRasters({ samples: [0] })) as unknown as Pixels[];
    cache = { index, data: band! };
    return band!;
  }
  const data0 = await page(0);
  const dtype = data0.constructor.name.replace('Array', '').toLowerCase();
  const fd = first.getFileDirectory() as unknown as Record<string, unknown>;
  return {
    meta: {
      name,
      kind: 'tiff',
      shape: pages === 1 ? [height, width] : [pages, height, width],
      frameAxes: pages === 1 ? [] : ['page'],
      frameShape: pages === 1 ? [] : [pages],
      frames: pages,
      dtype,
      levels: [{ path: '', width, height, chunkWidth: width, chunkHeight: height }],
      codec: { id: `tiff-compression-${String(fd.Compression ?? 1)}`, config: {} },
      quantization: null,
      compressionRatio: (pages * width * height * data0.BYTES_PER_ELEMENT) / blob.size,
      storedBytes: blob.size,
      details: { pages, bitsPerSample: String(fd.BitsPerSample) },
    },
    read: async (index, _level, region) => cropFrame(await page(index), width, region),
  };
}
