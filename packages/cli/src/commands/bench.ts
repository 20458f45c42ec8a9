/**
 * `pymecompress bench`: throughput of every backend and of the Python reference, measured in the
 * same run on the same seeded data, with ratios to the reference; plus a --threads scaling row.
 * The steps live in ../bench/: measure.ts, print.ts, scaling.ts, write.ts.
 */
import { availableParallelism, cpus } from 'node:os';
import { benchmarkCorpus, type CorpusFrame } from '@pymecompress/core-ts/synthetic';
import { checkOutput } from '../atomic.js';
import { availableBackends } from '../backends.js';
import {
  type BenchBackend,
  type BenchRow,
  compressionRatios,
  measureCorpus,
  type RefWorker,
  worstRatios,
} from '../bench/measure.js';
import { printBench, printRatios } from '../bench/print.js';
import { otherCpuLoad, threadsScaling } from '../bench/scaling.js';
import { writeBenchJson } from '../bench/write.js';
import { EXIT, usageError } from '../errors.js';
import { parseInteger } from '../options.js';

export interface BenchOptions {
  json?: string | undefined;
  repeats?: string | undefined;
  frames?: string | undefined;
  'no-reference'?: boolean | undefined;
  'no-scaling'?: boolean | undefined;
}

/** The Python reference worker (@pymecompress/conformance, optional), or why it is unavailable. */
async function startReference(
  skip: boolean,
): Promise<{ ref?: RefWorker; refInfo?: Record<string, unknown>; refUnavailable?: string }> {
  if (skip) return { refUnavailable: 'skipped (--no-reference)' };
  try {
    const modName = '@pymecompress/conformance';
    const conf = (await import(modName)) as { startReferenceWorker: () => Promise<RefWorker> };
    const ref = await conf.startReferenceWorker();
    return { ref, refInfo: await ref.info() };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return {
      refUnavailable: /Cannot find (package|module)/.test(msg)
        ? '@pymecompress/conformance is not installed (it is a workspace dev dependency)'
        : msg.split('\n')[0],
    };
  }
}

function printIntro(corpus: CorpusFrame[], repeats: number, cpu: string, load: number): void {
  console.log(
    `pymecompress bench: the benchmark corpus of core-ts/synthetic (${corpus.map((f) => `${f.kind} ${f.width}x${f.height} seed ${f.seed}`).join(', ')}); ` +
      `each as raw bytes (lossless) and quantized symbols (offset = dark level ${corpus[0]!.darkLevel}, scale 1); best of ${repeats}+ calls, the reference and every backend taking turns case by case; MB/s of uncompressed data`,
  );
  for (const f of corpus) console.log(`  ${f.kind}: ${f.description}`);
  console.log(
    `machine: ${cpu}, ${availableParallelism()} cores, Node ${process.versions.node}; CPU used by other processes before the run: ${load.toFixed(2)} cores`,
  );
  if (load > 0.3) {
    console.log(
      `warning: the machine is busy (${load.toFixed(2)} cores in use by other processes): throughput and the threads speed-up are understated`,
    );
  }
}

function printReference(refInfo: Record<string, unknown> | undefined, why?: string): void {
  if (refInfo) {
    console.log(
      `reference: pymecompress ${String(refInfo.pymecompress)} (pip build from source), numcodecs ${String(refInfo.numcodecs)}, Python ${String(refInfo.python)}; ` +
        `its quantizer dispatch runs the '${String(refInfo.quantizer_dispatch_path)}' body on this CPU (bodies: ${(refInfo.quantizer_bodies as string[] | undefined)?.join(', ')}); ` +
        'it has no dequantize (PYME does that in numpy)',
    );
  } else {
    console.log(`reference: unavailable (${why}); rows are printed without ratios`);
  }
}

export async function bench(o: BenchOptions): Promise<number> {
  const repeats = parseInteger('repeats', o.repeats, 1, 1000) ?? 5;
  const scalingFrames = o.frames === undefined ? 200 : Number(o.frames);
  if (!Number.isInteger(scalingFrames) || scalingFrames < 2)
    throw usageError(`--frames ${o.frames}: expected an integer >= 2`);
  if (o.json) await checkOutput(o.json, true);

  const corpus = benchmarkCorpus();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = await otherCpuLoad();
  printIntro(corpus, repeats, cpu, load);

  const { entries, nativeUnavailable, wasmUnavailable } = await availableBackends();
  if (nativeUnavailable) console.log(`native backend unavailable: ${nativeUnavailable}`);
  if (wasmUnavailable) console.log(`wasm backend unavailable: ${wasmUnavailable}`);

  // The reference and every backend, interleaved case by case (bench/measure.ts).
  const { ref, refInfo, refUnavailable } = await startReference(o['no-reference'] === true);
  printReference(refInfo, refUnavailable);
  const backends: BenchBackend[] = entries;
  let rows: BenchRow[];
  try {
    rows = await measureCorpus(ref, refInfo, corpus, backends, repeats);
  } finally {
    await ref?.close();
  }
  const worst = worstRatios(rows);
  printBench(corpus, rows, worst);
  const ratios = compressionRatios(corpus, backends[0]!.backend);
  printRatios(ratios);

  const scaling = o['no-scaling'] ? undefined : await threadsScaling(scalingFrames);

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
      wasmUnavailable: wasmUnavailable ?? null,
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
