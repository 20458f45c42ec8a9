import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as core from '@pymecompress/core-ts';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { afterAll, describe, expect, it } from 'vitest';
import * as native from '../src/index.js';
import { cameraFrame, errorCode, outcome, randomBytes } from './helpers.js';

const bodies: native.Dispatch[] = [
  'scalar',
  ...(native.hasAvx2 ? (['avx2'] as const) : []),
  ...(native.hasAvx512 ? (['avx512'] as const) : []),
];

afterAll(() => {
  native.setDispatch('auto');
});

const ALL_U16 = (() => {
  const a = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) a[i] = i;
  return a;
})();

const QUANT_PARAMS: Array<[number, number]> = [
  [0, 1],
  [100, 1],
  [100, 0.5],
  [99.7, 0.33],
  [-3.25, 2.7],
  [1000.7, 0.01],
  [0, 1e-30],
  [70000, 1],
  [0.1, 3e38],
  [65535, 1],
  [2 ** 24 + 1, 1],
  // r = k + 1/2 exactly at x = k^2 + k: the AVX-512 body's exactness guard
  [-0.25, 1],
  [-0.25, 0.5],
];

describe.each(bodies)('native, %s body', (body) => {
  it('selects the body', () => {
    expect(native.setDispatch(body)).toBe(body);
    expect(native.getDispatch()).toBe(body);
  });

  it('encodes the worked example: ten 7s -> 83 80 00', () => {
    native.setDispatch(body);
    expect(Array.from(native.huffmanCompress(new Uint8Array(10).fill(7)))).toEqual([0x83, 0x80, 0]);
    expect(native.huffmanCompress(new Uint8Array(0)).length).toBe(0);
  });

  it('quantizes all 65,536 inputs exactly like core-ts', () => {
    native.setDispatch(body);
    for (const [offset, scale] of QUANT_PARAMS) {
      const a = native.quantize(ALL_U16, offset, scale);
      const b = core.quantize(ALL_U16, offset, scale);
      expect(
        Buffer.compare(Buffer.from(a), Buffer.from(b)),
        `offset ${offset} scale ${scale}`,
      ).toBe(0);
      // small inputs take the per-value path (no table) in both backends
      for (const start of [0, 1, 3, 17, 40000]) {
        const part = ALL_U16.subarray(start, start + 1000);
        expect(Array.from(native.quantize(part, offset, scale))).toEqual(
          Array.from(core.quantize(part, offset, scale)),
        );
      }
    }
  });

  it('dequantizes all 256 symbols exactly like core-ts', () => {
    native.setDispatch(body);
    const q = new Uint8Array(256).map((_, i) => i);
    for (const [offset, scale] of QUANT_PARAMS) {
      expect(Array.from(native.dequantize(q, offset, scale))).toEqual(
        Array.from(core.dequantize(q, offset, scale)),
      );
    }
  });

  it('round-trips and matches core-ts bytes on camera-like frames', () => {
    native.setDispatch(body);
    for (const n of [1, 2, 15, 16, 17, 31, 32, 33, 1000, 65537, 300_001]) {
      const frame = cameraFrame(n, n);
      const bytes = new Uint8Array(frame.buffer);
      const s = native.huffmanCompress(bytes);
      expect(Buffer.from(s).equals(Buffer.from(core.huffmanCompress(bytes)))).toBe(true);
      expect(
        Buffer.from(native.huffmanDecompress(s, bytes.length)).equals(Buffer.from(bytes)),
      ).toBe(true);
      const sq = native.huffmanCompressQuant(frame, 100, 0.8);
      expect(Buffer.from(sq).equals(Buffer.from(core.huffmanCompressQuant(frame, 100, 0.8)))).toBe(
        true,
      );
    }
  });

  it('decodes large camera frames (the wide-table path) exactly like core-ts, damaged or not', () => {
    native.setDispatch(body);
    // A uint16 camera frame of >= 256 KiB hits few distinct 14-bit windows, so the decoder picks
    // its 14-bit table for it; the quantized stream of the same frame keeps the 12-bit table.
    const frame = syntheticCameraFrame({ width: 1024, height: 512, seed: 21 });
    const bytes = new Uint8Array(frame.buffer);
    for (const [stream, size] of [
      [native.huffmanCompress(bytes), bytes.length],
      [native.huffmanCompressQuant(frame, 100, 1), frame.length],
    ] as const) {
      const expected = core.huffmanDecompress(stream, size);
      expect(
        Buffer.from(native.huffmanDecompress(stream, size)).equals(Buffer.from(expected)),
      ).toBe(true);
      // Truncated by a few bytes, asked for fewer symbols, and with flipped bits near the end
      // (where the fast loop hands over to the checked path): same bytes or same error code.
      const cases: Array<[Uint8Array, number]> = [
        [stream.subarray(0, stream.length - 1), size],
        [stream.subarray(0, stream.length - 9), size],
        [stream, size - 7],
      ];
      for (const position of [0.5, 0.99, 0.9999]) {
        const flipped = stream.slice();
        flipped[Math.floor(position * flipped.length)]! ^= 0x10;
        cases.push([flipped, size]);
      }
      for (const [damaged, n] of cases) {
        expect(outcome(() => native.huffmanDecompress(damaged, n))).toEqual(
          outcome(() => core.huffmanDecompress(damaged, n)),
        );
      }
    }
  });

  it('handles unaligned, pooled, SharedArrayBuffer and zero-length views', () => {
    native.setDispatch(body);
    const frame = cameraFrame(5003, 7);
    const raw = new Uint8Array(frame.buffer);
    // pooled Buffers start at arbitrary offsets of a shared 8 kB slab
    const pooled = Buffer.from(raw.subarray(0, 301));
    const unaligned8 = new Uint8Array(new ArrayBuffer(raw.length + 3), 3, raw.length);
    unaligned8.set(raw);
    // Uint16Array at an offset that is 2 (mod 32): every legal offset must work
    for (const off of [2, 6, 10, 30]) {
      const ab = new ArrayBuffer(frame.byteLength + 64);
      const u16 = new Uint16Array(ab, off, frame.length);
      u16.set(frame);
      expect(Array.from(native.quantize(u16, 100, 1))).toEqual(
        Array.from(core.quantize(frame, 100, 1)),
      );
      expect(
        Buffer.from(native.huffmanCompressQuant(u16, 100, 1)).equals(
          Buffer.from(core.huffmanCompressQuant(frame, 100, 1)),
        ),
      ).toBe(true);
      const outU16 = new Uint16Array(ab, off, frame.length);
      const q = core.quantize(frame, 100, 1);
      native.dequantize(q, 100, 1, outU16);
      expect(Array.from(outU16)).toEqual(Array.from(core.dequantize(q, 100, 1)));
    }
    for (const view of [pooled, unaligned8]) {
      const s = native.huffmanCompress(view);
      expect(Buffer.from(s).equals(Buffer.from(core.huffmanCompress(view)))).toBe(true);
      const streamCopy = new Uint8Array(new ArrayBuffer(s.length + 5), 5, s.length);
      streamCopy.set(s);
      const out = new Uint8Array(new ArrayBuffer(view.length + 9), 9, view.length);
      const r = native.huffmanDecompress(streamCopy, view.length, out);
      expect(r).toBe(out);
      expect(Buffer.from(r).equals(Buffer.from(view))).toBe(true);
    }
    // SharedArrayBuffer-backed views
    const sab = new SharedArrayBuffer(frame.byteLength + 2);
    const sabU16 = new Uint16Array(sab, 2, frame.length);
    sabU16.set(frame);
    const sabU8 = new Uint8Array(sab, 1, 4000);
    expect(Array.from(native.quantize(sabU16, 100, 1))).toEqual(
      Array.from(core.quantize(frame, 100, 1)),
    );
    const ss = native.huffmanCompress(sabU8);
    expect(Array.from(ss)).toEqual(Array.from(core.huffmanCompress(new Uint8Array(sabU8))));
    const sabOut = new Uint8Array(new SharedArrayBuffer(4001), 1, 4000);
    native.huffmanDecompress(ss, 4000, sabOut);
    expect(Array.from(sabOut)).toEqual(Array.from(sabU8));
    // zero-length views, including ones at the very end of their buffer
    const empties: Uint8Array[] = [
      new Uint8Array(0),
      raw.subarray(raw.length),
      new Uint8Array(new SharedArrayBuffer(0)),
      Buffer.alloc(0),
    ];
    for (const e of empties) {
      expect(native.huffmanCompress(e).length).toBe(0);
      expect(native.huffmanDecompress(e, 0).length).toBe(0);
      expect(native.quantize(new Uint16Array(e.buffer, e.byteOffset & ~1, 0), 0, 1).length).toBe(0);
      expect(native.dequantize(e, 0, 1).length).toBe(0);
      expect(native.huffmanCompressQuant(new Uint16Array(0), 0, 1).length).toBe(0);
      expect(errorCode(() => native.huffmanDecompress(e, 1))).toBe('ERR_OUTPUT_TOO_LARGE');
    }
  });

  it('writes into `out` and returns the same views as core-ts', () => {
    native.setDispatch(body);
    const data = cameraFrame(100, 3);
    const out = new Uint8Array(150);
    const r = native.quantize(data, 100, 1, out);
    expect(r.buffer).toBe(out.buffer);
    expect(r.length).toBe(100);
    const exact = new Uint8Array(100);
    expect(native.quantize(data, 100, 1, exact)).toBe(exact);
    const s = native.huffmanCompress(exact);
    const dOut = new Uint8Array(100);
    expect(native.huffmanDecompress(s, 100, dOut)).toBe(dOut);
    const u16 = new Uint16Array(120);
    const dq = native.dequantize(exact, 100, 1, u16);
    expect(dq.length).toBe(100);
    expect(dq.buffer).toBe(u16.buffer);
  });

  // In-place quantize and decode-over-stream against core-ts: the conformance contract suite
  // (packages/conformance/src/contract.ts), which runs on both dispatch bodies.

  it('decodes a tree of depth 255 (codes up to 255 bits)', () => {
    native.setDispatch(body);
    const bits: number[] = [];
    const put = (v: number, l: number) => {
      for (let i = l - 1; i >= 0; i--) bits.push((v >> i) & 1);
    };
    for (let i = 0; i < 255; i++) {
      put(0, 1);
      put(1, 1);
      put(i, 8);
    }
    put(1, 1);
    put(255, 8);
    put(0, 1); // symbol 0
    for (let i = 0; i < 255; i++) put(1, 1); // symbol 255
    for (let i = 0; i < 200; i++) put(1, 1);
    put(0, 1); // symbol 200
    const stream = new Uint8Array(Math.ceil(bits.length / 8));
    bits.forEach((b, i) => {
      stream[i >> 3]! |= b << (7 - (i & 7));
    });
    expect(Array.from(native.huffmanDecompress(stream, 3))).toEqual([0, 255, 200]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const part = stream.subarray(0, cut);
      expect(outcome(() => native.huffmanDecompress(part, 3))).toEqual(
        outcome(() => core.huffmanDecompress(part, 3)),
      );
    }
  });

  it('encodes deep (Fibonacci) trees beyond 25-bit codes identically to core-ts', () => {
    native.setDispatch(body);
    const fib = [1, 1];
    for (let i = 2; i < 28; i++) fib.push(fib[i - 1]! + fib[i - 2]!);
    const total = fib.reduce((a, b) => a + b, 0);
    const data = new Uint8Array(total);
    let o = 0;
    fib.forEach((c, s) => {
      data.fill(s * 3, o, o + c);
      o += c;
    });
    const shuffled = randomBytes(total, 99);
    for (let i = total - 1; i > 0; i--) {
      const j =
        ((shuffled[i]! << 16) | (shuffled[i - 1]! << 8) | shuffled[(i * 7) % total]!) % (i + 1);
      const t = data[i]!;
      data[i] = data[j]!;
      data[j] = t;
    }
    const s = native.huffmanCompress(data);
    expect(Buffer.from(s).equals(Buffer.from(core.huffmanCompress(data)))).toBe(true);
    expect(Buffer.from(native.huffmanDecompress(s, total)).equals(Buffer.from(data))).toBe(true);
  });
});

describe('errors', () => {
  const stream = core.huffmanCompress(randomBytes(1000, 5, 20));
  type Api = Pick<
    typeof core,
    'huffmanCompress' | 'huffmanDecompress' | 'quantize' | 'dequantize' | 'huffmanCompressQuant'
  >;
  const cases: Array<[string, (b: Api) => unknown]> = [
    ['compress: not a Uint8Array', (b) => b.huffmanCompress([1, 2] as unknown as Uint8Array)],
    [
      'compress: Uint8ClampedArray',
      (b) => b.huffmanCompress(new Uint8ClampedArray(4) as unknown as Uint8Array),
    ],
    ['compress: Int8Array', (b) => b.huffmanCompress(new Int8Array(4) as unknown as Uint8Array)],
    ['decompress: stream string', (b) => b.huffmanDecompress('abc' as unknown as Uint8Array, 1)],
    ['decompress: outSize -1', (b) => b.huffmanDecompress(stream, -1)],
    ['decompress: outSize 1.5', (b) => b.huffmanDecompress(stream, 1.5)],
    ['decompress: outSize NaN', (b) => b.huffmanDecompress(stream, Number.NaN)],
    ['decompress: outSize 2^32', (b) => b.huffmanDecompress(stream, 2 ** 32)],
    ['decompress: outSize bigint', (b) => b.huffmanDecompress(stream, 1n as unknown as number)],
    ['decompress: out too short', (b) => b.huffmanDecompress(stream, 1000, new Uint8Array(999))],
    [
      'decompress: out wrong type',
      (b) => b.huffmanDecompress(stream, 10, new Uint16Array(10) as unknown as Uint8Array),
    ],
    ['decompress: too large', (b) => b.huffmanDecompress(stream, stream.length * 8)],
    ['decompress: corrupt', (b) => b.huffmanDecompress(new Uint8Array(200), 10)],
    ['decompress: truncated', (b) => b.huffmanDecompress(stream.subarray(0, 100), 1000)],
    [
      'quantize: Uint8Array data',
      (b) => b.quantize(new Uint8Array(4) as unknown as Uint16Array, 0, 1),
    ],
    ['quantize: scale 0', (b) => b.quantize(new Uint16Array(4), 0, 0)],
    ['quantize: scale -1', (b) => b.quantize(new Uint16Array(4), 0, -1)],
    ['quantize: scale 1e-45', (b) => b.quantize(new Uint16Array(4), 0, 1e-45)],
    ['quantize: scale 1e39', (b) => b.quantize(new Uint16Array(4), 0, 1e39)],
    [
      'quantize: offset Infinity',
      (b) => b.quantize(new Uint16Array(4), Number.POSITIVE_INFINITY, 1),
    ],
    ['quantize: offset 1e39', (b) => b.quantize(new Uint16Array(4), 1e39, 1)],
    ['quantize: offset string', (b) => b.quantize(new Uint16Array(4), '1' as unknown as number, 1)],
    ['quantize: out too short', (b) => b.quantize(new Uint16Array(4), 0, 1, new Uint8Array(3))],
    [
      'dequantize: Uint16 q',
      (b) => b.dequantize(new Uint16Array(4) as unknown as Uint8Array, 0, 1),
    ],
    ['dequantize: scale NaN', (b) => b.dequantize(new Uint8Array(4), 0, Number.NaN)],
    [
      'dequantize: out Uint8Array',
      (b) => b.dequantize(new Uint8Array(4), 0, 1, new Uint8Array(4) as unknown as Uint16Array),
    ],
    ['compressQuant: scale 0', (b) => b.huffmanCompressQuant(new Uint16Array(4), 0, 0)],
    [
      'compressQuant: Uint8Array',
      (b) => b.huffmanCompressQuant(new Uint8Array(4) as unknown as Uint16Array, 0, 1),
    ],
  ];
  it.each(cases)('%s: same code as core-ts', (_name, fn) => {
    const code = errorCode(() => fn(native));
    expect(code).toBeDefined();
    expect(code).toBe(errorCode(() => fn(core)));
  });

  it('uses the codes core-ts uses for the same calls', () => {
    const pairs: Array<[() => unknown, () => unknown]> = [
      [
        () => native.huffmanDecompress(new Uint8Array(200), 10),
        () => core.huffmanDecompress(new Uint8Array(200), 10),
      ],
      [
        () => native.huffmanDecompress(stream.subarray(0, 100), 1000),
        () => core.huffmanDecompress(stream.subarray(0, 100), 1000),
      ],
      [
        () => native.huffmanDecompress(stream, stream.length * 8),
        () => core.huffmanDecompress(stream, stream.length * 8),
      ],
      [
        () => native.huffmanDecompress(stream, 1000, new Uint8Array(999)),
        () => core.huffmanDecompress(stream, 1000, new Uint8Array(999)),
      ],
      [
        () => native.quantize(new Uint16Array(4), 0, 1e-45),
        () => core.quantize(new Uint16Array(4), 0, 1e-45),
      ],
      [
        () => native.dequantize(new Uint8Array(4), 1e39, 1),
        () => core.dequantize(new Uint8Array(4), 1e39, 1),
      ],
    ];
    for (const [a, b] of pairs) expect(errorCode(a)).toBe(errorCode(b));
  });

  it('throws core-ts PymecompressError instances', () => {
    try {
      native.huffmanDecompress(new Uint8Array(200), 10);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(core.PymecompressError);
      expect(core.isPymecompressError(error)).toBe(true);
      expect((error as core.PymecompressError).code).toBe('ERR_CORRUPT_STREAM');
    }
  });
});

describe('loading', () => {
  it('fails with one error listing every location tried when no binary exists', () => {
    // A copy of dist/ in a package root without build/ or prebuilds/ (inside this package so
    // that node_modules still resolves).
    const root = new URL('./.tmp-load/', import.meta.url);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    cpSync(new URL('../dist/', import.meta.url), new URL('dist/', root), { recursive: true });
    writeFileSync(new URL('package.json', root), '{"type":"module"}');
    try {
      const entry = new URL('dist/index.js', root).href;
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import(${JSON.stringify(entry)}).then(() => console.log('LOADED'), (e) => console.log(e.message))`,
        ],
        { encoding: 'utf8' },
      );
      expect(out).toContain('could not load the native addon');
      expect(out).toContain('prebuilds/');
      expect(out).toContain('build/Release/pymecompress_native.node');
      expect(out).toContain('npm rebuild @pymecompress/native');
      expect(out).not.toContain('LOADED');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('dispatch', () => {
  it('reports and switches the body', () => {
    expect(native.setDispatch('auto')).toBe(
      native.hasAvx512 ? 'avx512' : native.hasAvx2 ? 'avx2' : 'scalar',
    );
    expect(native.setDispatch('scalar')).toBe('scalar');
    expect(errorCode(() => native.setDispatch('sse' as 'auto'))).toBe('ERR_INVALID_ARGUMENT');
    expect(native.getDispatch()).toBe('scalar'); // unchanged after a rejected request
    native.setDispatch('auto');
  });

  it('reads PYMECOMPRESS_NATIVE_DISPATCH at load', () => {
    const entry = new URL('../dist/index.js', import.meta.url).href;
    const run = (value: string) =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import(${JSON.stringify(entry)}).then((m) => console.log(m.getDispatch()), (e) => console.log('ERR', e.code))`,
        ],
        { env: { ...process.env, PYMECOMPRESS_NATIVE_DISPATCH: value }, encoding: 'utf8' },
      ).trim();
    expect(run('scalar')).toBe('scalar');
    expect(run('auto')).toBe(native.hasAvx512 ? 'avx512' : native.hasAvx2 ? 'avx2' : 'scalar');
    expect(run('bogus')).toBe('ERR ERR_INVALID_ARGUMENT');
    if (native.hasAvx2) expect(run('avx2')).toBe('avx2');
    if (native.hasAvx512) expect(run('avx512')).toBe('avx512');
    else expect(run('avx512')).toBe('ERR ERR_INVALID_ARGUMENT');
  });
});
