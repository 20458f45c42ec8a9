// A user's script against @pymecompress/wasm installed alone (with its core-ts dependency), run by
// scripts/test-tarballs.mjs as ESM and as CommonJS (the header defines `load`, see zarr-user.js):
// `await init()`, then the synchronous Backend decodes what core-ts encoded, encodes the same
// bytes, and bad input is a typed error. Prints one JSON line; exit 1 on any wrong answer.
/* global load */
(async () => {
  const assert = await load('node:assert');
  const wasm = await load('@pymecompress/wasm');
  const core = await load('@pymecompress/core-ts');
  assert.strictEqual(wasm.wasmInfo().ready, false);
  const backend = await wasm.init();
  assert.strictEqual(backend, wasm.wasmBackend);
  const info = wasm.wasmInfo();
  assert.ok(
    info.ready && (info.build === 'simd' || info.build === 'baseline'),
    JSON.stringify(info),
  );

  const frame = new Uint16Array(256 * 256);
  let s = 3;
  for (let i = 0; i < frame.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    frame[i] = 100 + (s >>> 24);
  }
  const bytes = new Uint8Array(frame.buffer);
  const lossless = core.huffmanCompress(bytes);
  assert.ok(
    Buffer.from(wasm.wasmBackend.huffmanDecompress(lossless, bytes.length)).equals(
      Buffer.from(bytes),
    ),
  );
  assert.ok(Buffer.from(wasm.wasmBackend.huffmanCompress(bytes)).equals(Buffer.from(lossless)));
  const q = core.huffmanCompressQuant(frame, 100, 1);
  assert.ok(
    Buffer.from(wasm.wasmBackend.huffmanCompressQuant(frame, 100, 1)).equals(Buffer.from(q)),
  );
  const codes = wasm.wasmBackend.huffmanDecompress(q, frame.length);
  assert.deepStrictEqual(
    Array.from(wasm.wasmBackend.dequantize(codes, 100, 1)),
    Array.from(core.dequantize(core.huffmanDecompress(q, frame.length), 100, 1)),
  );
  let code;
  try {
    wasm.wasmBackend.huffmanDecompress(lossless.subarray(0, lossless.length >> 1), bytes.length);
  } catch (e) {
    code = e instanceof core.PymecompressError ? e.code : `not a PymecompressError: ${e}`;
  }
  assert.match(String(code), /^ERR_/);
  console.log(JSON.stringify({ build: info.build, truncated: code }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
