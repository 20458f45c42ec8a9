// The frames the native benchmarks run on: core-ts's shared, seeded benchmark corpus (dim,
// bright, sparse, 256x256 tile; raw bytes and quantized symbols with offset = dark level,
// scale 1), so `pnpm bench`, these benchmarks and the demo measure the same data.
// BENCH_SIZE (frame side of the full-size kinds) shrinks them for a quick run.
import { BENCHMARK_CORPUS_KINDS, corpusFrame } from '@pymecompress/core-ts/synthetic';

const SIZE = process.env.BENCH_SIZE === undefined ? undefined : Number(process.env.BENCH_SIZE);

/** [{ name, frame, bytes, symbols, darkLevel }] */
export function corpus() {
  return BENCHMARK_CORPUS_KINDS.map((kind) => {
    const size = SIZE === undefined || kind === 'tile' ? {} : { width: SIZE, height: SIZE };
    const f = corpusFrame(kind, size);
    return { name: kind, frame: f.frame, darkLevel: f.offset, bytes: f.bytes, symbols: f.symbols };
  });
}
