/**
 * `pymecompress bench`, measure step: every backend and the Python reference on every corpus
 * frame and data kind, in the same run (ratios, not absolute speeds, are what compare).
 */
import type { Backend } from '@pymecompress/core-ts';
import type { BenchmarkCorpusKind, CorpusFrame } from '@pymecompress/core-ts/synthetic';

/** The subset of @pymecompress/conformance's ReferenceWorker used here. */
export interface RefWorker {
  info(): Promise<Record<string, unknown>>;
  huffmanCompress(data: Uint8Array): Promise<Uint8Array>;
  codecEncode(
    codec: 'huffman' | 'quant16',
    data: Uint8Array | Uint16Array,
    config?: Record<string, unknown>,
    dtype?: string,
  ): Promise<Uint8Array>;
  huffmanCompressQuant(
    data: Uint16Array,
    offset: number,
    scale: number,
    path?: string,
  ): Promise<Uint8Array>;
  time(
    op: string,
    payload: Uint8Array | Uint16Array,
    params?: Record<string, unknown>,
    repeats?: number,
  ): Promise<number>;
  close(): Promise<void>;
}

/** What a row's input is: the frame's raw bytes, its quantized symbols, or its uint16 pixels. */
export type DataKind = 'bytes' | 'symbols' | 'pixels';
export const OPS = ['encode', 'decode', 'quantize+encode', 'quantize', 'dequantize'] as const;
export type Op = (typeof OPS)[number];

export interface BenchRow {
  frame: BenchmarkCorpusKind;
  data: DataKind;
  op: Op;
  impl: string;
  mbps: number;
  /** This row's throughput divided by the reference's (pip build) for the same frame, data, op. */
  vsReference: number | null;
  note?: string;
}

export interface WorstRatio {
  op: Op;
  impl: string;
  worst: number;
  frame: BenchmarkCorpusKind;
  data: DataKind;
}

/**
 * Best time of `repeats` calls, after a warm-up long enough for V8 to reach its optimizing tier
 * on long single loops (one call is not: a decode of one frame can run mostly in a lower tier).
 * The C reference needs no warm-up; this keeps the comparison about steady-state speed.
 */
const WARM_UP_CALLS = 3;
const WARM_UP_MS = 300;

function best(repeats: number, fn: () => unknown): number {
  const warmUpStart = performance.now();
  for (let i = 0; i < WARM_UP_CALLS || performance.now() - warmUpStart < WARM_UP_MS; i++) fn();
  let b = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    b = Math.min(b, performance.now() - t);
  }
  return b / 1000;
}

/** Small frames get more repetitions, so each row times about the same amount of data. */
function repeatsFor(f: CorpusFrame, repeats: number): number {
  return repeats * Math.max(1, Math.round(2e6 / f.bytes.length));
}

function dataOf(f: CorpusFrame, data: DataKind): Uint8Array | Uint16Array {
  return data === 'bytes' ? f.bytes : data === 'symbols' ? f.symbols : f.frame;
}

/** Every (op, data) pair measured per frame; `mb` is the uncompressed size the rate refers to. */
export const CASES: Array<{ op: Op; data: DataKind }> = [
  { op: 'encode', data: 'bytes' },
  { op: 'encode', data: 'symbols' },
  { op: 'decode', data: 'bytes' },
  { op: 'decode', data: 'symbols' },
  { op: 'quantize+encode', data: 'pixels' },
  { op: 'quantize', data: 'pixels' },
  { op: 'dequantize', data: 'symbols' },
];

function megabytes(f: CorpusFrame, op: Op, data: DataKind): number {
  // Quantizer rows count the uint16 pixels they read or write; coder rows the bytes coded.
  return (op === 'dequantize' ? f.bytes.length : dataOf(f, data).byteLength) / 1e6;
}

/** Measure step, reference: every case the reference has, on every frame (as many calls). */
export async function measureReference(
  ref: RefWorker,
  refInfo: Record<string, unknown>,
  corpus: CorpusFrame[],
  repeats: number,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dispatch = `dispatch: ${String(refInfo.quantizer_dispatch_path)}`;
  for (const f of corpus) {
    const reps = repeatsFor(f, repeats);
    const q = { offset: f.offset, scale: f.scale };
    const add = async (
      op: Op,
      data: DataKind,
      impl: string,
      refOp: string,
      payload: Uint8Array | Uint16Array,
      params: Record<string, unknown>,
      note?: string,
    ) => {
      const mbps = megabytes(f, op, data) / (await ref.time(refOp, payload, params, reps));
      rows.push({
        frame: f.kind,
        data,
        op,
        impl,
        mbps,
        vsReference: null,
        ...(note ? { note } : {}),
      });
    };
    for (const data of ['bytes', 'symbols'] as const) {
      const input = dataOf(f, data) as Uint8Array;
      await add('encode', data, REFERENCE, 'huffmanCompress', input, {});
      const stream = await ref.huffmanCompress(input);
      await add('decode', data, REFERENCE, 'huffmanDecompress', stream, { outSize: input.length });
    }
    for (const path of ['dispatch', 'scalar'] as const) {
      const impl = path === 'dispatch' ? REFERENCE : REFERENCE_SCALAR;
      const note = path === 'dispatch' ? dispatch : undefined;
      await add(
        'quantize+encode',
        'pixels',
        impl,
        'huffmanCompressQuant',
        f.frame,
        { ...q, path },
        note,
      );
      await add('quantize', 'pixels', impl, 'quantize', f.frame, { ...q, path }, note);
    }
  }
  for (const r of rows) r.vsReference = r.impl === REFERENCE ? 1 : null;
  for (const r of rows.filter((x) => x.impl === REFERENCE_SCALAR)) {
    const base = referenceRate(rows, r);
    r.vsReference = base === undefined ? null : r.mbps / base;
  }
  return rows;
}

export const REFERENCE = 'python reference';
export const REFERENCE_SCALAR = 'python ref. scalar body';

export function referenceRate(
  rows: BenchRow[],
  r: Omit<BenchRow, 'mbps' | 'impl'>,
): number | undefined {
  return rows.find(
    (x) => x.impl === REFERENCE && x.frame === r.frame && x.data === r.data && x.op === r.op,
  )?.mbps;
}

/** Measure step, one backend: every case on every frame. */
export function measureBackend(
  name: string,
  b: Backend,
  corpus: CorpusFrame[],
  repeats: number,
): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const f of corpus) {
    const reps = repeatsFor(f, repeats);
    const out8 = new Uint8Array(f.bytes.length);
    const out16 = new Uint16Array(f.frame.length);
    const streams = { bytes: b.huffmanCompress(f.bytes), symbols: b.huffmanCompress(f.symbols) };
    for (const { op, data } of CASES) {
      const input = dataOf(f, data);
      let fn: () => unknown;
      if (op === 'encode') fn = () => b.huffmanCompress(input as Uint8Array);
      else if (op === 'decode') {
        const stream = streams[data as 'bytes' | 'symbols'];
        fn = () => b.huffmanDecompress(stream, input.length, out8);
      } else if (op === 'quantize+encode')
        fn = () => b.huffmanCompressQuant(f.frame, f.offset, f.scale);
      else if (op === 'quantize') fn = () => b.quantize(f.frame, f.offset, f.scale, out8);
      else fn = () => b.dequantize(f.symbols, f.offset, f.scale, out16);
      const mbps = megabytes(f, op, data) / best(reps, fn);
      rows.push({ frame: f.kind, data, op, impl: name, mbps, vsReference: null });
    }
  }
  return rows;
}

/** The worst ratio to the reference per operation and backend, over every frame and data kind. */
export function worstRatios(rows: BenchRow[]): WorstRatio[] {
  const worst = new Map<string, WorstRatio>();
  for (const r of rows) {
    if (r.vsReference === null || r.impl === REFERENCE) continue;
    const key = `${r.op}\u0000${r.impl}`;
    const w = worst.get(key);
    if (w === undefined || r.vsReference < w.worst)
      worst.set(key, {
        op: r.op,
        impl: r.impl,
        worst: r.vsReference,
        frame: r.frame,
        data: r.data,
      });
  }
  return OPS.flatMap((op) => [...worst.values()].filter((w) => w.op === op));
}

/** Compression ratios of every corpus frame, lossless and quantized, with `b`. */
export function compressionRatios(
  corpus: CorpusFrame[],
  b: Backend,
): Array<{ frame: BenchmarkCorpusKind; lossless: number; quantized: number }> {
  return corpus.map((f) => ({
    frame: f.kind,
    lossless: f.bytes.length / b.huffmanCompress(f.bytes).length,
    quantized: f.bytes.length / b.huffmanCompress(f.symbols).length,
  }));
}
