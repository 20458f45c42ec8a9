/**
 * Fuzzing the file parsers (fast-check): arbitrary and mutated bytes fed to the `.npy` header,
 * `.dax`/`.inf`, TIFF, Zarr metadata, PZF and numcodecs-trailer readers must give a right result
 * or a typed error (a `CliError` with exit code 3, or a `PymecompressError`), never another
 * exception, a hang or an allocation the file merely asks for.
 *
 * Knobs: PYMECOMPRESS_FC_RUNS (runs per property, default 150 in CI; raise it for long runs) and
 * PYMECOMPRESS_FC_SEED. A failing input is written to test/fuzz-regressions/<target>/ and
 * replayed by every later run (commit it with the fix).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePzf, encodePzf, Huffman, isPymecompressError } from '@pymecompress/codecs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { openInput } from '../src/inputs/index.js';
import { npyHeaderBytes, parseNpyHeader } from '../src/npy.js';
import { PyLiteralError, parsePyLiteral } from '../src/py-literal.js';
import { openZarrInput } from '../src/zarr/index.js';
import { buildTiff, encodeStrips } from './crafted.js';
import { cameraStack, pkgRoot, tempDir } from './helpers.js';

const runs = Number(process.env.PYMECOMPRESS_FC_RUNS ?? 150);
const seed = process.env.PYMECOMPRESS_FC_SEED
  ? Number(process.env.PYMECOMPRESS_FC_SEED)
  : undefined;
const regressions = join(pkgRoot, 'test', 'fuzz-regressions');
let dir: string;

beforeAll(() => {
  dir = tempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function typed(err: unknown): boolean {
  return (err instanceof CliError && err.exitCode === 3) || isPymecompressError(err);
}

/** Arbitrary bytes, or `base` with a few bytes overwritten and possibly truncated or extended. */
function bytesLike(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const mutated = fc
    .tuple(
      fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
        maxLength: 8,
      }),
      fc.oneof(fc.constant(base.length), fc.nat(base.length + 64)),
    )
    .map(([edits, len]) => {
      const b = new Uint8Array(len);
      b.set(base.subarray(0, Math.min(len, base.length)));
      for (const [i, v] of edits) if (i < len) b[i] = v;
      return b;
    });
  return fc.oneof(
    { weight: 3, arbitrary: mutated },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  );
}

/** Runs `check` on the saved regressions of `target`, then on generated inputs. */
async function fuzz(
  target: string,
  base: Uint8Array,
  check: (b: Uint8Array) => Promise<void> | void,
): Promise<void> {
  const saved = join(regressions, target);
  let files: string[] = [];
  try {
    files = readdirSync(saved);
  } catch {
    // none yet
  }
  for (const f of files) await run(new Uint8Array(readFileSync(join(saved, f))));
  async function run(b: Uint8Array): Promise<void> {
    try {
      await check(b);
    } catch (err) {
      if (typed(err)) return;
      mkdirSync(saved, { recursive: true });
      const name = createHash('sha256').update(b).digest('hex').slice(0, 16);
      writeFileSync(join(saved, `${name}.bin`), b);
      throw err;
    }
  }
  await fc.assert(fc.asyncProperty(bytesLike(base), run), {
    numRuns: runs,
    ...(seed !== undefined ? { seed } : {}),
  });
}

const H = 6;
const W = 5;
const frames = cameraStack(2, H, W, 11);

describe('fuzzing the file parsers: a right result or a typed error', () => {
  it('.npy headers and stacks', async () => {
    const head = npyHeaderBytes('uint16', [2, H, W]);
    const base = new Uint8Array(head.length + frames.byteLength);
    base.set(head);
    base.set(new Uint8Array(frames.buffer), head.length);
    const file = join(dir, 'f.npy');
    await fuzz('npy', base, async (b) => {
      try {
        parseNpyHeader(file, b);
      } catch (err) {
        if (!typed(err)) throw err;
      }
      writeFileSync(file, b);
      const src = await openInput(file);
      try {
        if (src.frames > 0) await src.read(0, 1);
      } finally {
        await src.close();
      }
    });
  });

  it('Python literals (the .npy header grammar): a value or PyLiteralError', () => {
    const token = fc.constantFrom(
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      ',',
      ':',
      "'a'",
      '"b"',
      '1',
      '-0x1F',
      '2L',
      '0_1',
      'True',
      'None',
      ' ',
      '\\',
      "'",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(token, { maxLength: 80 }).map((t) => t.join('')),
        ),
        (text) => {
          try {
            parsePyLiteral(text, { longSuffix: true });
          } catch (err) {
            if (!(err instanceof PyLiteralError)) throw err;
          }
        },
      ),
      { numRuns: runs * 10, ...(seed !== undefined ? { seed } : {}) },
    );
    expect(() => parsePyLiteral('('.repeat(100000))).toThrow(PyLiteralError);
  });

  it('.dax + .inf', async () => {
    const inf = new TextEncoder().encode(
      `frame dimensions = ${W} x ${H}\nnumber of frames = 2\ndata type = 16 bit integers (binary, big endian)\n`,
    );
    writeFileSync(join(dir, 'm.dax'), new Uint8Array(frames.buffer));
    await fuzz('inf', inf, async (b) => {
      writeFileSync(join(dir, 'm.inf'), b);
      const src = await openInput(join(dir, 'm.dax'));
      try {
        if (src.frames > 0) await src.read(src.frames - 1, 1);
      } finally {
        await src.close();
      }
    });
  });

  it('TIFF (IFD chains, strip tables, LZW and Deflate strips)', async () => {
    const f0 = frames.subarray(0, H * W);
    const base = buildTiff([
      { width: W, height: H, compression: 5, rowsPerStrip: 4, strips: encodeStrips(f0, W, 4, 5) },
      {
        width: W,
        height: H,
        compression: 8,
        predictor: 2,
        rowsPerStrip: 4,
        strips: encodeStrips(f0, W, 4, 8, 2),
      },
    ]);
    const file = join(dir, 'f.tif');
    await fuzz('tiff', base, async (b) => {
      writeFileSync(file, b);
      const src = await openInput(file);
      try {
        for (let i = 0; i < Math.min(src.frames, 3); i++) await src.read(i, 1);
      } finally {
        await src.close();
      }
    });
  });

  it('Zarr .zarray metadata', async () => {
    const z = join(dir, 'a.zarr');
    mkdirSync(z, { recursive: true });
    const meta = new TextEncoder().encode(
      JSON.stringify({
        zarr_format: 2,
        shape: [2, H, W],
        chunks: [1, H, W],
        dtype: '<u2',
        compressor: { id: 'pymecompress-quant16', offset: 100, scale: 1 },
        fill_value: 0,
        order: 'C',
        filters: null,
        dimension_separator: '.',
      }),
    );
    await fuzz('zarray', meta, async (b) => {
      writeFileSync(join(z, '.zarray'), b);
      await openZarrInput(z);
    });
  });

  it('PZF frames and numcodecs trailers', async () => {
    const pzf = encodePzf(frames.subarray(0, H * W), {
      shape: [H, W],
      compression: 'huffman-chunked',
      backend: 'core-ts',
    });
    await fuzz('pzf', pzf, (b) => {
      decodePzf(b, { backend: 'core-ts' });
    });
    const codec = new Huffman({ backend: 'core-ts', dtype: '<u2', chunkShape: [H * W] });
    const chunk = codec.encodeSync(frames.subarray(0, H * W));
    await fuzz('trailer', chunk, (b) => {
      codec.decodeSync(b);
    });
    expect(runs).toBeGreaterThan(0);
  });
});
