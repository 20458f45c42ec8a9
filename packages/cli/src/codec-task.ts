/**
 * The per-frame work, shared by the worker threads and the in-process path: encode a frame into a
 * numcodecs chunk (Huffman stream + uint32 trailer) or decode one back.
 */
import { type BackendName, Huffman, HuffmanQuant16, v2Dtype } from '@pymecompress/codecs';
import type { PixelDtype } from './npy.js';

export type CodecConfig =
  | { id: 'pymecompress-huffman' }
  | { id: 'pymecompress-quant16'; offset: number; scale: number };

export interface EncodeTask {
  op: 'encode';
  backend: BackendName;
  codec: CodecConfig;
  dtype: PixelDtype;
  /** The frame's pixels (native byte order). */
  data: Uint8Array | Uint16Array;
  /** Count the pixels above this value (saturating the quantizer), off the main thread. */
  countAbove?: number;
}

export interface DecodeTask {
  op: 'decode';
  backend: BackendName;
  codec: CodecConfig;
  dtype: PixelDtype;
  /** Pixels per frame. */
  pixels: number;
  chunk: Uint8Array;
}

export type Task = EncodeTask | DecodeTask;

export interface TaskResult {
  /** Encoded chunk bytes, or decoded pixels. */
  data: Uint8Array | Uint16Array;
  /** Pixels above `countAbove` (encode tasks that asked for it), else 0. */
  saturated: number;
  /** An encode task's input, handed back so its buffer can be reused for the next frame. */
  input?: Uint8Array | Uint16Array;
}

export function runTask(task: Task): TaskResult {
  if (task.op === 'decode') return { data: runDecode(task), saturated: 0 };
  let saturated = 0;
  const level = task.countAbove;
  if (level !== undefined && level < 65535) {
    const d = task.data;
    for (let i = 0; i < d.length; i++) if (d[i]! > level) saturated++;
  }
  return { data: runEncode(task), saturated, input: task.data };
}

function makeCodec(task: Task): Huffman | HuffmanQuant16 {
  const pixels = task.op === 'encode' ? task.data.length : task.pixels;
  const dtype = v2Dtype(task.dtype); // codecs' one numpy spelling ('|u1', '<u2')
  if (task.codec.id === 'pymecompress-huffman') {
    return new Huffman({ backend: task.backend, dtype, chunkShape: [pixels] });
  }
  return new HuffmanQuant16({
    backend: task.backend,
    offset: task.codec.offset,
    scale: task.codec.scale,
    dtype,
    chunkShape: [pixels],
  });
}

/** Encodes a frame; returns the chunk bytes. */
export function runEncode(task: EncodeTask): Uint8Array {
  return makeCodec(task).encodeSync(task.data);
}

/** Decodes a chunk; returns the frame's pixels. */
export function runDecode(task: DecodeTask): Uint8Array | Uint16Array {
  const codec = makeCodec(task);
  // No `out` buffer: the codec then checks the trailer against the chunk's size and reports a
  // mismatch as a corrupt stream (with `out` it would be an argument error).
  if (codec instanceof HuffmanQuant16) return codec.decodeUint16Sync(task.chunk);
  const bytes = codec.decodeSync(task.chunk);
  if (task.dtype === 'uint8') return bytes;
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
}
