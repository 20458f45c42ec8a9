/**
 * Browser build: bundle the package for the browser with esbuild (the `browser` condition maps
 * the backend loader to the one without Node built-ins, which bundles @pymecompress/wasm), load
 * it in headless Chromium, `await ready()` (wasm is then chosen by itself) and decode a
 * quantized Huffman PZF frame in the page. Needs /usr/bin/chromium
 * (scripts/install-chromium.sh); set PYMECOMPRESS_SKIP_BROWSER=1 to skip on machines without it.
 */
import { describe, expect, it } from 'vitest';
import { decodePzf, encodePzf, Huffman } from '../src/index.js';
import { bundle, launchChromium, SKIP_BROWSER } from './browser-helpers.js';
import { cameraFrame } from './helpers.js';

describe.skipIf(SKIP_BROWSER)('browser (headless Chromium, wasm after ready())', () => {
  it('the browser bundle has no Node built-ins and no native addon', async () => {
    const js = await bundle();
    expect(js).not.toMatch(/from ["']node:|require\(["']node:|@pymecompress\/native|process\.env/);
    // A bound that catches a large dependency creeping in: the bundle is ~100 KB of this package
    // and core-ts plus both wasm builds embedded as base64 (~140 KB for two ~52 KB modules,
    // packages/wasm/README.md).
    expect(js.length).toBeLessThan(300_000);
  });

  it('decodes a quantized Huffman PZF frame in the page to the same pixels as Node', async () => {
    const js = await bundle();
    const w = 64;
    const h = 48;
    const data = cameraFrame(w * h, 17, 100, 60000);
    const frames = {
      huffman: encodePzf(data, {
        shape: [w, h],
        compression: 'huffman',
        quantization: { offset: 100, scale: 0.5 },
        frameNum: 12,
      }),
      chunked: encodePzf(data, {
        shape: [w, h],
        compression: 'huffman-chunked',
        chunks: 3,
        quantization: { offset: 100, scale: 1 },
      }),
    };
    const expected = {
      huffman: Array.from(decodePzf(frames.huffman).data),
      chunked: Array.from(decodePzf(frames.chunked).data),
    };
    const codecChunk = new Huffman().encodeSync(data);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.setContent('<!doctype html><title>pmc</title><body></body>');
      await page.addScriptTag({ content: js });
      const result = await page.evaluate(
        async ({ frames, chunk }) => {
          const PMC = (globalThis as unknown as { PMC: typeof import('../src/index.js') }).PMC;
          const before = PMC.backendInfo();
          const readyInfo = await PMC.ready();
          const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
          const f = PMC.decodePzf(b64(frames.huffman));
          const c = PMC.decodePzf(b64(frames.chunked));
          const raw = new PMC.Huffman().decodeSync(b64(chunk));
          return {
            before,
            readyInfo,
            info: PMC.backendInfo(),
            decodedWith: PMC.getBackend().kind,
            huffman: {
              pixels: Array.from(f.data),
              frameNum: f.frameNum,
              shape: f.shape,
              q: f.quantization,
              dtype: f.dtype,
            },
            chunked: Array.from(c.data),
            chunk: Array.from(new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2)),
            userAgent: navigator.userAgent,
          };
        },
        {
          frames: {
            huffman: Buffer.from(frames.huffman).toString('base64'),
            chunked: Buffer.from(frames.chunked).toString('base64'),
          },
          chunk: Buffer.from(codecChunk).toString('base64'),
        },
      );
      expect(errors).toEqual([]);
      expect(result.userAgent).toMatch(/Chrome/);
      // Before ready(): core-ts; after it the page runs on wasm by itself (no option, no env).
      expect(result.before).toMatchObject({ kind: 'core-ts', platform: 'browser' });
      expect(result.readyInfo).toEqual(result.info);
      expect(result.info).toMatchObject({
        kind: 'wasm',
        platform: 'browser',
        nativeAvailable: false,
        backends: {
          native: { available: false, reason: 'not-installed' },
          wasm: { available: true },
          'core-ts': { available: true },
        },
      });
      expect(result.decodedWith).toBe('wasm');
      expect(result.huffman.frameNum).toBe(12);
      expect(result.huffman.shape).toEqual([w, h, 1]);
      expect(result.huffman.dtype).toBe('uint16');
      expect(result.huffman.q).toEqual({ offset: 100, scale: 0.5 });
      expect(result.huffman.pixels).toEqual(expected.huffman);
      expect(result.chunked).toEqual(expected.chunked);
      expect(result.chunk).toEqual(Array.from(data));
    } finally {
      await browser.close();
    }
  });
});
