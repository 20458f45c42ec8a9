/**
 * Issue 14's table, row by row: every hostile file or fault is crafted here (test/crafted.ts),
 * run through the CLI with a time limit, and must give the documented exit code, a message naming
 * the file, bounded memory and no leftovers. Exit code, peak RSS and time of every case are written
 * to test-results/hostile-cases.json.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTiff, encodeStrips, lzwEncode, npyWithHeader } from './crafted.js';
import { bytesOf, cameraStack, cli, cliAsync, readNpy, tempDir, writeNpy } from './helpers.js';
import { measure, writeMeasurements } from './measure.js';

let dir: string;
const H = 32;
const W = 48;
let stack: Uint16Array;
let npy: string;

beforeAll(() => {
  dir = tempDir();
  stack = cameraStack(3, H, W, 5);
  npy = join(dir, 'ok.npy');
  writeNpy(npy, stack, [3, H, W]);
});

afterAll(() => {
  writeMeasurements('hostile-cases.json');
  rmSync(dir, { recursive: true, force: true });
});

function leftovers(d: string): string[] {
  return readdirSync(d).filter((n) => /\.(tmp|old)-|\.lock$/.test(n));
}

/** Exit 3 with one `pymecompress:` prefix naming `name`. */
function expectBadInput(r: { code: number | null; stderr: string }, name: RegExp | string): void {
  expect(r.code, r.stderr).toBe(3);
  expect(r.stderr.startsWith('pymecompress: ')).toBe(true);
  expect(r.stderr).not.toMatch(/pymecompress: pymecompress:/);
  expect(r.stderr).toMatch(name);
}

describe('row 1: TIFF page chains', () => {
  it('an IFD whose next offset points to itself is an error, not an endless page count', () => {
    const f = join(dir, 'loop.tif');
    writeFileSync(f, buildTiff([{ width: 5, height: 4 }], { loop: true }));
    expect(readFileSync(f).length).toBeLessThan(200);
    expectBadInput(
      measure('row 1: self-looping IFD, info', ['info', f]),
      /loop\.tif: IFD 1: next-IFD offset \d+ loops back/,
    );
    expectBadInput(
      measure('row 1: self-looping IFD, compress', ['compress', f, '-o', join(dir, 'loop.zarr')]),
      /loops back/,
    );
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('row 2: devices, FIFOs and symlinks', () => {
  it('/dev/zero behind a symlink and a FIFO are refused as non-regular files', () => {
    const z = join(dir, 'zero.pzf');
    symlinkSync('/dev/zero', z);
    expectBadInput(
      measure('row 2: /dev/zero .pzf, info', ['info', z]),
      /zero\.pzf: is a device, not a regular file/,
    );
    expectBadInput(
      measure('row 2: /dev/zero .pzf, decompress', ['decompress', z, '-o', join(dir, 'z.npy')]),
      /is a device/,
    );
    const fifo = join(dir, 'pipe.npy');
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status === 0) {
      expectBadInput(
        measure(
          'row 2: FIFO .npy, compress',
          ['compress', fifo, '-o', join(dir, 'p.zarr')],
          {},
          20_000,
        ),
        /pipe\.npy: is a FIFO/,
      );
    }
    // a chunk that is a symlink leaving the array
    const za = join(dir, 'sym.zarr');
    expect(cli(['compress', npy, '-o', za, '-q']).code).toBe(0);
    rmSync(join(za, '1.0.0'));
    symlinkSync('/dev/zero', join(za, '1.0.0'));
    expectBadInput(
      measure('row 2: chunk symlinked to /dev/zero, decompress', [
        'decompress',
        za,
        '-o',
        join(dir, 's.npy'),
      ]),
      /sym\.zarr: chunk 1 is a symlink leaving the array/,
    );
  });
});

describe('row 3: TIFF decompression bombs', () => {
  it('LZW and Deflate strips that decode past their declared 5x4 pixels are refused', () => {
    const lzw = join(dir, 'bomb-lzw.tif');
    const big = new Uint8Array(4 << 20);
    writeFileSync(
      lzw,
      buildTiff([{ width: 5, height: 4, compression: 5, strips: [lzwEncode(big)] }]),
    );
    const r = measure('row 3: LZW bomb (5x4 declared), compress', [
      'compress',
      lzw,
      '-o',
      join(dir, 'b.zarr'),
    ]);
    expectBadInput(
      r,
      /bomb-lzw\.tif: page 0: strip 0 decompresses to more than the 40 bytes it declares/,
    );
    const dfl = join(dir, 'bomb-deflate.tif');
    const deflated = encodeStrips(new Uint16Array(16 << 20), 5, 1 << 30, 8);
    writeFileSync(dfl, buildTiff([{ width: 5, height: 4, compression: 8, strips: deflated }]));
    const d = measure('row 3: Deflate bomb (5x4 declared), compress', [
      'compress',
      dfl,
      '-o',
      join(dir, 'b.zarr'),
    ]);
    expectBadInput(d, /bomb-deflate\.tif: page 0: strip 0 decompresses to more than/);
    expect(d.rssMB).toBeLessThan(400);
    expect(leftovers(dir)).toEqual([]);
  });

  it('LZW, Deflate and PackBits strips, with and without predictor 2, decode exactly', () => {
    const frame = stack.subarray(0, H * W);
    for (const [compression, predictor] of [
      [5, 1],
      [5, 2],
      [8, 2],
      [32773, 1],
      [32773, 2],
      [1, 1],
    ] as const) {
      const f = join(dir, `c${compression}-${predictor}.tif`);
      const strips = encodeStrips(frame, W, 7, compression, predictor);
      writeFileSync(
        f,
        buildTiff([{ width: W, height: H, compression, predictor, rowsPerStrip: 7, strips }]),
      );
      const z = `${f}.zarr`;
      const c = cli(['compress', f, '-o', z, '-q']);
      expect(c.code, c.stderr).toBe(0);
      expect(cli(['decompress', z, '-o', `${f}.npy`, '-q']).code).toBe(0);
      expect(readNpy(`${f}.npy`).data).toEqual(frame);
    }
  });
});

describe('row 4 (pool side): a fast failure closes the worker pool safely', () => {
  it('compress --threads 8 failing on page 1 exits 3 every time, never aborts', () => {
    const f = join(dir, 'mixed.tif');
    writeFileSync(
      f,
      buildTiff([
        { width: W, height: H },
        { width: 5, height: 4 },
      ]),
    );
    const codes = new Set<number | null>();
    for (let i = 0; i < 12; i++) {
      const r = measure(`row 4: fast failure with --threads 8 (run ${i})`, [
        'compress',
        f,
        '-o',
        join(dir, 'm.zarr'),
        '--threads',
        '8',
      ]);
      codes.add(r.code);
      expect(r.stderr).not.toMatch(/FATAL|napi/);
    }
    expect([...codes]).toEqual([3]);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('row 5: frames of 2 GiB and more', () => {
  it('a 1x40000x40000 and a 1x50000x50000 uint16 .npy are refused with the limit named', () => {
    for (const n of [40000, 50000]) {
      const f = join(dir, `huge${n}.npy`);
      const head = npyWithHeader(
        `{'descr': '<u2', 'fortran_order': False, 'shape': (1, ${n}, ${n}), }`,
      );
      writeFileSync(f, head);
      truncateSync(f, head.length + n * n * 2); // sparse
      const r = measure(`row 5: 1x${n}x${n} uint16 .npy, compress`, [
        'compress',
        f,
        '-o',
        join(dir, 'h.zarr'),
      ]);
      expectBadInput(r, /over the 2147483647-byte \(2 GiB\) limit for one frame/);
      expect(r.rssMB).toBeLessThan(300);
      rmSync(f);
    }
    expect(leftovers(dir)).toEqual([]);
  });
});

function zarrWith(name: string, patch: Record<string, unknown>): string {
  const z = join(dir, name);
  rmSync(z, { recursive: true, force: true });
  expect(cli(['compress', npy, '-o', z, '-q']).code).toBe(0);
  const meta = JSON.parse(readFileSync(join(z, '.zarray'), 'utf8'));
  writeFileSync(join(z, '.zarray'), JSON.stringify({ ...meta, ...patch }));
  return z;
}

describe('row 6: impossible .zarray shapes', () => {
  it('negative, fractional, null, boolean and huge dimensions are typed errors', () => {
    for (const [label, shape] of [
      ['-1', [-1, H, W]],
      ['2.5', [2.5, H, W]],
      ['null', [null, H, W]],
      ['true', [true, H, W]],
      ['2^53', [2 ** 53, 8, 8]],
      ['2^30 x 2^30', [1, 2 ** 30, 2 ** 30]],
    ] as const) {
      const z = zarrWith('shape.zarr', {
        shape,
        chunks: [1, shape[1], shape[2]],
      });
      const r = measure(`row 6: .zarray shape ${label}, decompress`, [
        'decompress',
        z,
        '-o',
        join(dir, 'o.npy'),
      ]);
      expectBadInput(r, /shape\.zarr: /);
      expect(existsSync(join(dir, 'o.npy'))).toBe(false);
    }
  });
});

describe('row 7: what used to be silently wrong', () => {
  it('unknown dimension_separator, bad fill values, quant16 metadata over lossless chunks', () => {
    let z = zarrWith('sep.zarr', { dimension_separator: '-' });
    expectBadInput(
      measure('row 7: dimension_separator "-"', ['decompress', z, '-o', join(dir, 'o.npy')]),
      /dimension_separator "-"/,
    );
    for (const fill of [-1, 70000, 1.5]) {
      z = zarrWith('fill.zarr', { fill_value: fill });
      expectBadInput(
        measure(`row 7: fill_value ${fill}`, ['decompress', z, '-o', join(dir, 'o.npy')]),
        /fill_value .* is not an integer in 0..65535 \(uint16\)/,
      );
    }
    z = zarrWith('q.zarr', { compressor: { id: 'pymecompress-quant16', offset: 100, scale: 1 } });
    expectBadInput(
      measure('row 7: quant16 metadata over lossless chunks', [
        'decompress',
        z,
        '-o',
        join(dir, 'o.npy'),
      ]),
      /q\.zarr: \.zarray compressor pymecompress-quant16 disagrees with \.zattrs \(written lossless/,
    );
    expect(existsSync(join(dir, 'o.npy'))).toBe(false);
  });

  it('TIFF strip offsets past the end of the file are an error, not zeros', () => {
    const f = join(dir, 'past.tif');
    writeFileSync(f, buildTiff([{ width: 5, height: 4, offsets: [1_000_000] }]));
    expectBadInput(
      measure('row 7: TIFF strip offset past the end', ['compress', f, '-o', join(dir, 'p.zarr')]),
      /past\.tif: page 0: strip 0 .* runs past the end/,
    );
  });

  it('offset "", "0x64", "true" and fill-like junk are usage errors (no coercion)', () => {
    for (const v of ['', '0x64', 'true', '1e', 'Infinity']) {
      const r = measure(`row 7: --offset ${JSON.stringify(v)}`, [
        'compress',
        npy,
        '-o',
        join(dir, 'o.zarr'),
        '--offset',
        v,
        '--scale',
        '1',
      ]);
      expect(r.code, v).toBe(2);
      expect(r.stderr).toMatch(/--offset .*expected a decimal number/);
    }
    const r = cli(['compress', npy, '-o', join(dir, 'o.zarr'), '--offset', '1e39', '--scale', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/offset must be a finite float32/);
    expect(existsSync(join(dir, 'o.zarr'))).toBe(false);
  });
});

describe('row 8: outputs that appear during a run; concurrent writers', () => {
  const big = () => {
    const f = join(dir, 'big.npy');
    if (!existsSync(f)) writeNpy(f, cameraStack(300, 128, 128, 9), [300, 128, 128]);
    return f;
  };

  it('a directory created meanwhile is left untouched (exit 4)', async () => {
    const out = join(dir, 'race.zarr');
    const child = cliAsync([
      'compress',
      big(),
      '-o',
      out,
      '--threads',
      '1',
      '--backend',
      'core-ts',
    ]);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    while (!readdirSync(dir).some((n) => n.startsWith('.race.zarr.tmp-')))
      await new Promise((r) => setTimeout(r, 5));
    mkdirSync(out);
    writeFileSync(join(out, 'precious.txt'), 'x');
    expect(await exited).toBe(4);
    expect(stderr).toMatch(/race\.zarr: appeared during the run and was left untouched/);
    expect(readFileSync(join(out, 'precious.txt'), 'utf8')).toBe('x');
    expect(leftovers(dir)).toEqual([]);
  });

  it('two runs writing the same .zarr: exactly one succeeds', async () => {
    const out = join(dir, 'twice.zarr');
    const runs = [0, 1].map(() => {
      const c = cliAsync(['compress', big(), '-o', out, '-q', '--threads', '1']);
      return new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
    });
    const codes = (await Promise.all(runs)).sort();
    expect(codes).toEqual([0, 4]);
    expect(cli(['decompress', out, '-o', join(dir, 'twice.npy'), '-q']).code).toBe(0);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('row 9: tiny files claiming huge stacks', () => {
  it('10^12 empty frames in .npy and .dax headers are refused', () => {
    const f = join(dir, 'empty.npy');
    writeFileSync(
      f,
      npyWithHeader("{'descr': '<u2', 'fortran_order': False, 'shape': (1000000000000, 0, 0), }"),
    );
    expectBadInput(
      measure('row 9: .npy of 10^12 empty frames', ['compress', f, '-o', join(dir, 'e.zarr')]),
      /empty\.npy: frame count 1000000000000 exceeds/,
    );
    const d = join(dir, 'empty.dax');
    writeFileSync(d, '');
    writeFileSync(
      join(dir, 'empty.inf'),
      'frame dimensions = 0 x 0\nnumber of frames = 1000000000000\n',
    );
    expectBadInput(
      measure('row 9: .dax of 10^12 empty frames', ['compress', d, '-o', join(dir, 'e.zarr')]),
      /empty\.inf: frame count/,
    );
  });

  it('a Zarr of absent (fill) chunks larger than the disk is refused before writing', () => {
    const z = zarrWith('fill-huge.zarr', {
      shape: [1_000_000, 2048, 2048],
      chunks: [1, 2048, 2048],
    });
    for (const n of readdirSync(z)) if (!n.startsWith('.')) rmSync(join(z, n));
    const r = measure('row 9: Zarr of 10^6 absent 2048x2048 chunks, decompress', [
      'decompress',
      z,
      '-o',
      join(dir, 'f.npy'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/f\.npy: needs 8388\.61 GB but .* free \(no space left on device\)/);
    expect(existsSync(join(dir, 'f.npy'))).toBe(false);
  });
});

describe('row 10: bounded reads', () => {
  it('a 1.9 GB sparse chunk of a 3 KB frame, and info on a 1.9 GB .pzf, stay small', () => {
    const z = join(dir, 'sparse.zarr');
    expect(cli(['compress', npy, '-o', z, '-q']).code).toBe(0);
    truncateSync(join(z, '0.0.0'), 1.9e9);
    const r = measure('row 10: 1.9 GB sparse chunk, decompress', [
      'decompress',
      z,
      '-o',
      join(dir, 'sp.npy'),
    ]);
    expectBadInput(
      r,
      /0\.0\.0: 1900000000 bytes, more than any valid chunk of a 32x48 uint16 frame \(at most 3397\)/,
    );
    expect(r.rssMB).toBeLessThan(300);
    const p = join(dir, 'sparse.pzf');
    expect(cli(['compress', npy, '-o', p, '--frame', '0', '-q']).code).toBe(0);
    truncateSync(p, 1.9e9);
    const i = measure('row 10: info on a 1.9 GB .pzf', ['info', p]);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/fileBytes\s+1900000000/);
    expect(i.rssMB).toBeLessThan(300);
    const d = measure('row 10: decompress a 1.9 GB .pzf of a 3 KB frame', [
      'decompress',
      p,
      '-o',
      join(dir, 'sp.npy'),
    ]);
    expectBadInput(d, /sparse\.pzf: 1900000000 bytes, more than any valid PZF frame/);
    expect(d.rssMB).toBeLessThan(300);
  });
});

describe('row 12: errors classified right', () => {
  it('a denormal PZF QuantScale is exit 3 in info and decompress', () => {
    const p = join(dir, 'denormal.pzf');
    expect(
      cli(['compress', npy, '-o', p, '--frame', '0', '--offset', '100', '--scale', '1', '-q']).code,
    ).toBe(0);
    const b = readFileSync(p);
    new DataView(b.buffer, b.byteOffset).setFloat32(44, 1e-39, true);
    writeFileSync(p, b);
    expectBadInput(
      measure('row 12: denormal QuantScale, info', ['info', p]),
      /denormal\.pzf: not a valid PZF frame .*QuantScale/,
    );
    expectBadInput(
      measure('row 12: denormal QuantScale, decompress', [
        'decompress',
        p,
        '-o',
        join(dir, 'dn.npy'),
      ]),
      /QuantScale/,
    );
  });

  it('a null .zarray is exit 3; a legal .npy with a > 64 KiB header is read', () => {
    const z = join(dir, 'null.zarr');
    mkdirSync(z);
    writeFileSync(join(z, '.zarray'), 'null');
    expectBadInput(
      measure('row 12: null .zarray', ['info', z]),
      /null\.zarr: \.zarray is not a JSON object/,
    );
    const f = join(dir, 'bighead.npy');
    const dict = `{'descr': '<u2', 'fortran_order': False, 'shape': (1, ${H}, ${W}), }${' '.repeat(70000)}`;
    writeFileSync(f, npyWithHeader(dict, bytesOf(stack.subarray(0, H * W)), 2));
    const r = measure('row 12: .npy with a 70 KB header (format 2.0), compress', [
      'compress',
      f,
      '-o',
      `${f}.zarr`,
      '-q',
    ]);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('row 13: .npy headers parsed as Python literals', () => {
  it('a repeated key keeps the last value (as numpy); headers numpy rejects are rejected', () => {
    const f = join(dir, 'dup.npy');
    const two = bytesOf(stack.subarray(0, 2 * H * W));
    writeFileSync(
      f,
      npyWithHeader(
        `{'descr': '<u2', 'fortran_order': False, 'shape': (1, ${H}, ${W}), 'shape': (2, ${H}, ${W}), }`,
        two,
      ),
    );
    const r = measure('row 13: duplicated shape key, info', ['info', f, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).frames).toBe(2);
    for (const [label, dict] of [
      ['extra key', `{'descr': '<u2', 'fortran_order': False, 'shape': (1, 2), 'x': 1}`],
      ['fortran_order 0', `{'descr': '<u2', 'fortran_order': 0, 'shape': (1, 2)}`],
      ['shape list', `{'descr': '<u2', 'fortran_order': False, 'shape': [1, 2]}`],
      ['missing descr', `{'fortran_order': False, 'shape': (1, 2)}`],
      ['not a literal', `{'descr': '<u2', 'fortran_order': False, 'shape': (1, 2)} + 1`],
    ]) {
      const g = join(dir, 'bad.npy');
      writeFileSync(g, npyWithHeader(dict!, new Uint8Array(4)));
      expectBadInput(measure(`row 13: npy header with ${label}`, ['info', g]), /bad\.npy: /);
    }
  });
});

describe('row 15: --force and leftovers', () => {
  it('--force onto a regular file named like a .zarr fails early; stale temporaries are removed', () => {
    const f = join(dir, 'file.zarr');
    writeFileSync(f, 'precious');
    const r = measure('row 15: --force onto a file for a .zarr output', [
      'compress',
      npy,
      '-o',
      f,
      '--force',
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/file\.zarr: exists and is a file/);
    expect(readFileSync(f, 'utf8')).toBe('precious');
    // a temporary of a dead run (pid 2^22 + 1 does not exist on Linux by default) is cleaned
    const stale = join(dir, '.x.zarr.tmp-4194305-0123abcd');
    mkdirSync(stale);
    writeFileSync(join(stale, '0.0.0'), 'x');
    writeFileSync(join(dir, '.x.zarr.lock'), '4194305\n');
    expect(cli(['compress', npy, '-o', join(dir, 'x.zarr'), '-q']).code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('SIGKILL mid-run leaves a temporary that the next run removes', async () => {
    const src = join(dir, 'kill.npy');
    writeNpy(src, cameraStack(300, 128, 128, 4), [300, 128, 128]);
    const out = join(dir, 'killed.zarr');
    const child = cliAsync(['compress', src, '-o', out, '--threads', '1', '--backend', 'core-ts']);
    const exited = new Promise((r) => child.on('exit', r));
    while (!readdirSync(dir).some((n) => n.startsWith('.killed.zarr.tmp-')))
      await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exited;
    expect(leftovers(dir).length).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(false);
    const r = measure('row 15: rerun after SIGKILL', ['compress', src, '-o', out, '-q']);
    expect(r.code).toBe(0);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('row 16: many-page TIFF', () => {
  it('info walks 20000 pages without reading them', () => {
    const pages = Array.from({ length: 20000 }, () => ({ width: 4, height: 4 }));
    const f = join(dir, 'pages.tif');
    writeFileSync(f, buildTiff(pages));
    const r = measure('row 16: info on a 20000-page TIFF', ['info', f, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).frames).toBe(20000);
  });
});
