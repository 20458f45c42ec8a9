import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { coreBackend, PymecompressError } from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import {
  backendInfo,
  decodePzf,
  encodePzf,
  getBackend,
  Huffman,
  HuffmanQuant16,
} from '../src/index.js';
import { cameraFrame, PKG, tempDir } from './helpers.js';

/** backendInfo() / getBackend() in a fresh Node process with the given environment. */
function probe(
  env: Record<string, string | undefined>,
  option?: string,
): { info?: unknown; kind?: string; error?: { code: string; message: string } } {
  const script = `
    import { backendInfo, getBackend } from '@pymecompress/codecs';
    const out = {};
    try { out.info = backendInfo(); out.kind = getBackend(${option ? JSON.stringify(option) : ''}).kind; }
    catch (e) { out.error = { code: e.code, message: e.message }; }
    console.log(JSON.stringify(out));`;
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PKG,
    env: childEnv,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/** Whether the addon loads on this machine (asked in a child without PYMECOMPRESS_BACKEND). */
const nativeLoads = (
  probe({ PYMECOMPRESS_BACKEND: undefined }).info as { nativeAvailable: boolean }
).nativeAvailable;
/** Whether it is loaded in this process (false under PYMECOMPRESS_BACKEND=core-ts). */
const nativeHere = backendInfo().nativeAvailable;

describe('backend selection', () => {
  it('backendInfo reports the backend in use and why native is unavailable', () => {
    const info = backendInfo();
    expect(info.platform).toBe('node');
    expect(['native', 'core-ts']).toContain(info.kind);
    if (!info.nativeAvailable) expect(info.nativeError).toMatch(/native|PYMECOMPRESS_BACKEND/);
  });

  it('auto picks native when it loads, else core-ts', () => {
    const r = probe({ PYMECOMPRESS_BACKEND: undefined });
    expect(r.kind).toBe(nativeLoads ? 'native' : 'core-ts');
    expect(r.info).toMatchObject({ requested: 'auto', nativeAvailable: nativeLoads });
  });

  it('PYMECOMPRESS_BACKEND=core-ts forces core-ts and does not even load the addon', () => {
    const r = probe({ PYMECOMPRESS_BACKEND: 'core-ts' });
    expect(r.kind).toBe('core-ts');
    expect(r.info).toMatchObject({
      kind: 'core-ts',
      requested: 'core-ts',
      nativeAvailable: false,
      nativeError: 'not attempted: PYMECOMPRESS_BACKEND=core-ts',
    });
    // Forcing native by option then fails with the reason.
    const f = probe({ PYMECOMPRESS_BACKEND: 'core-ts' }, 'native');
    expect(f.error?.code).toBe('ERR_BACKEND_UNAVAILABLE');
    expect(f.error?.message).toMatch(/PYMECOMPRESS_BACKEND=core-ts/);
  });

  it('PYMECOMPRESS_BACKEND=native uses native, or fails with a typed error', () => {
    const r = probe({ PYMECOMPRESS_BACKEND: 'native' });
    if (nativeLoads) expect(r.kind).toBe('native');
    else expect(r.error?.code).toBe('ERR_BACKEND_UNAVAILABLE');
  });

  it('an invalid PYMECOMPRESS_BACKEND is ERR_INVALID_ARGUMENT (the option still wins)', () => {
    const r = probe({ PYMECOMPRESS_BACKEND: 'gpu' });
    expect(r.error?.code).toBe('ERR_INVALID_ARGUMENT');
    expect(probe({ PYMECOMPRESS_BACKEND: 'gpu' }, 'core-ts').kind).toBe('core-ts');
  });

  it('options select per codec / call; a Backend object is accepted', () => {
    expect(getBackend('core-ts')).toBe(coreBackend);
    expect(new Huffman({ backend: 'core-ts' }).backend.kind).toBe('core-ts');
    expect(new HuffmanQuant16({ backend: coreBackend }).backend).toBe(coreBackend);
    expect(() => getBackend('cuda' as never)).toThrow(PymecompressError);
    if (!nativeHere) {
      expect(() => new Huffman({ backend: 'native' })).toThrow(
        expect.objectContaining({ code: 'ERR_BACKEND_UNAVAILABLE' }),
      );
    }
  });

  it.runIf(nativeHere)('native and core-ts produce identical bytes and values', async () => {
    const data = cameraFrame(256 * 256, 11);
    for (const [a, b] of [
      [new Huffman({ backend: 'native' }), new Huffman({ backend: 'core-ts' })],
      [
        new HuffmanQuant16({ offset: 100, scale: 0.5, backend: 'native' }),
        new HuffmanQuant16({ offset: 100, scale: 0.5, backend: 'core-ts' }),
      ],
    ] as const) {
      const ea = await a.encode(data);
      expect(Buffer.from(ea).equals(Buffer.from(b.encodeSync(data)))).toBe(true);
      expect(Buffer.from(await a.decode(ea)).equals(Buffer.from(b.decodeSync(ea)))).toBe(true);
    }
    for (const compression of ['huffman', 'huffman-chunked'] as const) {
      const opts = {
        shape: [256, 256],
        compression,
        quantization: { offset: 100, scale: 1 },
        chunks: 4,
      };
      const pa = encodePzf(data, { ...opts, backend: 'native' });
      expect(
        Buffer.from(pa).equals(Buffer.from(encodePzf(data, { ...opts, backend: 'core-ts' }))),
      ).toBe(true);
      expect(Array.from(decodePzf(pa, { backend: 'native' }).data)).toEqual(
        Array.from(decodePzf(pa, { backend: 'core-ts' }).data),
      );
    }
  });

  it('without @pymecompress/native installed: core-ts, with the reason; forcing native is a typed error', () => {
    // A copy of the built package in a node_modules tree that has core-ts but no native addon.
    const root = tempDir('nonative');
    const pkgDir = join(root, 'node_modules', '@pymecompress', 'codecs');
    mkdirSync(pkgDir, { recursive: true });
    cpSync(join(PKG, 'dist'), join(pkgDir, 'dist'), { recursive: true });
    cpSync(join(PKG, 'package.json'), join(pkgDir, 'package.json'));
    symlinkSync(
      realpathSync(join(PKG, 'node_modules', '@pymecompress', 'core-ts')),
      join(root, 'node_modules', '@pymecompress', 'core-ts'),
    );
    const run = (env: string | undefined, option?: string) => {
      const script = `
        import { backendInfo, getBackend } from '@pymecompress/codecs';
        const out = { info: backendInfo() };
        try { out.kind = getBackend(${option ? JSON.stringify(option) : ''}).kind; } catch (e) { out.error = { code: e.code, message: e.message }; }
        console.log(JSON.stringify(out));`;
      const e = { ...process.env };
      // pnpm's NODE_PATH reaches the workspace's hoisted packages (native included); the loader
      // resolves native with require(), which honours NODE_PATH, so drop it for this tree.
      delete e.NODE_PATH;
      if (env === undefined) delete e.PYMECOMPRESS_BACKEND;
      else e.PYMECOMPRESS_BACKEND = env;
      return JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], {
          cwd: root,
          env: e,
          encoding: 'utf8',
        }),
      );
    };
    const auto = run(undefined);
    expect(auto.kind).toBe('core-ts');
    expect(auto.info).toMatchObject({
      kind: 'core-ts',
      nativeAvailable: false,
      nativeError: '@pymecompress/native is not installed',
    });
    const forced = run('native');
    expect(forced.error.code).toBe('ERR_BACKEND_UNAVAILABLE');
    expect(forced.error.message).toMatch(/not installed/);
    expect(run(undefined, 'native').error.code).toBe('ERR_BACKEND_UNAVAILABLE');
  });
});
