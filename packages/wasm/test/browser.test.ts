/**
 * Chromium: the wasm backend decodes and encodes in a real page (both builds), byte-identical to
 * core-ts in the same page and to Node, and decodes a PZF frame through codecs' decodePzf with
 * the wasm backend passed as `backend`. Needs /usr/bin/chromium; PYMECOMPRESS_SKIP_BROWSER=1 skips.
 */
import { encodePzf } from '@pymecompress/codecs';
import * as core from '@pymecompress/core-ts';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { describe, expect, it } from 'vitest';
import { bundlePage, openPage, skipBrowser } from './browser-harness.js';

type PageApi = typeof import('./browser/page.js');

describe.skipIf(skipBrowser)('browser (headless Chromium, wasm)', () => {
  it('the page bundle has no Node built-ins', async () => {
    const js = await bundlePage();
    expect(js).not.toMatch(/from ["']node:|require\(["']node:|@pymecompress\/native|process\.env/);
  });

  it('decodes and encodes with both builds exactly as core-ts, in the page and in Node', async () => {
    const js = await bundlePage();
    const frame = syntheticCameraFrame({ width: 256, height: 192, seed: 11 });
    const pzf = encodePzf(frame, {
      shape: [256, 192],
      compression: 'huffman',
      quantization: { offset: 100, scale: 1 },
    });
    const node = {
      raw: Buffer.from(core.huffmanCompress(new Uint8Array(frame.buffer))).toString('base64'),
      quant: Buffer.from(core.huffmanCompressQuant(frame, 100, 1)).toString('base64'),
    };
    const { browser, page, errors } = await openPage(js);
    try {
      const result = await page.evaluate(
        async ({ pzfB64 }) => {
          const PMC = (globalThis as unknown as { PMC: PageApi }).PMC;
          const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
          const toB64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
          const eq = (a: ArrayBufferView, b: ArrayBufferView) => {
            const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
            const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
            return x.length === y.length && x.every((v, i) => v === y[i]);
          };
          const frame = PMC.syntheticCameraFrame({ width: 256, height: 192, seed: 11 });
          const bytes = new Uint8Array(frame.buffer);
          const c = PMC.coreBackend;
          const out: Record<string, unknown> = { simdSupported: PMC.wasmInfo().simdSupported };
          for (const build of ['baseline', 'simd'] as const) {
            const w = await PMC.init({ build });
            const raw = w.huffmanCompress(bytes);
            const quant = w.huffmanCompressQuant(frame, 100, 1);
            const q = w.quantize(frame, 100, 1);
            let corruptCode = '';
            try {
              w.huffmanDecompress(new Uint8Array(200), 10);
            } catch (e) {
              corruptCode = (e as { code: string }).code;
            }
            const pzf = PMC.decodePzf(b64(pzfB64), { backend: w });
            out[build] = {
              kind: w.kind,
              build: PMC.wasmInfo().build,
              raw: toB64(raw.subarray(0, 64)),
              rawLength: raw.length,
              rawSame: eq(raw, c.huffmanCompress(bytes)),
              quantSame: eq(quant, c.huffmanCompressQuant(frame, 100, 1)),
              quantizeSame: eq(q, c.quantize(frame, 100, 1)),
              decodeRaw: eq(w.huffmanDecompress(raw, bytes.length), bytes),
              decodeQuant: eq(w.huffmanDecompress(quant, frame.length), q),
              dequantSame: eq(w.dequantize(q, 100, 1), c.dequantize(q, 100, 1)),
              pzfSame: eq(pzf.data, PMC.decodePzf(b64(pzfB64), { backend: c }).data),
              corruptCode,
              rawB64: toB64(raw),
              quantB64: toB64(quant),
            };
          }
          return out;
        },
        { pzfB64: Buffer.from(pzf).toString('base64') },
      );
      expect(errors).toEqual([]);
      expect(result.simdSupported).toBe(true);
      for (const build of ['baseline', 'simd']) {
        const r = result[build] as Record<string, unknown>;
        expect(r).toMatchObject({
          kind: 'wasm',
          build,
          rawSame: true,
          quantSame: true,
          quantizeSame: true,
          decodeRaw: true,
          decodeQuant: true,
          dequantSame: true,
          pzfSame: true,
          corruptCode: 'ERR_CORRUPT_STREAM',
        });
        expect(r.rawB64).toBe(node.raw);
        expect(r.quantB64).toBe(node.quant);
      }
    } finally {
      await browser.close();
    }
  });
});
