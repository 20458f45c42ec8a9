/**
 * A long-lived Python process running the real pymecompress 0.3.6 (python/worker.py), for
 * differential tests and benchmarks. One request at a time is in flight per worker; calls queue.
 *
 * Wire format (both directions): u32 LE header length, JSON header, then `payloadLength` bytes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureReferencePython, pythonDir } from './python.js';

/** Which body of the reference's quantizer to run. `dispatch` is what its Python API calls. */
export type QuantizerPath = 'scalar' | 'avx' | 'dispatch';

export type ReferenceOp =
  | 'huffmanCompress'
  | 'huffmanDecompress'
  | 'quantize'
  | 'huffmanCompressQuant'
  | 'codecEncode'
  | 'codecDecode';

export interface ReferenceInfo {
  pymecompress: string;
  numpy: string;
  numcodecs: string;
  zarr: string;
  python: string;
  platform: string;
  machine: string;
  /** What `quantize_u16` (and so `HuffmanCompressQuant`) runs on this CPU: `avx` or `scalar`. */
  quantizer_dispatch_path: string;
  quantizer_bodies: string[];
}

export interface ReferenceWorkerOptions {
  /** Python interpreter; default: the package's venv (created by scripts/setup-python.sh if needed). */
  python?: string;
  /** Forward the worker's stderr (the reference prints a line per quantize call). Default false. */
  inheritStderr?: boolean;
}

export type CodecName = 'huffman' | 'quant16';

export interface ReferenceWorker {
  readonly pid: number | undefined;
  info(): Promise<ReferenceInfo>;
  /** `pymecompress.bcl.HuffmanCompress`. */
  huffmanCompress(data: Uint8Array): Promise<Uint8Array>;
  /** `pymecompress.bcl.HuffmanDecompress`. It trusts its input: only pass well-formed streams. */
  huffmanDecompress(stream: Uint8Array, outSize: number): Promise<Uint8Array>;
  /** The reference quantizer; `path` defaults to `scalar` (its portable C body). */
  quantize(
    data: Uint16Array,
    offset: number,
    scale: number,
    path?: QuantizerPath,
  ): Promise<Uint8Array>;
  /** `HuffmanCompressQuant`; `path` defaults to `dispatch` (the function itself). */
  huffmanCompressQuant(
    data: Uint16Array,
    offset: number,
    scale: number,
    path?: QuantizerPath,
  ): Promise<Uint8Array>;
  /** numcodecs `pymecompress.codecs.Huffman` / `HuffmanQuant16` encode of `data` viewed as `dtype`. */
  codecEncode(
    codec: CodecName,
    data: Uint8Array | Uint16Array,
    config?: Record<string, unknown>,
    dtype?: string,
  ): Promise<Uint8Array>;
  /** The codec's decode; returns the bytes of the array Python returns. */
  codecDecode(
    codec: CodecName,
    encoded: Uint8Array,
    config?: Record<string, unknown>,
  ): Promise<Uint8Array>;
  /**
   * Best-of-`repeats` seconds of one reference call, measured inside Python with
   * time.perf_counter around the call only (input conversion excluded).
   */
  time(
    op: ReferenceOp,
    payload: Uint8Array | Uint16Array,
    params?: Record<string, unknown>,
    repeats?: number,
  ): Promise<number>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (v: { header: Record<string, unknown>; payload: Uint8Array }) => void;
  reject: (e: Error) => void;
}

function bytesOf(a: Uint8Array | Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

class Worker implements ReferenceWorker {
  private readonly child: ChildProcess;
  private readonly pending: Pending[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private nextId = 1;
  private dead: Error | undefined;
  private stderrTail = '';

  constructor(python: string, inheritStderr: boolean) {
    this.child = spawn(python, ['-u', join(pythonDir, 'worker.py')], {
      stdio: ['pipe', 'pipe', inheritStderr ? 'inherit' : 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    this.child.on('error', (e) => this.fail(e));
    this.child.on('exit', (code, signal) =>
      this.fail(
        new Error(`reference worker exited (code ${code}, signal ${signal})\n${this.stderrTail}`),
      ),
    );
    // An idle worker does not keep the Node process alive; one with requests in flight does.
    this.setRef(false);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private setRef(on: boolean): void {
    const m = on ? 'ref' : 'unref';
    for (const h of [this.child, this.child.stdout, this.child.stderr, this.child.stdin]) {
      (h as unknown as Record<string, (() => void) | undefined> | null)?.[m]?.();
    }
  }

  private fail(e: Error): void {
    if (!this.dead) this.dead = e;
    for (const p of this.pending.splice(0)) p.reject(this.dead);
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.buf.length < 4) return;
      const hlen = this.buf.readUInt32LE(0);
      if (this.buf.length < 4 + hlen) return;
      const header = JSON.parse(this.buf.subarray(4, 4 + hlen).toString('utf8')) as Record<
        string,
        unknown
      >;
      const plen = Number(header.payloadLength ?? 0);
      if (this.buf.length < 4 + hlen + plen) return;
      const payload = new Uint8Array(this.buf.subarray(4 + hlen, 4 + hlen + plen));
      this.buf = this.buf.subarray(4 + hlen + plen);
      const p = this.pending.shift();
      if (this.pending.length === 0) this.setRef(false);
      if (!p) continue;
      if (header.ok) p.resolve({ header, payload });
      else p.reject(new Error(`reference worker: ${String(header.error)}`));
    }
  }

  request(
    op: string,
    params: Record<string, unknown> = {},
    payload: Uint8Array = new Uint8Array(0),
  ): Promise<{ header: Record<string, unknown>; payload: Uint8Array }> {
    if (this.dead) return Promise.reject(this.dead);
    const header = Buffer.from(
      JSON.stringify({ id: this.nextId++, op, params, payloadLength: payload.length }),
    );
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length, 0);
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) this.setRef(true);
      this.pending.push({ resolve, reject });
      const stdin = this.child.stdin;
      if (!stdin) return reject(new Error('reference worker has no stdin'));
      stdin.write(len);
      stdin.write(header);
      if (payload.length) stdin.write(payload);
    });
  }

  async info(): Promise<ReferenceInfo> {
    return (await this.request('info')).header.info as ReferenceInfo;
  }

  async huffmanCompress(data: Uint8Array): Promise<Uint8Array> {
    return (await this.request('huffmanCompress', {}, data)).payload;
  }

  async huffmanDecompress(stream: Uint8Array, outSize: number): Promise<Uint8Array> {
    return (await this.request('huffmanDecompress', { outSize }, stream)).payload;
  }

  async quantize(
    data: Uint16Array,
    offset: number,
    scale: number,
    path: QuantizerPath = 'scalar',
  ): Promise<Uint8Array> {
    return (await this.request('quantize', { offset, scale, path }, bytesOf(data))).payload;
  }

  async huffmanCompressQuant(
    data: Uint16Array,
    offset: number,
    scale: number,
    path: QuantizerPath = 'dispatch',
  ): Promise<Uint8Array> {
    return (await this.request('huffmanCompressQuant', { offset, scale, path }, bytesOf(data)))
      .payload;
  }

  async codecEncode(
    codec: CodecName,
    data: Uint8Array | Uint16Array,
    config?: Record<string, unknown>,
    dtype?: string,
  ): Promise<Uint8Array> {
    const dt = dtype ?? (data instanceof Uint16Array ? '<u2' : 'u1');
    return (
      await this.request('codecEncode', { codec, config: config ?? null, dtype: dt }, bytesOf(data))
    ).payload;
  }

  async codecDecode(
    codec: CodecName,
    encoded: Uint8Array,
    config?: Record<string, unknown>,
  ): Promise<Uint8Array> {
    return (await this.request('codecDecode', { codec, config: config ?? null }, encoded)).payload;
  }

  async time(
    op: ReferenceOp,
    payload: Uint8Array | Uint16Array,
    params: Record<string, unknown> = {},
    repeats = 5,
  ): Promise<number> {
    const r = await this.request('time', { op, params, repeats }, bytesOf(payload));
    return Number(r.header.seconds);
  }

  async close(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request('exit');
    } catch {
      // already gone
    }
    this.setRef(true); // keep the process alive until the worker has exited
    this.child.stdin?.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    this.setRef(false);
  }
}

/** Start a reference worker (creates the Python venv first if needed) and wait until it answers. */
export async function startReferenceWorker(
  options: ReferenceWorkerOptions = {},
): Promise<ReferenceWorker> {
  const python = options.python ?? ensureReferencePython();
  const w = new Worker(python, options.inheritStderr ?? false);
  await w.info();
  return w;
}
