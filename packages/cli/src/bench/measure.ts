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
 * Warm-up before a function's first sample, long enough for V8 to reach its optimizing tier on
 * long single loops (one call is not: a decode of one frame can run mostly in a lower tier).
 * The C reference needs no warm-up; this keeps the comparison about steady-state speed.
 */
const WARM_UP_CALLS = 3;
const WARM_UP_MS = 300;

/**
 * Rounds per case: every implementation of a case (the reference's bodies and every backend)
 * takes one sample per round, in turn, and its best sample counts. On a shared machine a burst
 * of load or a slower clock then hits all of them alike instead of one backend's whole run:
 * measured one after the other, the same native decode (which does not depend on the dispatch
 * body) came out at 6.4x and 11.0x the reference in one run. Eight rounds rather than four (the
 * same calls in total, spread over more turns): slow phases of a shared machine last seconds,
 * and with four the three native decode rows, which run the same decoder, still differed by up
 * to 1.37x in one run (1.27x with eight, most cases within 1.1x).
 */
const ROUNDS = 8;

/**
 * Untimed calls at the start of every later sample: the core may have clocked down while the
 * other contenders (the reference runs in another process) had their turn, and a tile's sample
 * of a few milliseconds would otherwise run before the clock is back up (a 256x256 decode
 * measured ~0.7x of its speed alone).
 */
const SAMPLE_SPIN_MS = 15;

function warmUp(fn: () => unknown, calls: number, ms: number): void {
  const start = performance.now();
  for (let i = 0; i < calls || performance.now() - start < ms; i++) fn();
}

/** Best time in seconds of `repeats` calls. */
function bestOf(repeats: number, fn: () => unknown): number {
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

/** A backend as the bench runs it: `activate` selects its body (native dispatch) before a sample. */
export interface BenchBackend {
  name: string;
  backend: Backend;
  activate(): void;
}

/** One implementation of one case: takes a sample of `repeats` calls, in seconds. */
interface Contender {
  impl: string;
  note?: string;
  sample(repeats: number, first: boolean): Promise<number>;
}

/** The reference's implementations of a case (none for dequantize, which it does not have). */
async function referenceContenders(
  ref: RefWorker,
  refInfo: Record<string, unknown>,
  f: CorpusFrame,
  op: Op,
  data: DataKind,
): Promise<Contender[]> {
  const input = dataOf(f, data);
  const timed = (
    impl: string,
    refOp: string,
    payload: Uint8Array | Uint16Array,
    params: Record<string, unknown>,
    note?: string,
  ): Contender => ({
    impl,
    ...(note ? { note } : {}),
    sample: (repeats) => ref.time(refOp, payload, params, repeats),
  });
  if (op === 'encode') return [timed(REFERENCE, 'huffmanCompress', input, {})];
  if (op === 'decode') {
    const stream = await ref.huffmanCompress(input as Uint8Array);
    return [timed(REFERENCE, 'huffmanDecompress', stream, { outSize: input.length })];
  }
  if (op === 'dequantize') return [];
  const refOp = op === 'quantize' ? 'quantize' : 'huffmanCompressQuant';
  const q = { offset: f.offset, scale: f.scale };
  const dispatch = `dispatch: ${String(refInfo.quantizer_dispatch_path)}`;
  return [
    timed(REFERENCE, refOp, f.frame, { ...q, path: 'dispatch' }, dispatch),
    timed(REFERENCE_SCALAR, refOp, f.frame, { ...q, path: 'scalar' }),
  ];
}

/** A backend's implementation of a case. */
function backendContender(e: BenchBackend, f: CorpusFrame, op: Op, data: DataKind): Contender {
  const b = e.backend;
  const input = dataOf(f, data);
  let fn: () => unknown;
  if (op === 'encode') fn = () => b.huffmanCompress(input as Uint8Array);
  else if (op === 'decode') {
    const stream = b.huffmanCompress(input as Uint8Array);
    const out = new Uint8Array(input.length);
    fn = () => b.huffmanDecompress(stream, input.length, out);
  } else if (op === 'quantize+encode')
    fn = () => b.huffmanCompressQuant(f.frame, f.offset, f.scale);
  else if (op === 'quantize') {
    const out = new Uint8Array(f.frame.length);
    fn = () => b.quantize(f.frame, f.offset, f.scale, out);
  } else {
    const out = new Uint16Array(f.frame.length);
    fn = () => b.dequantize(f.symbols, f.offset, f.scale, out);
  }
  return {
    impl: e.name,
    sample: async (repeats, first) => {
      e.activate();
      warmUp(fn, first ? WARM_UP_CALLS : 1, first ? WARM_UP_MS : SAMPLE_SPIN_MS);
      return bestOf(repeats, fn);
    },
  };
}

/**
 * Measure step: every case on every frame, the reference (when there is one) and every backend
 * interleaved round by round (ROUNDS), each implementation's best sample counting; ratios to
 * the reference are filled in for every row that has one.
 */
export async function measureCorpus(
  ref: RefWorker | undefined,
  refInfo: Record<string, unknown> | undefined,
  corpus: CorpusFrame[],
  backends: BenchBackend[],
  repeats: number,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const f of corpus) {
    const perRound = Math.max(1, Math.ceil(repeatsFor(f, repeats) / ROUNDS));
    for (const { op, data } of CASES) {
      const contenders = [
        ...(ref && refInfo ? await referenceContenders(ref, refInfo, f, op, data) : []),
        ...backends.map((e) => backendContender(e, f, op, data)),
      ];
      const best = contenders.map(() => Infinity);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, c] of contenders.entries())
          best[i] = Math.min(best[i]!, await c.sample(perRound, round === 0));
      }
      const mb = megabytes(f, op, data);
      for (const [i, c] of contenders.entries())
        rows.push({
          frame: f.kind,
          data,
          op,
          impl: c.impl,
          mbps: mb / best[i]!,
          vsReference: null,
          ...(c.note ? { note: c.note } : {}),
        });
    }
  }
  for (const r of rows) {
    if (r.impl === REFERENCE) r.vsReference = 1;
    else {
      const base = referenceRate(rows, r);
      r.vsReference = base === undefined ? null : r.mbps / base;
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
