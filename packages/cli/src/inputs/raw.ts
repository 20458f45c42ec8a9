/** Raw input: headerless bytes described by `--shape` and `--dtype`. */
import { badInput, usageError } from '../errors.js';
import { checkStack } from '../limits.js';
import { parseRawDtype, parseShape } from '../options.js';
import { itemSize, openRegular } from './file.js';
import { contiguousSource, type FrameSource, stackShape } from './source.js';

export interface RawOptions {
  shape?: string | undefined;
  dtype?: string | undefined;
}

export async function openRaw(path: string, raw: RawOptions): Promise<FrameSource> {
  if (raw.shape === undefined || raw.dtype === undefined) {
    throw usageError(
      'raw input needs both --shape N,H,W (or H,W) and --dtype uint8|uint16|uint16be',
    );
  }
  const shape = parseShape(raw.shape);
  const { dtype, bigEndian } = parseRawDtype(raw.dtype);
  const [frames, height, width] = stackShape(path, shape);
  const frameBytes = checkStack(path, frames, height, width, itemSize(dtype));
  const { fh, size } = await openRegular(path);
  const need = frames * frameBytes;
  if (size !== need) {
    await fh.close();
    throw badInput(
      path,
      `${size} bytes, but --shape ${shape.join(',')} --dtype ${raw.dtype} means ${need} bytes${size < need ? ' (truncated?)' : ''}`,
    );
  }
  return contiguousSource(
    fh,
    {
      path,
      format: 'raw',
      dtype,
      frames,
      height,
      width,
      fileShape: shape,
      details: { byteOrder: bigEndian ? 'big' : 'little' },
    },
    0,
    bigEndian,
  );
}
