import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, cameraStack, cli, cliAsync, tempDir, writeDax, writeNpy } from './helpers.js';

const N = 4;
const H = 32;
const W = 48;
let dir: string;
let stack: Uint16Array;
let npy: string;

beforeAll(() => {
  dir = tempDir();
  stack = cameraStack(N, H, W, 3);
  npy = join(dir, 'ok.npy');
  writeNpy(npy, stack, [N, H, W]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** No temporary (hidden) leftovers next to outputs. */
function leftovers(d: string): string[] {
  return readdirSync(d).filter((n) => n.includes('.tmp-') || n.includes('.old-'));
}

describe('bad inputs are rejected with exit code 3 and a message naming the file', () => {
  it('missing input file', () => {
    const r = cli(['compress', join(dir, 'nope.npy'), '-o', join(dir, 'x.zarr')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/nope\.npy: no such file/);
    expect(existsSync(join(dir, 'x.zarr'))).toBe(false);
  });

  it('not a .npy file, truncated .npy, unsupported dtype', () => {
    const junk = join(dir, 'junk.npy');
    writeFileSync(junk, 'hello world, not numpy');
    let r = cli(['compress', junk, '-o', join(dir, 'x.zarr')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/junk\.npy: not a \.npy file/);

    const full = readFileSync(npy);
    const cut = join(dir, 'cut.npy');
    writeFileSync(cut, full.subarray(0, full.length - 100));
    r = cli(['compress', cut, '-o', join(dir, 'x.zarr')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cut\.npy: truncated/);

    const f4 = join(dir, 'float.npy');
    const text = new TextDecoder('latin1').decode(full.subarray(0, 128)).replace("'<u2'", "'<f4'");
    writeFileSync(f4, Buffer.concat([Buffer.from(text, 'latin1'), full.subarray(128)]));
    r = cli(['compress', f4, '-o', join(dir, 'x.zarr')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unsupported dtype <f4/);
    expect(existsSync(join(dir, 'x.zarr'))).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('not a TIFF; .dax without .inf; truncated .dax; raw of the wrong size', () => {
    const t = join(dir, 'fake.tif');
    writeFileSync(t, 'definitely not a tiff file');
    let r = cli(['compress', t, '-o', join(dir, 'x.zarr')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/fake\.tif: not a readable TIFF/);

    const d = join(dir, 'lonely.dax');
    writeFileSync(d, bytesOf(stack));
    r = cli(['compress', d, '-o', join(dir, 'x.zarr')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/lonely\.inf.*missing/);

    const d2 = join(dir, 'short.dax');
    writeDax(d2, stack, N, H, W);
    writeFileSync(d2, readFileSync(d2).subarray(0, 1000));
    r = cli(['compress', d2, '-o', join(dir, 'x.zarr')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/short\.dax: truncated/);

    const raw = join(dir, 'r.raw');
    writeFileSync(raw, bytesOf(stack).subarray(0, 999));
    r = cli([
      'compress',
      raw,
      '-o',
      join(dir, 'x.zarr'),
      '--shape',
      `${N},${H},${W}`,
      '--dtype',
      'uint16',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/r\.raw: 999 bytes/);
    r = cli(['compress', raw, '-o', join(dir, 'x.zarr'), '--shape', `${N},${H},${W}`]);
    expect(r.code).toBe(2);
    expect(leftovers(dir)).toEqual([]);
  });

  it('corrupt and truncated .pzf files', () => {
    const p = join(dir, 'f.pzf');
    expect(
      cli(['compress', npy, '-o', p, '--frame', '0', '--offset', '100', '--scale', '1', '-q']).code,
    ).toBe(0);
    const good = readFileSync(p);
    const cases: Array<[string, Uint8Array, RegExp]> = [
      [
        'trunc-body.pzf',
        good.subarray(0, 64 + 20),
        /trunc-body\.pzf: .*(truncated|too short|cannot hold)/,
      ],
      ['trunc-head.pzf', good.subarray(0, 30), /trunc-head\.pzf: not a valid PZF frame/],
      [
        'badid.pzf',
        Uint8Array.from(good, (b, i) => (i === 0 ? 0x58 : b)),
        /badid\.pzf: .*not a PZF frame/,
      ],
    ];
    // a Huffman tree with a repeated symbol: '1' + sym, '1' + the same sym, after an internal node
    const corrupt = Uint8Array.from(good);
    corrupt.set([0b01000000, 0b01100000, 0b00100000], 64);
    cases.push([
      'corrupt.pzf',
      corrupt,
      /corrupt\.pzf: corrupt compressed data \(ERR_CORRUPT_STREAM\)/,
    ]);
    for (const [name, bytes, re] of cases) {
      const f = join(dir, name);
      writeFileSync(f, bytes);
      const r = cli(['decompress', f, '-o', join(dir, `${name}.npy`)]);
      expect(r.code, name).toBe(3);
      expect(r.stderr, name).toMatch(re);
      expect(existsSync(join(dir, `${name}.npy`))).toBe(false);
      // the header of corrupt.pzf is valid (info succeeds); the others fail already there
      expect(cli(['info', f]).code).toBe(name === 'corrupt.pzf' ? 0 : 3);
    }
    expect(leftovers(dir)).toEqual([]);
  });

  it('a corrupt or truncated chunk in a .zarr, and a .zarr without metadata', () => {
    const z = join(dir, 'z.zarr');
    expect(cli(['compress', npy, '-o', z, '-q']).code).toBe(0);
    const chunk = join(z, '2.0.0');
    const good = readFileSync(chunk);
    writeFileSync(chunk, good.subarray(0, Math.floor(good.length / 3)));
    let r = cli(['decompress', z, '-o', join(dir, 'z.npy')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/z\.zarr \(chunk of frame 2\)/);
    expect(existsSync(join(dir, 'z.npy'))).toBe(false);
    writeFileSync(chunk, Buffer.alloc(good.length, 0));
    r = cli(['decompress', z, '-o', join(dir, 'z.npy')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/z\.zarr \(chunk of frame 2\)/);
    const empty = join(dir, 'empty.zarr');
    mkdirSync(empty);
    r = cli(['decompress', empty, '-o', join(dir, 'e.npy')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/empty\.zarr: not a Zarr v2 array/);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('existing outputs and --force', () => {
  it('refuses to overwrite a file or a directory without --force (exit 4), replaces with it', () => {
    const z = join(dir, 'keep.zarr');
    const p = join(dir, 'keep.pzf');
    writeFileSync(p, 'precious');
    mkdirSync(z);
    writeFileSync(join(z, 'precious.txt'), 'x');
    let r = cli(['compress', npy, '-o', z, '-q']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/keep\.zarr: already exists \(use --force/);
    r = cli(['compress', npy, '-o', p, '--frame', '1', '-q']);
    expect(r.code).toBe(4);
    expect(readFileSync(p, 'utf8')).toBe('precious');
    expect(existsSync(join(z, 'precious.txt'))).toBe(true);

    // --force replaces only outputs of this tool: a directory it did not write is kept (exit 4,
    // before any work) ...
    r = cli(['compress', npy, '-o', z, '-q', '--force']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/keep\.zarr: exists and is a directory this tool did not write/);
    expect(existsSync(join(z, 'precious.txt'))).toBe(true);
    // ... and one it wrote is replaced.
    rmSync(z, { recursive: true });
    expect(cli(['compress', npy, '-o', z, '-q']).code).toBe(0);
    writeFileSync(join(z, 'stale.txt'), 'x');
    expect(cli(['compress', npy, '-o', z, '-q', '--force']).code).toBe(0);
    expect(existsSync(join(z, 'stale.txt'))).toBe(false);
    expect(existsSync(join(z, '.zarray'))).toBe(true);
    expect(cli(['compress', npy, '-o', p, '--frame', '1', '-q', '-f']).code).toBe(0);
    expect(readFileSync(p).subarray(0, 2).toString()).toBe('BD');
    const out = join(dir, 'keep.npy');
    writeFileSync(out, 'precious');
    expect(cli(['decompress', z, '-o', out, '-q']).code).toBe(4);
    expect(cli(['decompress', z, '-o', out, '-q', '--force']).code).toBe(0);
    expect(leftovers(dir)).toEqual([]);
  });
});

/**
 * Starts `compress input -o output` (one thread, core-ts) and waits until its hidden temporary
 * holds a few chunks (or 20 s pass), so the caller can interrupt it mid-write.
 */
async function compressUntilChunks(
  input: string,
  output: string,
): Promise<{ child: ReturnType<typeof cliAsync>; tmp: string | undefined }> {
  const child = cliAsync([
    'compress',
    input,
    '-o',
    output,
    '--threads',
    '1',
    '--backend',
    'core-ts',
    '-q',
  ]);
  const parent = dirname(output);
  const prefix = `.${basename(output)}.tmp-`;
  const started = Date.now();
  let tmp: string | undefined;
  while (Date.now() - started < 20_000) {
    tmp = readdirSync(parent).find((n) => n.startsWith(prefix));
    if (tmp && readdirSync(join(parent, tmp)).length > 5) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, tmp };
}

describe('interrupted writes leave no partial output', () => {
  it('a failure injected mid-stack removes the temporary and keeps the old output', () => {
    const env = { PYMECOMPRESS_CLI_TEST_FAIL_AFTER_FRAMES: '2' };
    const z = join(dir, 'fail.zarr');
    let r = cli(['compress', npy, '-o', z, '-q'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/injected failure after 2 frames/);
    expect(existsSync(z)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
    // with --force over an existing output: the old output survives the failed run
    expect(cli(['compress', npy, '-o', z, '-q']).code).toBe(0);
    const before = readFileSync(join(z, '0.0.0'));
    r = cli(['compress', npy, '-o', z, '-q', '--force', '--offset', '100', '--scale', '1'], env);
    expect(r.code).toBe(1);
    expect(readFileSync(join(z, '0.0.0'))).toEqual(before);
    expect(JSON.parse(readFileSync(join(z, '.zarray'), 'utf8')).compressor.id).toBe(
      'pymecompress-huffman',
    );
    // decompress to .npy and to .tif
    for (const out of ['fail.npy', 'fail.tif']) {
      r = cli(['decompress', z, '-o', join(dir, out), '-q'], env);
      expect(r.code).toBe(1);
      expect(existsSync(join(dir, out))).toBe(false);
    }
    expect(leftovers(dir)).toEqual([]);
  });

  it('SIGTERM while a big stack is being written removes the partial output (exit 130)', async () => {
    const big = join(dir, 'big.npy');
    const frames = 300;
    const frame = cameraStack(1, 512, 512, 9);
    const all = new Uint16Array(frames * frame.length);
    for (let i = 0; i < frames; i++) all.set(frame, i * frame.length);
    writeNpy(big, all, [frames, 512, 512]);
    const z = join(dir, 'big.zarr');
    const { child, tmp } = await compressUntilChunks(big, z);
    expect(tmp).toBeDefined();
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(130);
    expect(existsSync(z)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('SIGKILL mid-write never leaves a half-written output under the real name', async () => {
    const big = join(dir, 'big.npy');
    const z = join(dir, 'killed.zarr');
    const { child } = await compressUntilChunks(big, z);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(z)).toBe(false);
    // the hidden temporary is all that remains; a later run with the same output succeeds
    expect(cli(['compress', join(dir, 'ok.npy'), '-o', z, '-q']).code).toBe(0);
    expect(statSync(z).isDirectory()).toBe(true);
  });
});
