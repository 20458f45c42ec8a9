// A user's script against the installed @pymecompress/codecs + zarrita (whichever generation the
// project installed), copied by scripts/test-tarballs.mjs into fresh projects and run twice: as
// ESM (`load = import`) and as CommonJS (`load = require`, Node >= 20.19's require(esm)). The
// header it gets defines `load(name)` and `EXPECT_BACKEND` (what `backendInfo().kind` must say
// after `await ready()`). Prints one JSON line; throws (exit 1) on any wrong answer.
// Plain JavaScript on purpose: it must run as either module kind without a build step.
/* global load, EXPECT_BACKEND */
(async () => {
  const assert = await load('node:assert');
  const { readFileSync } = await load('node:fs');
  const codecs = await load('@pymecompress/codecs');
  const zc = await load('@pymecompress/codecs/zarr');
  // zarrita is ESM only (no `require` condition): CommonJS users import() it too.
  const zarr = await import('zarrita');
  const zarritaVersion = JSON.parse(
    readFileSync(`${process.cwd()}/node_modules/zarrita/package.json`, 'utf8'),
  ).version;
  const v05 = zarritaVersion.startsWith('0.5.');

  // Backend selection: native (if installed) before ready(); after it, native > wasm > core-ts.
  const before = codecs.backendInfo().kind;
  await codecs.ready();
  const info = codecs.backendInfo();
  assert.strictEqual(info.kind, EXPECT_BACKEND, JSON.stringify(info));
  if (EXPECT_BACKEND !== 'native') assert.notStrictEqual(before, 'native');

  zc.register();
  const memory = () => {
    const map = new Map();
    return {
      map,
      get: async (k) => map.get(k),
      set: async (k, v) => {
        map.set(k, v);
      },
    };
  };
  const frame = new Uint16Array(48 * 40);
  let s = 99;
  for (let i = 0; i < frame.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    frame[i] = 100 + (s >>> 22);
  }

  // 1. Zarr v3 through zarrV3Codecs (numcodecs.* + crc32c), written and read by zarrita.
  const v3 = memory();
  const codecList = zc.zarrV3Codecs(new codecs.Huffman(), { dataType: 'uint16' });
  assert.deepStrictEqual(
    codecList.map((c) => c.name),
    ['bytes', 'numcodecs.pymecompress-huffman', 'crc32c'],
  );
  const arr = await zarr.create(zarr.root(v3).resolve('img'), {
    shape: [48, 40],
    ...(v05
      ? { chunk_shape: [16, 16], data_type: 'uint16' }
      : { chunkShape: [16, 16], dtype: 'uint16' }),
    codecs: codecList,
  });
  await zarr.set(arr, null, { data: frame, shape: [48, 40], stride: [40, 1] });
  const readV3 = async () =>
    (await zarr.get(await zarr.open.v3(zarr.root(v3).resolve('img'), { kind: 'array' }))).data;
  assert.deepStrictEqual(Array.from(await readV3()), Array.from(frame));
  const chunkKey = [...v3.map.keys()].find((k) => /\/img\/c\/0\/0$/.test(k));
  assert.ok(chunkKey, `no chunk 0,0 among ${[...v3.map.keys()]}`);
  const chunk = v3.map.get(chunkKey);
  chunk[chunk.length >> 1] ^= 0x10;
  let code;
  try {
    await readV3();
  } catch (e) {
    code = e.code ?? e.cause?.code;
  }
  assert.strictEqual(code, 'ERR_CORRUPT_STREAM', 'a flipped byte must fail the crc32c check');

  // 2. Zarr v2: the shared writer (zarr entry) and its metadata rules (root entry), read by zarrita.
  const v2 = memory();
  const q = new codecs.HuffmanQuant16({ offset: 100, scale: 1 });
  await zc.writeZarrV2(
    v2,
    { data: frame, shape: [48, 40] },
    { chunks: [16, 16], codec: q, dimensionSeparator: '/', path: 'q' },
  );
  assert.strictEqual(codecs.zarrV2ChunkKey([2, 1], '/'), '2/1');
  assert.ok(v2.map.has('/q/2/1'), [...v2.map.keys()].join(' '));
  const meta = codecs.zarrV2ArrayMeta({
    shape: [48, 40],
    chunks: [16, 16],
    dtype: '<u2',
    compressor: q.toJSON(),
    fillValue: 0,
    dimensionSeparator: '/',
  });
  const written = JSON.parse(new TextDecoder().decode(v2.map.get('/q/.zarray')));
  assert.deepStrictEqual(written, JSON.parse(new TextDecoder().decode(codecs.zarrV2Json(meta))));
  const qarr = await zarr.open.v2(zarr.root(v2).resolve('q'), { kind: 'array' });
  const qback = (await zarr.get(qarr)).data;
  assert.deepStrictEqual(Array.from(qback), Array.from(q.decodeUint16Sync(q.encodeSync(frame))));

  // 3. A PYME tile pyramid (2x2 tiles of 24x20, one tile missing) through pymePyramidStore.
  const enc = new TextEncoder();
  const py = memory();
  const t = [24, 20];
  py.map.set('/.zgroup', enc.encode(JSON.stringify({ zarr_format: 2 })));
  py.map.set(
    '/.zattrs',
    enc.encode(
      JSON.stringify({
        pyme: {
          tile_size: 24,
          key_schema: zc.PYME_DEFAULT_KEY_SCHEMA,
          suffix: 'img',
          extension: '.pzf',
        },
      }),
    ),
  );
  py.map.set(
    '/0/.zarray',
    enc.encode(
      JSON.stringify({
        zarr_format: 2,
        shape: [1, 48, 40],
        chunks: [1, ...t],
        dtype: '<f4',
        compressor: { id: 'pyme-pzf' },
        fill_value: 0,
        order: 'C',
        filters: null,
        dimension_separator: '/',
      }),
    ),
  );
  const tiles = {};
  for (const [x, y] of [
    [0, 0],
    [0, 1],
    [1, 0],
  ]) {
    const data = Float32Array.from({ length: t[0] * t[1] }, (_, i) => x * 1000 + y * 100 + i / 4);
    tiles[`${x},${y}`] = data;
    const pad = (n) => String(n).padStart(3, '0');
    const pzf = new codecs.PymePzf({ chunkShape: [1, ...t], dtype: 'float32' }).encodeSync(
      new Uint8Array(data.buffer),
    );
    py.map.set(`/0/000/${pad(x)}/${pad(y)}_img.pzf`, pzf);
  }
  const pstore = zc.pymePyramidStore(py);
  assert.strictEqual(await pstore.tileKey('/0/0/1/0'), '/0/000/001/000_img.pzf');
  const level0 = await zarr.open.v2(zarr.root(pstore).resolve('0'), { kind: 'array' });
  const img = await zarr.get(level0);
  assert.deepStrictEqual(img.shape, [1, 48, 40]);
  for (let r = 0; r < 48; r++) {
    for (let c = 0; c < 40; c++) {
      const tile = tiles[`${Math.floor(r / t[0])},${Math.floor(c / t[1])}`];
      const want = tile ? tile[(r % t[0]) * t[1] + (c % t[1])] : 0;
      if (img.data[r * 40 + c] !== want) {
        throw new Error(`pyramid pixel ${r},${c}: ${img.data[r * 40 + c]} != ${want}`);
      }
    }
  }
  console.log(
    JSON.stringify({
      zarrita: zarritaVersion,
      before,
      backend: info.kind,
      v3: 'ok',
      v2: 'ok',
      pyramid: 'ok',
    }),
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
