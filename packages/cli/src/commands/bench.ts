/**
 * `pymecompress bench`: throughput of every backend and of the Python reference, measured in the
 * same run on the same seeded data, with ratios to the reference; plus a --threads scaling row.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@pymecompress/core-ts';
import {
  type BenchmarkCorpusKind,
  benchmarkCorpus,
  type CorpusFrame,
  syntheticCameraFrame,
} from '@pymecompress/core-ts/synthetic';
import { atomicOutput, checkOutput } from '../atomic.js';
import { availableBackends } from '../backends.js';
import { EXIT, usageError } from '../errors.js';
import { npyHeaderBytes } from '../npy.js';
import { printTable } from './demo.js';

export interface BenchOptions {
  json?: string | undefined;
  repeats?: string | undefined;
  frames?: string | undefined;
  'no-reference'?: boolean | undefined;
  'no-scaling'?: boolean | undefined;
}

/** Quantization of the threads-scaling stack (the dim corpus frame's dark level, scale 1). */
const OFFSET = 100;
const SCALE = 1;

/** The subset of @pymecompress/conformance's ReferenceWorker used here. */
interface RefWorker {
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
type DataKind = 'bytes' | 'symbols' | 'pixels';
const OPS = ['encode', 'decode', 'quantize+encode', 'quantize', 'dequantize'] as const;
type Op = (typeof OPS)[number];

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
const CASES: Array<{ op: Op; data: DataKind }> = [
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
async function measureReference(
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

const REFERENCE = 'python reference';
const REFERENCE_SCALAR = 'python ref. scalar body';

function referenceRate(rows: BenchRow[], r: Omit<BenchRow, 'mbps' | 'impl'>): number | undefined {
  return rows.find(
    (x) => x.impl === REFERENCE && x.frame === r.frame && x.data === r.data && x.op === r.op,
  )?.mbps;
}

/** Measure step, one backend: every case on every frame. */
function measureBackend(
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

/** The wasm backend when `@pymecompress/wasm` is importable (it is optional here). */
async function wasmEntry(): Promise<{ backend?: Backend; unavailable?: string }> {
  try {
    const modName = '@pymecompress/wasm';
    const wasm = (await import(modName)) as { init: () => Promise<Backend> };
    return { backend: await wasm.init() };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return {
      unavailable: /Cannot find (package|module)/.test(msg)
        ? '@pymecompress/wasm is not installed'
        : msg.split('\n')[0],
    };
  }
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

/** Print step. */
function printBench(corpus: CorpusFrame[], rows: BenchRow[], worst: WorstRatio[]): void {
  const table: string[][] = [];
  for (const f of corpus)
    for (const { op, data } of CASES)
      for (const r of rows.filter((x) => x.frame === f.kind && x.op === op && x.data === data))
        table.push([
          `${f.kind} ${f.width}x${f.height}`,
          data,
          op,
          r.impl,
          r.mbps.toFixed(0),
          r.vsReference === null
            ? 'n/a'
            : r.impl === REFERENCE
              ? '1.00 (ref)'
              : r.vsReference.toFixed(2),
          r.note ?? '',
        ]);
  console.log('');
  printTable(
    ['frame', 'data', 'operation', 'implementation', 'MB/s', 'vs reference', 'note'],
    table,
  );
  console.log('\nworst ratio to the reference over the corpus (every frame, both data kinds):');
  printTable(
    ['operation', 'implementation', 'worst', 'on'],
    worst.map((w) => [w.op, w.impl, `${w.worst.toFixed(2)}x`, `${w.frame} ${w.data}`]),
  );
}

export async function bench(o: BenchOptions): Promise<number> {
  const repeats = o.repeats === undefined ? 5 : Number(o.repeats);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 1000)
    throw usageError(`--repeats ${o.repeats}: expected an integer from 1 to 1000`);
  const scalingFrames = o.frames === undefined ? 200 : Number(o.frames);
  if (!Number.isInteger(scalingFrames) || scalingFrames < 2)
    throw usageError(`--frames ${o.frames}: expected an integer >= 2`);
  if (o.json) await checkOutput(o.json, true);

  const corpus = benchmarkCorpus();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `pymecompress bench: the benchmark corpus of core-ts/synthetic (${corpus.map((f) => `${f.kind} ${f.width}x${f.height} seed ${f.seed}`).join(', ')}); ` +
      `each as raw bytes (lossless) and quantized symbols (offset = dark level ${corpus[0]!.darkLevel}, scale 1); best of ${repeats}+; MB/s of uncompressed data`,
  );
  for (const f of corpus) console.log(`  ${f.kind}: ${f.description}`);
  const load = await otherCpuLoad();
  console.log(
    `machine: ${cpu}, ${availableParallelism()} cores, Node ${process.versions.node}; CPU used by other processes before the run: ${load.toFixed(2)} cores`,
  );
  if (load > 0.3) {
    console.log(
      `warning: the machine is busy (${load.toFixed(2)} cores in use by other processes): throughput and the threads speed-up are understated`,
    );
  }

  const { entries, nativeUnavailable } = await availableBackends();
  if (nativeUnavailable) console.log(`native backend unavailable: ${nativeUnavailable}`);
  const wasm = await wasmEntry();
  if (wasm.unavailable) console.log(`wasm backend unavailable: ${wasm.unavailable}`);

  // --- the Python reference (optional), first so ratios can be computed as rows are added -----
  let ref: RefWorker | undefined;
  let refInfo: Record<string, unknown> | undefined;
  let refUnavailable: string | undefined;
  if (o['no-reference']) refUnavailable = 'skipped (--no-reference)';
  else {
    try {
      const modName = '@pymecompress/conformance';
      const conf = (await import(modName)) as { startReferenceWorker: () => Promise<RefWorker> };
      ref = await conf.startReferenceWorker();
      refInfo = await ref.info();
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      refUnavailable = /Cannot find (package|module)/.test(msg)
        ? '@pymecompress/conformance is not installed (it is a workspace dev dependency)'
        : msg.split('\n')[0];
    }
  }
  if (ref && refInfo) {
    console.log(
      `reference: pymecompress ${String(refInfo.pymecompress)} (pip build from source), numcodecs ${String(refInfo.numcodecs)}, Python ${String(refInfo.python)}; ` +
        `its quantizer dispatch runs the '${String(refInfo.quantizer_dispatch_path)}' body on this CPU (bodies: ${(refInfo.quantizer_bodies as string[] | undefined)?.join(', ')}); ` +
        'it has no dequantize (PYME does that in numpy)',
    );
  } else {
    console.log(`reference: unavailable (${refUnavailable}); rows are printed without ratios`);
  }

  const rows: BenchRow[] = [];
  if (ref && refInfo) {
    try {
      rows.push(...(await measureReference(ref, refInfo, corpus, repeats)));
    } finally {
      await ref.close();
    }
  }
  const backends: Array<{ name: string; backend: Backend; activate(): void }> = [...entries];
  if (wasm.backend) backends.push({ name: 'wasm', backend: wasm.backend, activate: () => {} });
  for (const e of backends) {
    e.activate();
    for (const r of measureBackend(e.name, e.backend, corpus, repeats)) {
      const base = referenceRate(rows, r);
      rows.push({ ...r, vsReference: base === undefined ? null : r.mbps / base });
    }
  }
  const worst = worstRatios(rows);
  printBench(corpus, rows, worst);

  const ratios = corpus.map((f) => {
    const b = backends[0]!.backend;
    return {
      frame: f.kind,
      lossless: f.bytes.length / b.huffmanCompress(f.bytes).length,
      quantized: f.bytes.length / b.huffmanCompress(f.symbols).length,
    };
  });
  console.log('');
  printTable(
    ['frame', 'lossless ratio', 'quantized ratio (offset = dark level, scale 1)'],
    ratios.map((r) => [r.frame, `${r.lossless.toFixed(3)}x`, `${r.quantized.toFixed(3)}x`]),
  );

  // --- threads scaling --------------------------------------------------------------------------
  let scaling: Array<Record<string, unknown>> | undefined;
  if (!o['no-scaling']) scaling = await threadsScaling(scalingFrames);

  if (o.json) {
    await writeBenchJson(o.json, {
      corpus: corpus.map((f) => ({
        kind: f.kind,
        description: f.description,
        width: f.width,
        height: f.height,
        seed: f.seed,
        darkLevel: f.darkLevel,
        offset: f.offset,
        scale: f.scale,
      })),
      machine: {
        cpu,
        cores: availableParallelism(),
        node: process.versions.node,
        otherProcessesCores: load,
      },
      repeats,
      nativeUnavailable: nativeUnavailable ?? null,
      wasmUnavailable: wasm.unavailable ?? null,
      reference: refInfo ?? null,
      referenceUnavailable: refUnavailable ?? null,
      rows,
      worst,
      compressionRatios: ratios,
      threadsScaling: scaling ?? null,
    });
    console.log(`\nwrote ${o.json}`);
  }
  return EXIT.OK;
}

/** Write step: the whole result as JSON, committed atomically. */
async function writeBenchJson(path: string, result: Record<string, unknown>): Promise<void> {
  const out = atomicOutput(path);
  try {
    await writeFile(out.tempPath, `${JSON.stringify(result, null, 2)}\n`);
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/** Cores' worth of CPU time used over 0.5 s while this process sleeps (i.e. by others). */
async function otherCpuLoad(): Promise<number> {
  const total = () =>
    cpus().reduce(
      (acc, c) => {
        const t = c.times;
        acc.busy += t.user + t.nice + t.sys + t.irq;
        acc.all += t.user + t.nice + t.sys + t.irq + t.idle;
        return acc;
      },
      { busy: 0, all: 0 },
    );
  const a = total();
  await new Promise((r) => setTimeout(r, 500));
  const b = total();
  const all = b.all - a.all;
  return all > 0 ? ((b.busy - a.busy) / all) * cpus().length : 0;
}

/** Compresses an N-frame .npy stack to .zarr with the real CLI (1 thread, then all cores). */
async function threadsScaling(frames: number): Promise<Array<Record<string, unknown>>> {
  const size = 2048;
  const dir = await mkdtemp(join(tmpdir(), 'pymecompress-bench-'));
  const results: Array<Record<string, unknown>> = [];
  try {
    // 4 distinct seeded frames (seed 1 is the bench frame), repeated
    const distinct = Array.from({ length: 4 }, (_, i) =>
      syntheticCameraFrame({ width: size, height: size, seed: 1 + i, darkLevel: 100 }),
    );
    const file = join(dir, 'stack.npy');
    const header = npyHeaderBytes('uint16', [frames, size, size]);
    const { open } = await import('node:fs/promises');
    const fh = await open(file, 'w');
    await fh.write(header);
    for (let i = 0; i < frames; i++) {
      const f = distinct[i % distinct.length]!;
      await fh.write(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
    }
    await fh.close();
    const mb = (frames * size * size * 2) / 1e6;
    const bin = fileURLToPath(new URL('../bin.js', import.meta.url));
    const n = availableParallelism();
    const { entries } = await availableBackends();
    const backends = [
      'core-ts',
      ...(entries.some((e) => e.name.startsWith('native')) ? ['native'] : []),
    ];
    console.log(
      `\nthreads scaling: compress a ${frames}-frame ${size}x${size} uint16 .npy (${mb.toFixed(0)} MB) to .zarr with the CLI, offset ${OFFSET}, scale ${SCALE} (wall clock, best of 2)`,
    );
    const table: string[][] = [];
    for (const backend of backends) {
      const time = (threads: number): number => {
        const t = performance.now();
        const r = spawnSync(
          process.execPath,
          [
            bin,
            'compress',
            file,
            '-o',
            join(dir, 'out.zarr'),
            '--offset',
            String(OFFSET),
            '--scale',
            String(SCALE),
            '--backend',
            backend,
            '--threads',
            String(threads),
            '--force',
            '--quiet',
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
        if (r.status !== 0) throw new Error(`scaling run failed: ${r.stderr.toString()}`);
        return (performance.now() - t) / 1000;
      };
      const t1 = Math.min(time(1), time(1));
      const tn = Math.min(time(n), time(n));
      results.push({
        backend,
        frames,
        frameSize: size,
        megabytes: mb,
        threads: n,
        seconds1: t1,
        secondsN: tn,
        speedup: t1 / tn,
      });
      table.push([
        backend,
        `${(mb / t1).toFixed(0)} MB/s (${t1.toFixed(2)} s)`,
        `${(mb / tn).toFixed(0)} MB/s (${tn.toFixed(2)} s)`,
        `${(t1 / tn).toFixed(2)}x`,
      ]);
    }
    printTable(['backend', '--threads 1', `--threads ${n}`, 'speed-up'], table);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
