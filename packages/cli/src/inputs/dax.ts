/** `.dax` + `.inf` input (storm-analysis / Hal's movies: uint16, big-endian unless stated). */
import { basename } from 'node:path';
import { badInput } from '../errors.js';
import { checkStack, LIMITS } from '../limits.js';
import { openRegular, readBounded } from './file.js';
import { contiguousSource, type FrameSource } from './source.js';

/** Parses a `.inf` file (`key = value` lines; keys case-insensitive, the last one wins). */
export function parseInf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!.toLowerCase()] = m[2]!;
  }
  return out;
}

export async function openDax(path: string): Promise<FrameSource> {
  const infPath = path.replace(/\.dax$/i, '.inf');
  let bytes: Uint8Array;
  try {
    bytes = await readBounded(infPath, LIMITS.metadataBytes, '.inf file');
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode === 3 && !/no such file/.test(String(err)))
      throw err;
    throw badInput(path, `the .inf file ${basename(infPath)} next to it is missing or unreadable`);
  }
  const inf = parseInf(new TextDecoder('latin1').decode(bytes));
  const dims = /^(\d{1,15})\s*x\s*(\d{1,15})$/i.exec(inf['frame dimensions'] ?? '');
  const n = /^(\d{1,15})$/.exec(inf['number of frames'] ?? '');
  if (!dims || !n) {
    throw badInput(infPath, "needs 'frame dimensions = W x H' and 'number of frames = N' lines");
  }
  const dataType = (inf['data type'] ?? '').toLowerCase();
  const bigEndian = !dataType.includes('little');
  const width = Number(dims[1]);
  const height = Number(dims[2]);
  const frames = Number(n[1]);
  const frameBytes = checkStack(infPath, frames, height, width, 2);
  const { fh, size } = await openRegular(path);
  const need = frames * frameBytes;
  if (size < need) {
    await fh.close();
    throw badInput(
      path,
      `truncated: ${frames} frames of ${width}x${height} uint16 need ${need} bytes, the file holds ${size}`,
    );
  }
  return contiguousSource(
    fh,
    {
      path,
      format: 'dax',
      dtype: 'uint16',
      frames,
      height,
      width,
      fileShape: [frames, height, width],
      details: { inf: infPath, byteOrder: bigEndian ? 'big' : 'little' },
    },
    0,
    bigEndian,
  );
}
