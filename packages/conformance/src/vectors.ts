/** Loader for the committed vectors (vectors/manifest.json, written by python/generate_vectors.py). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const vectorsDir: string = fileURLToPath(new URL('../vectors/', import.meta.url));

export interface HuffmanVector {
  kind: 'huffman';
  name: string;
  size: number;
  inputSha256: string;
  distinctSymbols: number;
  maxCodeLength: number;
  treeBits: number;
  streamLength: number;
  streamSha256: string;
  stream: string;
  /** Deepest code <= 25 bits: the reference's stream is the format's definition. */
  referenceDefined: boolean;
  referenceRoundTrips: boolean;
  /** Stored for small inputs and where the reference's stream is wrong; else recovered by decoding. */
  input?: string;
  note?: string;
}

export interface QuantizeVector {
  kind: 'quantize';
  name: string;
  offset: number;
  scale: number;
  /** x in [definedLo, definedHi]: x >= offset and r < 255.5, where the reference is defined. */
  definedLo: number;
  definedHi: number;
  /** The reference's scalar C body on x = 0..65535. */
  scalar: string;
  /** The reference's AVX body (what its Python API dispatches to on AVX CPUs). */
  avx: string;
  avxDiffersInDefined: number;
  avxMaxAbsDiffInDefined: number;
}

export interface QuantStreamVector {
  kind: 'quantStream';
  name: string;
  input: string;
  count: number;
  offset: number;
  scale: number;
  referenceDefined: boolean;
  scalarEqualsContract: boolean;
  contractQuantizedSha256: string;
  scalarStream: string;
  scalarQuantizedSha256: string;
  dispatchPath: string;
  dispatchStream: string;
  dispatchQuantizedSha256: string;
}

export interface CodecVector {
  kind: 'codec';
  name: string;
  codec: 'huffman' | 'quant16';
  config: Record<string, unknown>;
  dtype: string;
  elements: number;
  input: string;
  encoded: string;
  trailer: number;
  deterministic: boolean;
  pythonDecoded?: string;
  pythonDecodeError?: string;
  quantizedSha256?: string;
  quantizedMatchesDispatch?: boolean;
  note?: string;
}

export interface DequantizeVector {
  kind: 'dequantize';
  name: string;
  offset: number;
  scale: number;
  formula: string;
  /** Per q = 0..255: numpy's result is in 0..65535 (elsewhere its uint16 cast is undefined). */
  inRange: boolean[];
  /** uint16 LE, q = 0..255, as numpy computes PYME's formula. */
  values: string;
}

export type Vector =
  | HuffmanVector
  | QuantizeVector
  | QuantStreamVector
  | CodecVector
  | DequantizeVector;

export interface Manifest {
  format: number;
  generator: string;
  seed: number;
  reference: Record<string, unknown> & { version: string; quantizerDispatchPath: string };
  vectors: Vector[];
}

let manifest: Manifest | undefined;

export function loadManifest(dir: string = vectorsDir): Manifest {
  if (dir === vectorsDir && manifest) return manifest;
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  if (dir === vectorsDir) manifest = m;
  return m;
}

/** A vector payload file's raw bytes (gunzipped if stored as .gz). */
export function readVectorFile(rel: string, dir: string = vectorsDir): Uint8Array {
  const raw = readFileSync(join(dir, rel));
  const b = rel.endsWith('.gz') ? gunzipSync(raw) : raw;
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Little-endian uint16 view of a payload file (copied so it is 2-byte aligned). */
export function readVectorU16(rel: string, dir: string = vectorsDir): Uint16Array {
  const b = readVectorFile(rel, dir);
  const out = new Uint16Array(b.length >> 1);
  new Uint8Array(out.buffer).set(b.subarray(0, out.length * 2));
  return out;
}

export function sha256(data: Uint8Array | Uint16Array): string {
  return createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');
}

export function vectorsOfKind<K extends Vector['kind']>(
  kind: K,
  m: Manifest = loadManifest(),
): Extract<Vector, { kind: K }>[] {
  return m.vectors.filter((v): v is Extract<Vector, { kind: K }> => v.kind === kind);
}
