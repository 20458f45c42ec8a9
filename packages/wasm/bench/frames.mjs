// The benchmark corpus (@pymecompress/core-ts/synthetic: dim, bright, sparse, tile, seeded) and
// the timing shared by the Node bench and the browser bench. Each frame is measured as raw
// uint16 bytes (lossless) and as quantized symbols (offset = dark level, scale 1).
import { coreBackend } from '@pymecompress/core-ts';
import { benchmarkCorpus } from '@pymecompress/core-ts/synthetic';
import { init, wasmInfo } from '@pymecompress/wasm';

export function corpusFrames() {
  return benchmarkCorpus().map((c) => ({
    name: `${c.kind} ${c.width}x${c.height}`,
    frame: c.frame,
    bytes: c.bytes,
    symbols: c.symbols,
    offset: c.offset,
    scale: c.scale,
  }));
}

/**
 * MB/s of `bytes` for each function of `fns` (name -> fn), measured interleaved: after a
 * warm-up of each (long enough for the engine's optimizing tier to take over), short samples of
 * every function alternate round by round and the fastest sample of each counts. On a shared,
 * noisy machine a burst of load then hits all of them alike, and short samples are the ones
 * most likely to run without being preempted, so the ratios hold even when the absolute
 * numbers do not. A sample repeats its function until it lasts >= ~5 ms (coarse browser clocks
 * tick at 0.1 ms).
 */
export function compare(bytes, fns, seconds = 2) {
  const names = Object.keys(fns);
  const per = {};
  for (const n of names) {
    const warm = performance.now();
    let reps = 0;
    while (performance.now() - warm < 150 || reps < 3) {
      fns[n]();
      reps++;
    }
    per[n] = Math.max(1, Math.ceil(5 / ((performance.now() - warm) / reps)));
  }
  const best = Object.fromEntries(names.map((n) => [n, Infinity]));
  const start = performance.now();
  let rounds = 0;
  while (performance.now() - start < seconds * 1000 || rounds < 5) {
    for (const n of names) {
      const t0 = performance.now();
      for (let i = 0; i < per[n]; i++) fns[n]();
      best[n] = Math.min(best[n], (performance.now() - t0) / per[n]);
    }
    rounds++;
  }
  return Object.fromEntries(names.map((n) => [n, bytes / 1e6 / (best[n] / 1000)]));
}

/** The operations: name, input size in bytes, and a run function for a backend. */
export function operations(f, core) {
  const rawStream = core.huffmanCompress(f.bytes);
  const quantStream = core.huffmanCompress(f.symbols);
  return [
    {
      op: 'decode raw',
      bytes: f.bytes.length,
      run: (b) => b.huffmanDecompress(rawStream, f.bytes.length),
    },
    {
      op: 'decode quantized',
      bytes: f.symbols.length,
      run: (b) => b.huffmanDecompress(quantStream, f.symbols.length),
    },
    { op: 'encode raw', bytes: f.bytes.length, run: (b) => b.huffmanCompress(f.bytes) },
    { op: 'encode quantized', bytes: f.symbols.length, run: (b) => b.huffmanCompress(f.symbols) },
    {
      op: 'quantize+encode',
      bytes: f.bytes.length,
      run: (b) => b.huffmanCompressQuant(f.frame, f.offset, f.scale),
    },
  ];
}

export function opKind(op) {
  return op.startsWith('decode')
    ? 'decode'
    : op.startsWith('encode')
      ? 'encode'
      : 'quantize+encode';
}

/**
 * The bench of both hosts: one pass per wasm build (switching builds instantiates again, so a
 * build stays loaded for its whole pass), each
 * operation of each corpus frame timed with `compare` against core-ts and the `others`
 * (name -> backend) given for that build; `only` (an opKind) keeps the operations of one kind.
 * Rows: { frame, op, [build]: { core, wasm, ... } }.
 */
export async function runPasses(builds, others = () => ({}), only = undefined) {
  const frames = corpusFrames();
  const rows = [];
  for (const build of builds) {
    const w = await init({ build });
    if (wasmInfo().build !== build) throw new Error(`build ${build} not selected`);
    const extra = others(build);
    let i = 0;
    for (const f of frames) {
      for (const o of operations(f, coreBackend)) {
        if (only !== undefined && opKind(o.op) !== only) continue;
        const fns = { core: () => o.run(coreBackend), wasm: () => o.run(w) };
        for (const [name, b] of Object.entries(extra)) fns[name] = () => o.run(b);
        rows[i] ??= { frame: f.name, op: o.op };
        rows[i][build] = compare(o.bytes, fns);
        i++;
      }
    }
  }
  return rows;
}

/**
 * Where a decode's time goes, for the bench's explanation of the decode ratio (not a target):
 * each large frame's raw bytes decoded by core-ts and wasm into a fresh array (as the rows
 * above) and into one reused `out`, and a fresh array of the frame's size allocated and
 * written once per 4 KiB page (what any decoder returning a new array pays first). MB/s of
 * output, measured interleaved like the rows.
 */
export async function decodeBreakdown(build = 'simd') {
  const w = await init({ build });
  const rows = [];
  for (const f of corpusFrames()) {
    if (f.bytes.length < 1 << 20) continue;
    const stream = coreBackend.huffmanCompress(f.bytes);
    const n = f.bytes.length;
    const coreOut = new Uint8Array(n);
    const wasmOut = new Uint8Array(n);
    const mbs = compare(n, {
      coreFresh: () => coreBackend.huffmanDecompress(stream, n),
      coreOut: () => coreBackend.huffmanDecompress(stream, n, coreOut),
      wasmFresh: () => w.huffmanDecompress(stream, n),
      wasmOut: () => w.huffmanDecompress(stream, n, wasmOut),
      freshArray: () => {
        const a = new Uint8Array(n);
        for (let i = 0; i < n; i += 4096) a[i] = 1;
        return a;
      },
    });
    rows.push({ frame: f.name, ...mbs });
  }
  return rows;
}

/** The lines both benches print for `decodeBreakdown`'s rows. */
export function breakdownLines(rows) {
  if (rows.length === 0) return [];
  return [
    '',
    'decode raw, where the time goes (simd build; MB/s of output; fresh = a new result array, out = one reused array):',
    ...rows.map(
      (b) =>
        `${b.frame.padEnd(18)} core-ts fresh ${b.coreFresh.toFixed(0).padStart(5)} out ${b.coreOut.toFixed(0).padStart(5)}   ` +
        `wasm fresh ${b.wasmFresh.toFixed(0).padStart(5)} out ${b.wasmOut.toFixed(0).padStart(5)}   ` +
        `new array + first touch ${b.freshArray.toFixed(0).padStart(5)}   ` +
        `wasm / core-ts: fresh ${(b.wasmFresh / b.coreFresh).toFixed(2)}x, out ${(b.wasmOut / b.coreOut).toFixed(2)}x`,
    ),
  ];
}
