// The reference worker itself: protocol, stdout hygiene, the quantizer paths of this build.
import { describe, expect, it } from 'vitest';
import { useReferenceWorker } from '../differential.js';
import { loadManifest } from '../vectors.js';

const worker = useReferenceWorker();

describe('reference worker', () => {
  it('reports pymecompress 0.3.6 and a detectable quantizer path', async () => {
    const info = await worker().info();
    expect(info.pymecompress).toBe('0.3.6');
    expect(['avx', 'scalar']).toContain(info.quantizer_dispatch_path);
    expect(info.quantizer_bodies).toContain('scalar');
  });

  it('the worked example: ten bytes of 7 -> 83 80 00 (+ trailer 0a 00 00 00 in codec form)', async () => {
    const s = await worker().huffmanCompress(new Uint8Array(10).fill(7));
    expect(Buffer.from(s).toString('hex')).toBe('838000');
    const c = await worker().codecEncode('huffman', new Uint8Array(10).fill(7));
    expect(Buffer.from(c).toString('hex')).toBe('8380000a000000');
  });

  it('scalar body wraps at r >= 255.5; the AVX body saturates (docs/DEVIATIONS.md §1)', async () => {
    const x = new Uint16Array(32).fill(65535);
    expect((await worker().quantize(x, 0, 1, 'scalar'))[0]).toBe(0);
    const info = await worker().info();
    if (info.quantizer_bodies.includes('avx'))
      expect((await worker().quantize(x, 0, 1, 'avx'))[0]).toBe(255);
  });

  it('AVX build: whole 16-value blocks saturate, the tail wraps', async () => {
    const info = await worker().info();
    if (!info.quantizer_bodies.includes('avx')) return;
    const q = await worker().quantize(new Uint16Array(20).fill(80), 0, 0.01, 'avx');
    expect(Array.from(q)).toEqual([...new Array(16).fill(255), 126, 126, 126, 126]);
  });

  it('stdout stays clean while the C quantizer prints (many calls, large payloads)', async () => {
    const x = new Uint16Array(1 << 18);
    for (let i = 0; i < x.length; i++) x[i] = (i * 40503) & 0xffff;
    for (let i = 0; i < 5; i++) {
      const s = await worker().huffmanCompressQuant(x, 100, 1, 'dispatch');
      expect(s.length).toBeGreaterThan(0);
    }
    const q = await worker().quantize(x, 0, 2, 'dispatch');
    expect(q.length).toBe(x.length);
  });

  it('errors are reported without killing the worker', async () => {
    await expect(worker().codecEncode('nope' as 'huffman', new Uint8Array(3))).rejects.toThrow(
      /reference worker/,
    );
    expect((await worker().info()).pymecompress).toBe('0.3.6');
  });

  it('time() returns a positive best-of-N measured in Python', async () => {
    const t = await worker().time('huffmanCompress', new Uint8Array(1 << 20), {}, 3);
    expect(t).toBeGreaterThan(0);
    expect(t).toBeLessThan(10);
  });

  it('the committed vectors were generated with the same quantizer dispatch path as this build', async () => {
    const info = await worker().info();
    const m = loadManifest();
    if (m.reference.quantizerDispatchPath !== info.quantizer_dispatch_path) {
      console.warn(
        `[conformance] vectors: ${m.reference.quantizerDispatchPath}, this machine: ${info.quantizer_dispatch_path}`,
      );
    }
    expect(m.reference.version).toBe(info.pymecompress);
  });
});
