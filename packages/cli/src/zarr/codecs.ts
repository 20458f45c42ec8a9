/**
 * What the CLI checks about an array's codecs before reading chunks: pymecompress's own codec
 * parameters (the same limits as core-ts), arrays this CLI wrote cross-checked against their
 * `.zattrs`, and the largest chunk file any of the codecs can produce (reads are bounded by it).
 */
import { maxHuffmanChunkBytes } from '@pymecompress/codecs/untrusted';
import { quantParams } from '@pymecompress/core-ts';
import type { CodecConfig } from '../codec-task.js';
import { badInput } from '../errors.js';
import type { SampleDtype } from '../samples.js';
import type { ArrayMeta, CodecEntry } from './metadata.js';

/** A codec name without zarrita's / zarr-python 3's `numcodecs.` prefix. */
export function bareName(name: string): string {
  return name.startsWith('numcodecs.') ? name.slice('numcodecs.'.length) : name;
}

/** Codecs zarrita handles outside its registry. */
const BUILT_IN = new Set(['sharding_indexed', 'fixedscaleoffset', 'numcodecs.fixedscaleoffset']);

/**
 * Refuses, before any chunk is read, a codec that neither zarrita nor pymecompress decodes
 * (zarrita would only notice at the first chunk it finds, and an array of absent chunks would
 * then "decode" to fill values).
 */
export function checkKnownCodecs(
  file: string,
  meta: ArrayMeta,
  known: { has(name: string): boolean },
): void {
  const check = (c: CodecEntry, depth: number): void => {
    const name = meta.zarrFormat === 2 ? `numcodecs.${c.name}` : c.name;
    if (!BUILT_IN.has(c.name) && !known.has(name) && !known.has(c.name))
      throw badInput(
        file,
        `codec ${JSON.stringify(c.name)} is not supported (neither zarrita nor pymecompress decodes it)`,
      );
    if (c.name !== 'sharding_indexed') return;
    // A shard's own codec lists (v3 sharding); nested shards at most a few levels deep.
    if (depth > 4) throw badInput(file, 'sharding nested more than 4 levels deep');
    for (const list of [c.configuration.codecs, c.configuration.index_codecs]) {
      if (!Array.isArray(list)) throw badInput(file, 'sharding_indexed codecs are not a list');
      for (const inner of list) {
        if (!isCodecObject(inner))
          throw badInput(file, 'sharding_indexed: a codec is not an object with a string name');
        check({ name: inner.name, configuration: inner.configuration ?? {} }, depth + 1);
      }
    }
  };
  for (const c of meta.codecs) check(c, 0);
}

function isCodecObject(v: unknown): v is { name: string; configuration?: Record<string, unknown> } {
  return typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string';
}

/** Codecs that only describe the layout (v3 `bytes`, `transpose`): not compression. */
const LAYOUT = new Set(['bytes', 'transpose']);

/** The compressing codecs (for `info`). */
export function compressors(meta: ArrayMeta): CodecEntry[] {
  return meta.codecs.filter((c) => !LAYOUT.has(c.name));
}

function quant16Config(file: string, c: CodecEntry, dtype: SampleDtype): CodecConfig {
  const offset = c.configuration.offset ?? 0;
  const scale = c.configuration.scale ?? 1;
  try {
    quantParams(offset, scale); // JSON numbers only, the same limits as core-ts
  } catch {
    throw badInput(
      file,
      `.zarray compressor: invalid quant16 parameters offset ${JSON.stringify(c.configuration.offset)}, scale ${JSON.stringify(c.configuration.scale)}`,
    );
  }
  if (dtype !== 'uint16') throw badInput(file, 'pymecompress-quant16 on non-uint16 data');
  return { id: 'pymecompress-quant16', offset: offset as number, scale: scale as number };
}

/**
 * Checks pymecompress codecs in `meta`; returns the one pymecompress codec when it is the only
 * compression (`null`: no compression at all), `undefined` when other codecs take part.
 */
export function pymecompressCodec(
  file: string,
  meta: ArrayMeta,
  dtype: SampleDtype,
): CodecConfig | null | undefined {
  const own = compressors(meta);
  let found: CodecConfig | undefined;
  for (const c of own) {
    const id = bareName(c.name);
    if (id === 'pymecompress-quant16') found = quant16Config(file, c, dtype);
    else if (id === 'pymecompress-huffman') found = { id: 'pymecompress-huffman' };
  }
  checkOwnAttributes(file, found ?? null, meta.attributes);
  if (own.length === 0) return null;
  return own.length === 1 && found ? found : undefined;
}

/**
 * The largest chunk file worth reading for a chunk of `elements` samples of `itemSize` bytes:
 * exact for no compression and for the pymecompress codecs (the worst-case Huffman stream);
 * for other compressors raw + 1/8 + 64 KiB (blosc, zstd, zlib, gzip, lz4 and PZF's header and
 * chunk table all expand incompressible data by far less).
 */
export function chunkByteLimit(
  meta: ArrayMeta,
  codec: CodecConfig | null | undefined,
  elements: number,
  itemSize: number,
): number {
  const raw = elements * itemSize;
  if (codec === null) return raw + (meta.zarrFormat === 3 ? 64 : 0); // v3 crc32c-style trailers
  if (codec?.id === 'pymecompress-huffman') return maxHuffmanChunkBytes(raw);
  if (codec?.id === 'pymecompress-quant16') return maxHuffmanChunkBytes(elements);
  return raw + Math.ceil(raw / 8) + 65536;
}

/**
 * Arrays this CLI wrote record their quantization in `.zattrs` (`pymecompress.quantization`): a
 * compressor that disagrees (e.g. quant16 metadata put over lossless chunks) would decode to
 * garbage, so it is refused. Foreign arrays carry no such record and cannot be cross-checked.
 */
function checkOwnAttributes(
  dir: string,
  codec: CodecConfig | null,
  attributes: Record<string, unknown> | undefined,
): void {
  const own = attributes?.pymecompress as
    | { writer?: unknown; quantization?: { offset?: unknown; scale?: unknown } }
    | undefined;
  if (typeof own?.writer !== 'string' || !own.writer.startsWith('@pymecompress/cli')) return;
  const q = own.quantization;
  const quantized = codec?.id === 'pymecompress-quant16';
  if (quantized !== (q !== undefined && q !== null)) {
    throw badInput(
      dir,
      `.zarray compressor ${codec?.id ?? 'none'} disagrees with .zattrs (written ${q ? 'quantized' : 'lossless'} by ${own.writer})`,
    );
  }
  if (quantized && q && (q.offset !== codec.offset || q.scale !== codec.scale)) {
    throw badInput(
      dir,
      `.zarray quant16 offset/scale ${codec.offset}/${codec.scale} disagree with .zattrs ${String(q.offset)}/${String(q.scale)}`,
    );
  }
}
