/**
 * The benchmark corpus: a few seeded frames covering the data pymecompress meets, so speed and
 * ratio are judged on all of them and never tuned to one (issue 10). Used by `pnpm bench`, the
 * CLI demo and the tests. Every frame is regenerated from its recipe and seed: nothing is stored.
 *
 * Each frame comes as the two inputs the coder sees: the raw frame bytes (lossless Huffman) and
 * the quantized symbols at offset = dark level, scale 1 (docs/FORMAT.md, "Quantizer"), the
 * setting PYME uses for a camera of gain 1 ADU/e-.
 */

import { leBytes } from './bytes.js';
import { type SyntheticFrameOptions, syntheticCameraFrame } from './camera-frame.js';
import { quantize } from './quantize.js';

export const BENCHMARK_CORPUS_KINDS = ['dim', 'bright', 'sparse', 'tile'] as const;
export type BenchmarkCorpusKind = (typeof BENCHMARK_CORPUS_KINDS)[number];

interface Recipe {
  readonly description: string;
  readonly width: number;
  readonly height: number;
  readonly seed: number;
  /** Spot and hot-pixel counts at the recipe's own size; scaled with the area for other sizes. */
  readonly frame: Required<
    Pick<
      SyntheticFrameOptions,
      'darkLevel' | 'readNoise' | 'background' | 'spots' | 'hotPixels' | 'spotPeak' | 'spotSigma'
    >
  >;
}

const RECIPES: Readonly<Record<BenchmarkCorpusKind, Recipe>> = {
  // A widefield sCMOS frame at low light: most pixels a few photons above the dark level, read
  // noise pushing some below it, dim blobs and hot pixels. The frame the bench always used.
  dim: {
    description: 'dim sCMOS-like frame: dark level 100, ~8 photons background, dim blobs',
    width: 2048,
    height: 2048,
    seed: 1,
    frame: {
      darkLevel: 100,
      readNoise: 1.5,
      background: 8,
      spots: 200,
      hotPixels: 20,
      spotPeak: [50, 850],
      spotSigma: [2, 14],
    },
  },
  // Bright fluorescence (cells, tissue): thousands of photons per pixel, so the Poisson noise
  // fills the low byte and the lossless coder has little to gain; quantized symbols 40-110.
  bright: {
    description: 'bright fluorescence: ~2000 photons background, large structures to ~10000',
    width: 2048,
    height: 2048,
    seed: 2,
    frame: {
      darkLevel: 100,
      readNoise: 1.5,
      background: 2000,
      spots: 150,
      hotPixels: 20,
      spotPeak: [1000, 8000],
      spotSigma: [8, 40],
    },
  },
  // Single-molecule localisation: background of one or two photons and rare diffraction-limited
  // spots (sigma ~1.3 px), so nearly every quantized symbol is 0, 1 or 2.
  sparse: {
    description: 'sparse single-molecule: ~1.5 photons background, rare PSF-sized bright spots',
    width: 2048,
    height: 2048,
    seed: 3,
    frame: {
      darkLevel: 100,
      readNoise: 1.5,
      background: 1.5,
      spots: 300,
      hotPixels: 20,
      spotPeak: [100, 1500],
      spotSigma: [1, 1.6],
    },
  },
  // One 256x256 tile, the unit of PYME tile pyramids and typical Zarr chunks: small streams,
  // where the fixed cost per call (tree, tables) weighs most.
  tile: {
    description: '256x256 tile (PYME pyramid / Zarr chunk): ~20 photons background, a few blobs',
    width: 256,
    height: 256,
    seed: 4,
    frame: {
      darkLevel: 100,
      readNoise: 1.5,
      background: 20,
      spots: 6,
      hotPixels: 1,
      spotPeak: [50, 850],
      spotSigma: [2, 14],
    },
  },
};

export interface CorpusFrameOptions {
  /** Frame size; defaults to the recipe's. Spot and hot-pixel counts scale with the area. */
  width?: number;
  height?: number;
  /** Seed; defaults to the recipe's. */
  seed?: number;
}

/** The `syntheticCameraFrame` options of one corpus kind (the demo builds stacks from them). */
export function corpusFrameOptions(
  kind: BenchmarkCorpusKind,
  options: CorpusFrameOptions = {},
): Required<SyntheticFrameOptions> {
  const recipe = RECIPES[kind];
  if (recipe === undefined) {
    throw new TypeError(
      `unknown corpus kind ${JSON.stringify(kind)} (expected one of ${BENCHMARK_CORPUS_KINDS.join(', ')})`,
    );
  }
  const width = options.width ?? recipe.width;
  const height = options.height ?? recipe.height;
  const area = (width * height) / (recipe.width * recipe.height);
  const scaled = (count: number): number =>
    count === 0 ? 0 : Math.max(1, Math.round(count * area));
  return {
    ...recipe.frame,
    width,
    height,
    seed: options.seed ?? recipe.seed,
    spots: scaled(recipe.frame.spots),
    hotPixels: scaled(recipe.frame.hotPixels),
  };
}

export interface CorpusFrame {
  readonly kind: BenchmarkCorpusKind;
  readonly description: string;
  readonly width: number;
  readonly height: number;
  readonly seed: number;
  readonly darkLevel: number;
  /** The pixels, row-major. */
  readonly frame: Uint16Array;
  /** The same pixels as bytes, little-endian (the byte order of PZF and `<u2` Zarr chunks). */
  readonly bytes: Uint8Array;
  /** Quantization parameters of `symbols`: offset = dark level, scale 1. */
  readonly offset: number;
  readonly scale: number;
  /** `quantize(frame, offset, scale)`. */
  readonly symbols: Uint8Array;
}

/** One corpus frame, generated afresh (a 2048x2048 frame takes a few hundred milliseconds). */
export function corpusFrame(
  kind: BenchmarkCorpusKind,
  options: CorpusFrameOptions = {},
): CorpusFrame {
  const frameOptions = corpusFrameOptions(kind, options);
  const frame = syntheticCameraFrame(frameOptions);
  const offset = frameOptions.darkLevel;
  const scale = 1;
  return Object.freeze({
    kind,
    description: RECIPES[kind].description,
    width: frameOptions.width,
    height: frameOptions.height,
    seed: frameOptions.seed,
    darkLevel: frameOptions.darkLevel,
    frame,
    bytes: leBytes(frame),
    offset,
    scale,
    symbols: quantize(frame, offset, scale),
  });
}

/** Every corpus frame, in `BENCHMARK_CORPUS_KINDS` order, at the recipes' sizes and seeds. */
export function benchmarkCorpus(): CorpusFrame[] {
  return BENCHMARK_CORPUS_KINDS.map((kind) => corpusFrame(kind));
}
