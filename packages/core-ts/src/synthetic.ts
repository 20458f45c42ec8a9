/**
 * `@pymecompress/core-ts/synthetic`: seeded synthetic sCMOS-like camera data and the benchmark
 * corpus built from it, shared by the tests, the benchmarks and the CLI demo so every measurement
 * in one run sees the same pixels. Not part of the codec itself.
 */
export { SeededRandom, type SyntheticFrameOptions, syntheticCameraFrame } from './camera-frame.js';
export {
  BENCHMARK_CORPUS_KINDS,
  type BenchmarkCorpusKind,
  benchmarkCorpus,
  type CorpusFrame,
  type CorpusFrameOptions,
  corpusFrame,
  corpusFrameOptions,
} from './corpus.js';
