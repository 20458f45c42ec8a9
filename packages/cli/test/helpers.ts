import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '@pymecompress/core-ts/synthetic';
import { npyHeaderBytes, parseNpyHeader } from '../src/npy.js';

export const pkgRoot = fileURLToPath(new URL('..', import.meta.url));
export const bin = join(pkgRoot, 'dist', 'bin.js');
export const repoRoot = join(pkgRoot, '..', '..');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cliAsync(args: string[]) {
  return spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pymecompress-cli-test-'));
}

/** A seeded camera-like stack: Poisson counts on a dark level of 100 + read noise, some hot pixels. */
export function cameraStack(frames: number, height: number, width: number, seed = 1): Uint16Array {
  const r = new SeededRandom(seed);
  const out = new Uint16Array(frames * height * width);
  for (let i = 0; i < out.length; i++) {
    const mean = 5 + 200 * Math.exp(-(((i % width) - width / 2) ** 2) / (2 * (width / 6) ** 2));
    out[i] = Math.max(0, Math.round(100 + r.poisson(mean) + 1.5 * r.normal()));
  }
  for (let h = 0; h < frames * 2; h++)
    out[r.nextUint32() % out.length] = 4000 + (r.nextUint32() % 50000);
  return out;
}

export function bytesOf(a: Uint8Array | Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function writeNpy(
  file: string,
  data: Uint8Array | Uint16Array,
  shape: number[],
  opts: { fortran?: boolean; bigEndian?: boolean } = {},
): void {
  const dtype = data instanceof Uint8Array ? 'uint8' : 'uint16';
  let header = npyHeaderBytes(dtype, shape);
  let text = new TextDecoder('latin1').decode(header);
  let body: Uint8Array;
  let src = data;
  if (opts.fortran) {
    // C-order (n, y, x) -> F-order (element at n + N*(y + H*x))
    const [N, H, W] = shape.length === 3 ? shape : [1, ...shape];
    const f = new (data.constructor as new (n: number) => Uint8Array | Uint16Array)(data.length);
    for (let n = 0; n < N!; n++)
      for (let y = 0; y < H!; y++)
        for (let x = 0; x < W!; x++) f[n + N! * (y + H! * x)] = data[(n * H! + y) * W! + x]!;
    src = f;
    text = text.replace("'fortran_order': False", "'fortran_order': True ");
  }
  if (opts.bigEndian && src instanceof Uint16Array) {
    body = new Uint8Array(src.length * 2);
    const dv = new DataView(body.buffer);
    for (let i = 0; i < src.length; i++) dv.setUint16(2 * i, src[i]!, false);
    text = text.replace("'<u2'", "'>u2'");
  } else body = bytesOf(src).slice();
  header = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  writeFileSync(file, out);
}

export function readNpy(file: string): {
  shape: number[];
  data: Uint8Array | Uint16Array;
  header: ReturnType<typeof parseNpyHeader>;
} {
  const b = new Uint8Array(readFileSync(file));
  const h = parseNpyHeader(file, b);
  const body = b.slice(h.dataOffset);
  const data = h.dtype === 'uint8' ? body : new Uint16Array(body.buffer, 0, body.length / 2);
  return { shape: h.shape, data, header: h };
}

/** Big-endian uint16 .dax movie with its .inf. */
export function writeDax(
  file: string,
  data: Uint16Array,
  frames: number,
  height: number,
  width: number,
): void {
  const b = new Uint8Array(data.length * 2);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < data.length; i++) dv.setUint16(2 * i, data[i]!, false);
  writeFileSync(file, b);
  writeFileSync(
    file.replace(/\.dax$/, '.inf'),
    `binning = 1 x 1\ndata type = 16 bit integers (binary, big endian)\nframe dimensions = ${width} x ${height}\nnumber of frames = ${frames}\nx_start = 1\n`,
  );
}

export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The documented bound: |x' - x| <= s*sqrt(x - D) + s^2/4 + 1 for D <= x below saturation. */
export function boundViolations(
  orig: Uint16Array,
  recon: Uint16Array,
  offset: number,
  scale: number,
): number {
  let bad = 0;
  const sat = offset + (255.5 * scale) ** 2;
  for (let i = 0; i < orig.length; i++) {
    const x = orig[i]!;
    const v = x - offset;
    if (v < 0) {
      if (recon[i] !== offset) bad++;
      continue;
    }
    if (x > sat) continue;
    if (Math.abs(recon[i]! - x) > scale * Math.sqrt(v) + (scale * scale) / 4 + 1) bad++;
  }
  return bad;
}

let pythonPath: string | undefined | null;
/** The conformance venv's Python (created on first use by its idempotent setup script). */
export function referencePython(): string {
  if (pythonPath) return pythonPath;
  const script = join(repoRoot, 'packages', 'conformance', 'scripts', 'setup-python.sh');
  const r = spawnSync('sh', [script], { encoding: 'utf8', timeout: 600_000 });
  const py = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !py) throw new Error(`setup-python.sh failed: ${r.stderr}`);
  pythonPath = py;
  return py;
}
