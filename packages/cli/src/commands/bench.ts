/**
 * `pymecompress bench`: throughput of every backend and of the Python reference, measured in the
 * same run on the same seeded data, with ratios to the reference; plus a --threads scaling row.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Huffman, HuffmanQuant16 } from '@pymecompress/codecs';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
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

interface Row {
  op: string;
  impl: string;
  mbps: number | null;
  /** This row's throughput divided by the reference's (pip build) for the same op. */
  vsReference: number | null;
  note?: string;
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

export async function bench(o: BenchOptions): Promise<number> {
  const repeats = o.repeats === undefined ? 5 : Number(o.repeats);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 1000)
    throw usageError(`--repeats ${o.repeats}: expected an integer from 1 to 1000`);
  const scalingFrames = o.frames === undefined ? 200 : Number(o.frames);
  if (!Number.isInteger(scalingFrames) || scalingFrames < 2)
    throw usageError(`--frames ${o.frames}: expected an integer >= 2`);
  if (o.json) await checkOutput(o.json, true);

  const frame = syntheticCameraFrame({ width: 2048, height: 2048, seed: 1, darkLevel: 100 });
  const bytes = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  const MB = bytes.length / 1e6;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `pymecompress bench: 2048x2048 synthetic camera frame (core-ts/synthetic, seed 1, dark level 100), ${MB.toFixed(2)} MB uint16; ` +
      `offset ${OFFSET}, scale ${SCALE}; best of ${repeats}; MB/s of uncompressed data`,
  );
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

  // --- the Python reference (optional) --------------------------------------------------------
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
        `its quantizer dispatch runs the '${String(refInfo.quantizer_dispatch_path)}' body on this CPU (bodies: ${(refInfo.quantizer_bodies as string[] | undefined)?.join(', ')})`,
    );
  } else {
    console.log(`reference: unavailable (${refUnavailable}); rows are printed without ratios`);
  }

  const ops = [
    'huffman encode',
    'huffman decode',
    'quantize',
    'quantize+encode',
    'codec huffman encode',
    'codec huffman decode',
    'codec quant16 encode',
    'codec quant16 decode',
  ] as const;
  type Op = (typeof ops)[number];
  const rows: Row[] = [];
  const ratios: Array<{ impl: string; lossless: number; quantized: number }> = [];

  // reference first, so that ratios can be computed as rows are added
  const refMbps = new Map<Op, number>();
  if (ref) {
    const stream = await ref.huffmanCompress(bytes);
    const qstream = await ref.huffmanCompressQuant(frame, OFFSET, SCALE, 'dispatch');
    const hEnc = await ref.codecEncode('huffman', bytes, { id: 'pymecompress-huffman' }, 'u1');
    const qcfg = { id: 'pymecompress-quant16', offset: OFFSET, scale: SCALE };
    const qEnc = await ref.codecEncode('quant16', frame, qcfg, '<u2');
    ratios.push({
      impl: 'python reference',
      lossless: bytes.length / stream.length,
      quantized: bytes.length / qstream.length,
    });
    const t = async (
      op: string,
      payload: Uint8Array | Uint16Array,
      params: Record<string, unknown>,
    ) => MB / (await ref!.time(op, payload, params, repeats));
    const measured: Array<[Op, string, number, string?]> = [
      ['huffman encode', 'python reference', await t('huffmanCompress', bytes, {})],
      [
        'huffman decode',
        'python reference',
        await t('huffmanDecompress', stream, { outSize: bytes.length }),
      ],
      [
        'quantize',
        'python reference',
        await t('quantize', frame, { offset: OFFSET, scale: SCALE, path: 'dispatch' }),
        `dispatch: ${String(refInfo?.quantizer_dispatch_path)}`,
      ],
      [
        'quantize',
        'python ref. scalar body',
        await t('quantize', frame, { offset: OFFSET, scale: SCALE, path: 'scalar' }),
      ],
      [
        'quantize+encode',
        'python reference',
        await t('huffmanCompressQuant', frame, { offset: OFFSET, scale: SCALE, path: 'dispatch' }),
        `dispatch: ${String(refInfo?.quantizer_dispatch_path)}`,
      ],
      [
        'quantize+encode',
        'python ref. scalar body',
        await t('huffmanCompressQuant', frame, { offset: OFFSET, scale: SCALE, path: 'scalar' }),
      ],
      [
        'codec huffman encode',
        'python reference',
        await t('codecEncode', bytes, {
          codec: 'huffman',
          config: { id: 'pymecompress-huffman' },
          dtype: 'u1',
        }),
      ],
      [
        'codec huffman decode',
        'python reference',
        await t('codecDecode', hEnc, { codec: 'huffman', config: { id: 'pymecompress-huffman' } }),
      ],
      [
        'codec quant16 encode',
        'python reference',
        await t('codecEncode', frame, { codec: 'quant16', config: qcfg, dtype: '<u2' }),
        'quantizes 2N values (Python bug)',
      ],
      [
        'codec quant16 decode',
        'python reference',
        await t('codecDecode', qEnc, { codec: 'quant16', config: qcfg }),
        'decodes 2N symbols',
      ],
    ];
    for (const [op, impl, mbps, note] of measured) {
      if (impl === 'python reference') refMbps.set(op, mbps);
      rows.push({ op, impl, mbps, vsReference: null, ...(note ? { note } : {}) });
    }
    await ref.close();
  }

  for (const e of entries) {
    e.activate();
    const b = e.backend;
    const stream = b.huffmanCompress(bytes);
    const qstream = b.huffmanCompressQuant(frame, OFFSET, SCALE);
    ratios.push({
      impl: e.name,
      lossless: bytes.length / stream.length,
      quantized: bytes.length / qstream.length,
    });
    const hc = new Huffman({ backend: b, dtype: '|u1', chunkShape: [bytes.length] });
    const qc = new HuffmanQuant16({
      backend: b,
      offset: OFFSET,
      scale: SCALE,
      dtype: '<u2',
      chunkShape: [frame.length],
    });
    const hEnc = hc.encodeSync(bytes);
    const qEnc = qc.encodeSync(frame);
    const out8 = new Uint8Array(bytes.length);
    const q8 = new Uint8Array(frame.length);
    const outU16 = new Uint16Array(frame.length);
    const fns: Array<[Op, () => unknown]> = [
      ['huffman encode', () => b.huffmanCompress(bytes)],
      ['huffman decode', () => b.huffmanDecompress(stream, bytes.length, out8)],
      ['quantize', () => b.quantize(frame, OFFSET, SCALE, q8)],
      ['quantize+encode', () => b.huffmanCompressQuant(frame, OFFSET, SCALE)],
      ['codec huffman encode', () => hc.encodeSync(bytes)],
      ['codec huffman decode', () => hc.decodeSync(hEnc, out8)],
      ['codec quant16 encode', () => qc.encodeSync(frame)],
      ['codec quant16 decode', () => qc.decodeSync(qEnc, outU16)],
    ];
    for (const [op, fn] of fns) {
      const mbps = MB / best(repeats, fn);
      const r = refMbps.get(op);
      rows.push({ op, impl: e.name, mbps, vsReference: r ? mbps / r : null });
    }
  }

  // print, grouped by op
  const table: string[][] = [];
  for (const op of ops) {
    for (const r of rows.filter((x) => x.op === op)) {
      table.push([
        r.op,
        r.impl,
        r.mbps === null ? '-' : r.mbps.toFixed(0),
        r.impl.startsWith('python')
          ? r.impl === 'python reference'
            ? '1.00 (ref)'
            : (r.mbps! / refMbps.get(op as Op)!).toFixed(2)
          : r.vsReference === null
            ? 'n/a'
            : r.vsReference.toFixed(2),
        r.note ?? '',
      ]);
    }
  }
  console.log('');
  printTable(['operation', 'implementation', 'MB/s', 'vs reference', 'note'], table);
  console.log('');
  printTable(
    ['implementation', 'lossless ratio', `quantized ratio (offset ${OFFSET}, scale ${SCALE})`],
    ratios.map((r) => [r.impl, `${r.lossless.toFixed(3)}x`, `${r.quantized.toFixed(3)}x`]),
  );

  // --- threads scaling --------------------------------------------------------------------------
  let scaling: Array<Record<string, unknown>> | undefined;
  if (!o['no-scaling']) scaling = await threadsScaling(scalingFrames);

  if (o.json) {
    const out = atomicOutput(o.json);
    try {
      await writeFile(
        out.tempPath,
        `${JSON.stringify(
          {
            data: {
              width: 2048,
              height: 2048,
              seed: 1,
              darkLevel: 100,
              offset: OFFSET,
              scale: SCALE,
              megabytes: MB,
            },
            machine: {
              cpu,
              cores: availableParallelism(),
              node: process.versions.node,
              otherProcessesCores: load,
            },
            repeats,
            nativeUnavailable: nativeUnavailable ?? null,
            reference: refInfo ?? null,
            referenceUnavailable: refUnavailable ?? null,
            rows,
            compressionRatios: ratios,
            threadsScaling: scaling ?? null,
          },
          null,
          2,
        )}\n`,
      );
      await out.commit();
    } catch (err) {
      await out.abort();
      throw err;
    }
    console.log(`\nwrote ${o.json}`);
  }
  return EXIT.OK;
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
