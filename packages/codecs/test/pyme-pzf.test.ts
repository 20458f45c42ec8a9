import { FileSystemStore } from '@zarrita/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { decodePzf, encodePzf, PymePzf, transpose } from '../src/index.js';
import { REGISTERED_NAMES, register } from '../src/zarr.js';
import { cameraFrame, tempDir } from './helpers.js';

beforeAll(() => register());

const T = 16;
const u16 = cameraFrame(T * T, 4);
const bytesOf = (a: Uint16Array | Float32Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('pyme-pzf codec', () => {
  it('is registered under pyme-pzf and numcodecs.pyme-pzf', async () => {
    expect(REGISTERED_NAMES).toContain('pyme-pzf');
    expect(REGISTERED_NAMES).toContain('numcodecs.pyme-pzf');
    const e = await zarr.registry.get('numcodecs.pyme-pzf')!();
    expect(e.kind).toBe('bytes_to_bytes');
    expect(PymePzf.fromConfig({ id: 'pyme-pzf' }).toJSON()).toEqual({ id: 'pyme-pzf' });
  });

  it('accepts zarrita 0.5 (data_type) and 0.7 (dataType) chunk metadata', () => {
    const frame = encodePzf(u16, { shape: [T, T] });
    for (const meta of [
      { data_type: 'uint16', shape: [1, T, T] },
      { dataType: 'uint16', shape: [1, T, T] },
      { dtype: '<u2', shape: [T, T] },
    ]) {
      const got = PymePzf.fromConfig({ id: 'pyme-pzf' }, meta).decodeSync(frame);
      expect(Array.from(new Uint16Array(got.slice().buffer))).toEqual(Array.from(u16));
    }
  });

  it('decodes every compression, either DimOrder, [t,t] and [t,t,1] frames, quantized frames', () => {
    const meta = { dataType: 'uint16', shape: [1, T, T] };
    const c = new PymePzf({}, meta);
    const fOrder = transpose(u16, [T, T, 1], 'C');
    const frames = [
      encodePzf(u16, { shape: [T, T], compression: 'raw' }),
      encodePzf(u16, { shape: [T, T, 1], compression: 'huffman-chunked', chunks: 3 }),
      encodePzf(fOrder, { shape: [T, T], order: 'F' }),
    ];
    for (const f of frames)
      expect(Array.from(new Uint16Array(c.decodeSync(f).slice().buffer))).toEqual(Array.from(u16));
    const q = encodePzf(u16, { shape: [T, T], quantization: { offset: 100, scale: 1 } });
    const want = decodePzf(q).data;
    expect(Array.from(new Uint16Array(c.decodeSync(q).slice().buffer))).toEqual(Array.from(want));
    // float32 frames (what PYME's pyramids hold today).
    const f32 = Float32Array.from(u16, (v) => v / 3);
    const cf = new PymePzf({}, { dataType: 'float32', shape: [1, T, T] });
    expect(
      Array.from(new Float32Array(cf.decodeSync(encodePzf(f32, { shape: [T, T] })).slice().buffer)),
    ).toEqual(Array.from(f32));
  });

  it('refuses a frame whose dtype or shape does not match the chunk (typed errors)', () => {
    const frame = encodePzf(u16, { shape: [T, T] });
    const code = { code: 'ERR_INVALID_ARGUMENT' };
    expect(() =>
      new PymePzf({}, { dataType: 'float32', shape: [1, T, T] }).decodeSync(frame),
    ).toThrowError(expect.objectContaining(code));
    expect(() =>
      new PymePzf({}, { dataType: 'uint16', shape: [1, T, 2 * T] }).decodeSync(frame),
    ).toThrowError(expect.objectContaining(code));
    expect(() => new PymePzf({}, { dataType: 'int32', shape: [1, T, T] })).toThrowError(
      expect.objectContaining(code),
    );
    expect(() => new PymePzf({}, { dataType: 'uint16', shape: [2, T, T, 1] })).toThrowError(
      expect.objectContaining(code),
    );
    expect(() =>
      new PymePzf({}, { dataType: 'uint16' }).decodeSync(new Uint8Array(70)),
    ).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_PZF' }));
    expect(
      () => new PymePzf({ quantization: { offset: 0, scale: 1 } }, { dataType: 'float32' }),
    ).toThrowError(expect.objectContaining(code));
  });

  it('encodes version-3 PZF frames: lossless by default, quantized for uint16 when configured', () => {
    const meta = { dataType: 'uint16', shape: [1, T, T] };
    const enc = new PymePzf({}, meta).encodeSync(bytesOf(u16));
    const f = decodePzf(enc);
    expect(f.version).toBe(3);
    expect(f.shape).toEqual([T, T, 1]);
    expect(f.compression).toBe('huffman');
    expect(Array.from(f.data)).toEqual(Array.from(u16));
    const q = new PymePzf({ quantization: { offset: 100, scale: 1 } }, meta).encodeSync(
      bytesOf(u16),
    );
    const fq = decodePzf(q);
    expect(fq.quantization).toEqual({ offset: 100, scale: 1 });
    expect(Array.from(fq.data)).toEqual(
      Array.from(
        decodePzf(encodePzf(u16, { shape: [T, T], quantization: { offset: 100, scale: 1 } })).data,
      ),
    );
  });

  it('round-trips a Zarr v2 array with [1,t,t] chunks through zarrita', async () => {
    const dir = tempDir('pzfzarr');
    const store = new FileSystemStore(dir);
    const zarray = {
      zarr_format: 2,
      shape: [1, 2 * T, T + 5],
      chunks: [1, T, T],
      dtype: '<f4',
      compressor: { id: 'pyme-pzf' },
      fill_value: 0,
      filters: null,
      order: 'C',
      dimension_separator: '/',
    };
    await store.set('/.zarray', new TextEncoder().encode(JSON.stringify(zarray)));
    const data = Float32Array.from({ length: 2 * T * (T + 5) }, (_, i) => Math.sin(i) * 100);
    const arr = await zarr.open.v2(store, { kind: 'array' });
    await zarr.set(arr, null, {
      data,
      shape: [1, 2 * T, T + 5],
      stride: [2 * T * (T + 5), T + 5, 1],
    });
    const got = await zarr.get(await zarr.open.v2(store, { kind: 'array' }));
    expect(Array.from(got.data as Float32Array)).toEqual(Array.from(data));
    const raw = await store.get('/0/1/1');
    expect(decodePzf(raw!).shape).toEqual([T, T, 1]);
  });
});
