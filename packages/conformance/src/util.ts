/** Small helpers shared by the suites. Nothing here depends on a particular backend. */

export const ERROR_CODES = [
  'ERR_INVALID_ARGUMENT',
  'ERR_INPUT_TOO_LARGE',
  'ERR_CORRUPT_STREAM',
  'ERR_TRUNCATED_STREAM',
  'ERR_OUTPUT_TOO_LARGE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error code of a thrown PymecompressError (matched by name + code, realm/copy independent). */
export function errorCode(e: unknown): ErrorCode | undefined {
  if (e instanceof Error && e.name === 'PymecompressError') {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code))
      return code as ErrorCode;
  }
  return undefined;
}

/** Run `fn`; return either its value or the PymecompressError code it threw (rethrows anything else). */
export function outcome<T>(fn: () => T): { ok: true; value: T } | { ok: false; code: ErrorCode } {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    const code = errorCode(e);
    if (code === undefined) throw e;
    return { ok: false, code };
  }
}

/** Assert that `fn` throws a PymecompressError with `code`. */
export function expectCode(fn: () => unknown, code: ErrorCode, what = ''): void {
  let r: ReturnType<typeof outcome>;
  try {
    r = outcome(fn);
  } catch (e) {
    throw new Error(`${what}: expected ${code}, got a non-PymecompressError: ${String(e)}`);
  }
  if (r.ok) throw new Error(`${what}: expected ${code}, but the call returned normally`);
  if (r.code !== code) throw new Error(`${what}: expected ${code}, got ${r.code}`);
}

/** Byte comparison with a useful message (vitest's deep equality is slow on megabyte arrays). */
export function assertBytesEqual(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  if (!(actual instanceof Uint8Array)) throw new Error(`${what}: result is not a Uint8Array`);
  const n = Math.min(actual.length, expected.length);
  let i = 0;
  if (
    Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(
      Buffer.from(expected.buffer, expected.byteOffset, expected.length),
    )
  )
    return;
  while (i < n && actual[i] === expected[i]) i++;
  const ctx = (a: Uint8Array) => Buffer.from(a.subarray(Math.max(0, i - 4), i + 8)).toString('hex');
  throw new Error(
    `${what}: differ (lengths ${actual.length} vs ${expected.length}; first difference at index ${i}: ` +
      `actual ...${ctx(actual)}..., expected ...${ctx(expected)}...)`,
  );
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.length).equals(
      Buffer.from(b.buffer, b.byteOffset, b.length),
    )
  );
}

/** Parse the pre-order tree at the head of a BCL Huffman stream: its bit length and deepest code. */
export function treeInfo(stream: Uint8Array): {
  treeBits: number;
  maxCodeLength: number;
  leaves: number;
} {
  let pos = 0;
  let maxCodeLength = 0;
  let leaves = 0;
  const bit = (p: number) => {
    if (p >> 3 >= stream.length) throw new Error('tree runs past the stream');
    return ((stream[p >> 3] as number) >> (7 - (p & 7))) & 1;
  };
  const stack: number[] = [0];
  while (stack.length) {
    const d = stack.pop() as number;
    if (bit(pos++)) {
      pos += 8;
      leaves++;
      if (d > maxCodeLength) maxCodeLength = d;
    } else {
      stack.push(d + 1, d + 1);
    }
  }
  return { treeBits: pos, maxCodeLength, leaves };
}

/** The first `bits` bits of `a` and `b` are equal. */
export function prefixBitsEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  if (a.length < Math.ceil(bits / 8) || b.length < Math.ceil(bits / 8)) return false;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rem = bits & 7;
  if (rem === 0) return true;
  const mask = (0xff << (8 - rem)) & 0xff;
  return (((a[full] as number) ^ (b[full] as number)) & mask) === 0;
}

/** The reference quantizer's float32 model (docs/FORMAT.md §2) and whether the reference is defined there. */
export function referenceQuantModel(
  x: number,
  offset: number,
  scale: number,
): { defined: boolean; q: number } {
  const f = Math.fround;
  const o32 = f(offset);
  const s32 = f(scale);
  const qs = f(1 / s32);
  const v = f(x - o32);
  if (!(v >= 0)) return { defined: false, q: 0 };
  const r = f(qs * f(Math.sqrt(v)));
  if (!(r < 255.5)) return { defined: false, q: 255 };
  return { defined: true, q: Math.floor(r + 0.5) };
}

/** Our documented quantizer (contract): the model, 0 below offset, 255 from r >= 255.5 on. */
export function contractQuantize(x: number, offset: number, scale: number): number {
  return referenceQuantModel(x, offset, scale).q;
}

/** Our documented dequantizer (contract; PYME PZFFormat.loads in float32, truncated, clamped). */
export function contractDequantize(q: number, offset: number, scale: number): number {
  const f = Math.fround;
  const t = f(q * f(scale));
  const t2 = f(t * t);
  const v = f(t2 + f(offset));
  return v <= 0 ? 0 : v >= 65535 ? 65535 : Math.trunc(v);
}

/** Shuffled bytes whose histogram is F1..Fk over k distinct symbols (deepest code k - 1 bits). */
export function fibonacciInput(k: number, seed: number): Uint8Array {
  const f = [1, 1];
  while (f.length < k) f.push((f[f.length - 1] as number) + (f[f.length - 2] as number));
  const counts = f.slice(0, k);
  const total = counts.reduce((a, b) => a + b, 0);
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const syms = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 255; i > 0; i--) {
    const j = rnd() % (i + 1);
    [syms[i], syms[j]] = [syms[j] as number, syms[i] as number];
  }
  const out = new Uint8Array(total);
  let p = 0;
  counts.forEach((c, i) => {
    out.fill(syms[i] as number, p, p + c);
    p += c;
  });
  for (let i = total - 1; i > 0; i--) {
    const j = rnd() % (i + 1);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}

/** fast-check run count: PYMECOMPRESS_FC_RUNS (or FC_NUM_RUNS), default `dflt`. */
export function fcRuns(dflt = 100): number {
  const v = Number(process.env.PYMECOMPRESS_FC_RUNS ?? process.env.FC_NUM_RUNS ?? '');
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
}
