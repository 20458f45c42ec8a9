/**
 * Seeded synthetic sCMOS-like camera frames (exported through the `./synthetic` entry). Not part
 * of the codec itself.
 */

/**
 * Small, fast, seedable PRNG: xoshiro128** (Blackman and Vigna; 32-bit words, period 2^128 - 1),
 * its state seeded from one 32-bit seed by a SplitMix32-style mixer. Integer arithmetic only,
 * so the integer stream is the same on every engine; the float helpers below use Math.log,
 * Math.cos and Math.exp, which V8 computes with the same fdlibm port on every platform.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    // SplitMix32-style seeding so nearby seeds give unrelated streams.
    let z = seed >>> 0;
    const next = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
      return (t ^ (t >>> 16)) >>> 0;
    };
    this.s0 = next() | 1;
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Uniform 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Poisson-distributed count with mean `lambda` (exact for small means, normal beyond 50). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export interface SyntheticFrameOptions {
  width?: number;
  height?: number;
  seed?: number;
  /** Camera dark level (ADU). */
  darkLevel?: number;
  /** Gaussian read noise (ADU, standard deviation). */
  readNoise?: number;
  /** Mean background photon count. */
  background?: number;
  /** Number of bright spots (fluorophores / cells). */
  spots?: number;
  /** Number of hot pixels. */
  hotPixels?: number;
  /** Spot peak height range (mean photons at the centre), drawn uniformly. Default [50, 850]. */
  spotPeak?: readonly [number, number];
  /** Spot Gaussian sigma range (pixels), drawn uniformly. Default [2, 14]. */
  spotSigma?: readonly [number, number];
}

/**
 * One uint16 frame (row-major, `width * height`): Poisson photon counts from a background plus
 * Gaussian spots, on a dark level, with read noise (so some pixels fall below the dark level)
 * and a few hot pixels.
 */
export function syntheticCameraFrame(options: SyntheticFrameOptions = {}): Uint16Array {
  const {
    width = 2048,
    height = 2048,
    seed = 1,
    darkLevel = 100,
    readNoise = 1.5,
    background = 8,
    spots = 200,
    hotPixels = 20,
    spotPeak = [50, 850],
    spotSigma = [2, 14],
  } = options;
  const random = new SeededRandom(seed);
  const mean = new Float32Array(width * height).fill(background);
  for (let s = 0; s < spots; s++) {
    const cx = random.next() * width;
    const cy = random.next() * height;
    const sigma = spotSigma[0] + random.next() * (spotSigma[1] - spotSigma[0]);
    const peak = spotPeak[0] + random.next() * (spotPeak[1] - spotPeak[0]);
    const reach = Math.ceil(sigma * 4);
    const y0 = Math.max(0, Math.floor(cy - reach));
    const y1 = Math.min(height, Math.ceil(cy + reach));
    const x0 = Math.max(0, Math.floor(cx - reach));
    const x1 = Math.min(width, Math.ceil(cx + reach));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const r2 = (x - cx) ** 2 + (y - cy) ** 2;
        mean[y * width + x]! += peak * Math.exp(-r2 / (2 * sigma * sigma));
      }
    }
  }
  const frame = new Uint16Array(width * height);
  for (let i = 0; i < frame.length; i++) {
    const value = darkLevel + random.poisson(mean[i]!) + readNoise * random.normal();
    frame[i] = Math.min(65535, Math.max(0, Math.round(value)));
  }
  for (let h = 0; h < hotPixels; h++) {
    frame[random.nextUint32() % frame.length] = 4000 + (random.nextUint32() % 60000);
  }
  return frame;
}
