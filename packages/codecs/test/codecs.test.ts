import { huffmanCompress } from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { Huffman, HuffmanQuant16, numpyAstypeUint16 } from '../src/index.js';
import { cameraFrame, errorCodeOf, rng } from './helpers.js';

const codeOf = errorCodeOf;

function withTrailer(stream: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(stream.length + 4);
  out.set(stream);
  new DataView(out.buffer).setUint32(stream.length, n, true);
  return out;
}

describe('Huffman codec', () => {
  it('has the Python id and config', () => {
    expect(Huffman.codecId).toBe('pymecompress-huffman');
    const c = Huffman.fromConfig({ id: 'pymecompress-huffman' });
    expect(c.toJSON()).toEqual({ id: 'pymecompress-huffman' });
    expect(JSON.stringify(c)).toBe('{"id":"pymecompress-huffman"}');
    expect(c.getConfig()).toEqual(c.toJSON());
    expect(c.kind).toBe('bytes_to_bytes');
  });

  it('writes the worked example of docs/FORMAT.md §1.4 with its byte-count trailer (docs/DEVIATIONS.md C1)', () => {
    const e = new Huffman().encodeSync(new Uint8Array(10).fill(7));
    expect(Buffer.from(e).toString('hex')).toBe('8380000a000000');
  });

  it('round-trips bytes, sync and async, empty included', async () => {
    const r = rng(1);
    for (const n of [0, 1, 2, 100, 4097]) {
      const data = Uint8Array.from({ length: n }, () => Math.floor(r() * 20));
      const c = new Huffman();
      const e = await c.encode(data);
      expect(e.length).toBe(c.encodeSync(data).length);
      expect(Array.from(await c.decode(e))).toEqual(Array.from(data));
      expect(Array.from(c.decodeSync(e))).toEqual(Array.from(data));
    }
  });

  it('writes the byte count for multi-byte input and round-trips it', () => {
    const data = cameraFrame(1000, 2);
    const c = new Huffman();
    const e = c.encodeSync(data);
    expect(new DataView(e.buffer).getUint32(e.length - 4, true)).toBe(2000);
    const d = c.decodeSync(e);
    expect(Array.from(new Uint16Array(d.buffer, d.byteOffset, 1000))).toEqual(Array.from(data));
  });

  it("reads Python's element-count trailer when the chunk dtype and shape are known", () => {
    const data = cameraFrame(12 * 10, 3);
    const bytes = new Uint8Array(data.buffer);
    const python = withTrailer(huffmanCompress(bytes), data.length); // what pymecompress writes
    const viaMeta = Huffman.fromConfig(
      { id: 'pymecompress-huffman' },
      { dataType: 'uint16', shape: [12, 10] },
    );
    expect(Array.from(viaMeta.decodeSync(python))).toEqual(Array.from(bytes));
    const viaOptions = new Huffman({ dtype: '<u2', chunkShape: [120] });
    expect(Array.from(viaOptions.decodeSync(python))).toEqual(Array.from(bytes));
    // An `out` array gives the size too (item size from its type).
    const out = new Uint16Array(120);
    new Huffman().decodeSync(python, out);
    expect(Array.from(out)).toEqual(Array.from(data));
    // Our own byte-count trailer is read the same way by the same codec.
    expect(Array.from(viaMeta.decodeSync(viaMeta.encodeSync(data)))).toEqual(Array.from(bytes));
    // Explicit modes.
    expect(new Huffman({ trailer: 'elements', dtype: 'uint16' }).decodeSync(python).length).toBe(
      240,
    );
    expect(new Huffman({ trailer: 'bytes', dtype: 'uint16' }).decodeSync(python).length).toBe(120);
    // Python-identical output on request.
    const pyLike = new Huffman({ encodeTrailer: 'elements', dtype: 'uint16' }).encodeSync(data);
    expect(Buffer.from(pyLike).equals(Buffer.from(python))).toBe(true);
  });

  it('refuses bad trailers with typed errors, before allocating', () => {
    const c = Huffman.fromConfig(
      { id: 'pymecompress-huffman' },
      { dataType: 'uint16', shape: [8] },
    );
    expect(codeOf(() => c.decodeSync(new Uint8Array(3)))).toBe('ERR_TRUNCATED_STREAM');
    expect(
      codeOf(() =>
        new Huffman().decodeSync(new Uint8Array([0x83, 0x80, 0, 0xff, 0xff, 0xff, 0xff])),
      ),
    ).toBe('ERR_OUTPUT_TOO_LARGE');
    // Neither 16 bytes nor 8 elements.
    const e = withTrailer(huffmanCompress(new Uint8Array(16)), 5);
    expect(codeOf(() => c.decodeSync(e))).toBe('ERR_CORRUPT_STREAM');
    // `out` of the wrong size.
    const ok = new Huffman().encodeSync(new Uint8Array(16));
    expect(codeOf(() => new Huffman().decodeSync(ok, new Uint8Array(15)))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(codeOf(() => new Huffman({ trailer: 'bytes' }).decodeSync(ok, new Uint8Array(17)))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(codeOf(() => new Huffman().decodeSync('abc' as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => Huffman.fromConfig({ id: 'zlib' }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new Huffman({ trailer: 'x' as never }))).toBe('ERR_INVALID_ARGUMENT');
    // Corrupt stream content surfaces the core decoder's codes.
    expect(codeOf(() => new Huffman().decodeSync(withTrailer(new Uint8Array(200), 10)))).toBe(
      'ERR_CORRUPT_STREAM',
    );
  });

  it('a huge trailer never allocates: ERR_OUTPUT_TOO_LARGE from a 9-byte chunk', async () => {
    const c = new Huffman({ trailer: 'elements', dtype: 'float64' });
    const evil = withTrailer(new Uint8Array([1, 2, 3, 4, 5]), 0xffffffff);
    expect(codeOf(() => c.decodeSync(evil))).toBe('ERR_OUTPUT_TOO_LARGE');
    await expect(c.decode(evil)).rejects.toMatchObject({ code: 'ERR_OUTPUT_TOO_LARGE' });
  });
});

describe('HuffmanQuant16 codec', () => {
  it('has the Python id and config (defaults 0 and 1)', () => {
    expect(HuffmanQuant16.codecId).toBe('pymecompress-quant16');
    expect(HuffmanQuant16.fromConfig({ id: 'pymecompress-quant16' }).toJSON()).toEqual({
      id: 'pymecompress-quant16',
      offset: 0,
      scale: 1,
    });
    const c = HuffmanQuant16.fromConfig({ id: 'pymecompress-quant16', offset: 100, scale: 0.5 });
    expect(JSON.stringify(c)).toBe('{"id":"pymecompress-quant16","offset":100,"scale":0.5}');
  });

  it('round-trips uint16 within the quantization error, PYME dequantization', async () => {
    const data = cameraFrame(5000, 4, 100, 60000);
    const c = new HuffmanQuant16({ offset: 100, scale: 1 });
    const e = await c.encode(data);
    expect(new DataView(e.buffer).getUint32(e.length - 4, true)).toBe(5000);
    const d = await c.decodeUint16(e);
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (x < 100) continue;
      // |x - y| <= about sqrt(x - offset) + 1 for scale 1.
      expect(Math.abs(d[i]! - x)).toBeLessThanOrEqual(Math.sqrt(x - 100) + 1);
    }
    expect(Array.from(c.decodeUint16Sync(e))).toEqual(Array.from(d));
  });

  it('accepts the bytes of a uint16 array and decodes into `out` (Uint16Array or bytes)', () => {
    const data = cameraFrame(64, 5);
    const c = new HuffmanQuant16({ offset: 100, scale: 2 });
    const e1 = c.encodeSync(data);
    const e2 = c.encodeSync(new Uint8Array(data.buffer));
    expect(Buffer.from(e1).equals(Buffer.from(e2))).toBe(true);
    const u16 = new Uint16Array(64);
    expect(c.decodeSync(e1, u16).byteLength).toBe(128);
    const bytes = new Uint8Array(129).subarray(1); // misaligned
    c.decodeSync(e1, bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    for (let i = 0; i < 64; i++) expect(view.getUint16(2 * i, true)).toBe(u16[i]);
    expect(codeOf(() => c.decodeSync(e1, new Uint16Array(63)))).toBe('ERR_INVALID_ARGUMENT');
  });

  it("decodes exactly N symbols of a stream carrying 2N (Python's encoder)", () => {
    const c = new HuffmanQuant16({ offset: 0, scale: 1 });
    const q = new Uint8Array([1, 2, 3, 4, 9, 9, 9, 9]); // 4 real + 4 garbage symbols
    const python = withTrailer(huffmanCompress(q), 4);
    expect(Array.from(c.decodeUint16Sync(python))).toEqual([1, 4, 9, 16]);
    // A byte-count trailer (Python fed a uint8 buffer) with known chunk size: N = bytes / 2.
    const meta = HuffmanQuant16.fromConfig(
      { id: 'pymecompress-quant16' },
      { dataType: 'uint16', shape: [4] },
    );
    expect(Array.from(meta.decodeUint16Sync(withTrailer(huffmanCompress(q), 8)))).toEqual([
      1, 4, 9, 16,
    ]);
    expect(codeOf(() => meta.decodeSync(withTrailer(huffmanCompress(q), 3)))).toBe(
      'ERR_CORRUPT_STREAM',
    );
  });

  it("'numcodecs' dequantization is q²/scale + offset in float64, numpy astype(uint16)", () => {
    const q = new Uint8Array(256).map((_, i) => i);
    for (const [offset, scale] of [
      [0, 1],
      [100, 0.5],
      [50.5, 2.25],
      [-10, 3],
    ] as const) {
      const pyme = new HuffmanQuant16({ offset, scale });
      const np = new HuffmanQuant16({ offset, scale, dequantization: 'numcodecs' });
      const e = withTrailer(huffmanCompress(q), 256);
      const a = np.decodeUint16Sync(e);
      const b = pyme.decodeUint16Sync(e);
      for (let i = 0; i < 256; i++) {
        expect(a[i]).toBe(numpyAstypeUint16((i * i) / scale + offset));
        const t = Math.fround(i * Math.fround(scale));
        const v = Math.fround(Math.fround(t * t) + Math.fround(offset));
        expect(b[i]).toBe(v <= 0 ? 0 : v >= 65535 ? 65535 : Math.trunc(v));
      }
    }
  });

  it('numpyAstypeUint16 follows numpy on x86-64', () => {
    // Values measured with numpy 1.26 (float64 -> uint16).
    expect(
      [70000.5, -1.5, -0.5, 1e10, 3e9, 2 ** 31 + 5, 2 ** 32 + 7, 1e20, 65535.9, 65536].map(
        numpyAstypeUint16,
      ),
    ).toEqual([4464, 65535, 0, 0, 0, 0, 0, 0, 65535, 0]);
  });

  it('validates its config and input', () => {
    expect(codeOf(() => new HuffmanQuant16({ scale: 0 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new HuffmanQuant16({ scale: -1 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new HuffmanQuant16({ offset: Number.NaN }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new HuffmanQuant16({ offset: 1e39 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(
      codeOf(() => HuffmanQuant16.fromConfig({ id: 'pymecompress-quant16', scale: '1' })),
    ).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => HuffmanQuant16.fromConfig({}, { dataType: 'uint8', shape: [4] }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(codeOf(() => new HuffmanQuant16({ dequantization: 'x' as never }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(codeOf(() => new HuffmanQuant16().encodeSync(new Uint8Array(3)))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(codeOf(() => new HuffmanQuant16().decodeSync(new Uint8Array(2)))).toBe(
      'ERR_TRUNCATED_STREAM',
    );
    expect(
      codeOf(() => new HuffmanQuant16().decodeSync(withTrailer(new Uint8Array(4), 1000))),
    ).toBe('ERR_OUTPUT_TOO_LARGE');
  });
});
