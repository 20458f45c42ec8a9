import { isPymecompressError, type PymecompressErrorCode } from '@pymecompress/core-ts';

export type Outcome =
  | { ok: true; bytes: number[]; type: string }
  | { ok: false; code: PymecompressErrorCode | string };

/** Runs `fn` and describes its result or its PymecompressError code (other errors propagate). */
export function outcome(fn: () => Uint8Array | Uint16Array): Outcome {
  try {
    const r = fn();
    return { ok: true, bytes: Array.from(r), type: Object.prototype.toString.call(r) };
  } catch (error) {
    if (!isPymecompressError(error)) throw error;
    return { ok: false, code: error.code };
  }
}

export async function outcomeAsync(fn: () => Promise<Uint8Array | Uint16Array>): Promise<Outcome> {
  try {
    const r = await fn();
    return { ok: true, bytes: Array.from(r), type: Object.prototype.toString.call(r) };
  } catch (error) {
    if (!isPymecompressError(error)) throw error;
    return { ok: false, code: error.code };
  }
}

/** The PymecompressError code `fn` throws, or undefined when it returns (see `outcome`). */
export function errorCode(fn: () => unknown): string | undefined {
  const o = outcome(() => {
    fn();
    return new Uint8Array(0);
  });
  return o.ok ? undefined : o.code;
}

/** Seeded xorshift32 bytes. */
export function randomBytes(n: number, seed: number, alphabet = 256): Uint8Array {
  let s = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s % alphabet) & 0xff;
  }
  return out;
}

/** A camera-like uint16 frame: dark level 100 plus a rough Poisson-ish signal. */
export function cameraFrame(n: number, seed: number): Uint16Array {
  const r = randomBytes(n * 3, seed);
  const f = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    f[i] = 100 + (r[3 * i]! % 16) + (r[3 * i + 1]! % 8) - 4 + (r[3 * i + 2]! === 255 ? 3000 : 0);
  }
  return f;
}
