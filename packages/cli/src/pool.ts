/**
 * A fixed pool of worker threads running codec tasks. Frames are transferred (not copied) to the
 * workers and back. Results resolve per task; callers bound how many are in flight (the
 * commands keep `2 x threads` frames in flight). A pool of size 1 runs tasks inline on the
 * calling thread (`--threads 1` means one thread).
 *
 * Why not piscina or tinypool: each worker here loads the backend (the native addon) when it
 * starts and reports `ready`, and `close()` waits for every worker to be ready (or gone) before
 * terminating it. Terminating a worker while it is still inside the addon's module init is what
 * aborted the process (issue 14 row 4); the pool libraries terminate on `destroy()` whatever the
 * worker is doing. Beyond that the pool is ~150 lines: a queue, transfer lists and in-order
 * consumption (`pipeline`), which neither library provides either.
 */
import { Worker } from 'node:worker_threads';
import type { BackendName } from '@pymecompress/codecs';
import { runTask, type Task, type TaskResult } from './codec-task.js';

/** How long `close()` waits for a worker still loading its backend before terminating it. */
const LOAD_WAIT_MS = 30_000;

interface Job {
  id: number;
  task: Task;
  resolve: (v: TaskResult) => void;
  reject: (e: Error) => void;
}

export class WorkerPool {
  readonly size: number;
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job>();
  readonly #settled: Promise<void>[] = [];
  #nextId = 1;
  #closed = false;

  constructor(size: number, backend: BackendName = 'auto') {
    this.size = size;
    if (size <= 1) return; // inline
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { backend } });
      let markReady: () => void = () => {};
      // Resolves once the worker has loaded its backend, or has exited / failed.
      const settled = new Promise<void>((r) => {
        markReady = r;
      });
      this.#settled.push(settled);
      w.once('exit', () => markReady());
      w.on(
        'message',
        (msg: {
          ready?: boolean;
          id: number;
          ok: boolean;
          result?: TaskResult;
          error?: { name: string; message: string; code?: unknown };
        }) => {
          if (msg.ready) {
            markReady();
            return;
          }
          const job = this.#running.get(w);
          this.#running.delete(w);
          this.#idle.push(w);
          if (job) {
            if (msg.ok) job.resolve(msg.result!);
            else {
              const e = new Error(msg.error!.message) as Error & { code?: unknown };
              e.name = msg.error!.name;
              if (msg.error!.code !== undefined) e.code = msg.error!.code;
              job.reject(e);
            }
          }
          this.#pump();
        },
      );
      w.on('error', (err) => {
        markReady();
        const job = this.#running.get(w);
        this.#running.delete(w);
        job?.reject(err);
      });
      this.#workers.push(w);
      this.#idle.push(w);
    }
  }

  run(task: Task): Promise<TaskResult> {
    if (this.#closed) return Promise.reject(new Error('pool is closed'));
    if (this.#workers.length === 0) {
      return new Promise((resolve, reject) => {
        // next macrotask, so reads and writes already queued make progress between frames
        setImmediate(() => {
          try {
            resolve(runTask(task));
          } catch (err) {
            reject(err as Error);
          }
        });
      });
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, task, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#running.set(w, job);
      const t = job.task;
      const payload = t.op === 'encode' ? t.data : t.chunk;
      const buffer = payload.buffer as ArrayBuffer;
      const transfer =
        payload.byteOffset === 0 && payload.byteLength === buffer.byteLength ? [buffer] : [];
      w.postMessage({ id: job.id, task: t }, transfer);
    }
  }

  /** Terminates the workers, each only once it finished loading (see the module comment). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      this.#workers.map(async (w, i) => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          this.#settled[i],
          new Promise<void>((r) => {
            timer = setTimeout(r, LOAD_WAIT_MS);
          }),
        ]);
        clearTimeout(timer);
        await w.terminate();
      }),
    );
  }
}

/**
 * Runs `produce(i)` → `pool` → `consume(i, result)` for i in 0..n-1 with at most `window` tasks in
 * flight; results are consumed in order (so writers can stream sequentially).
 */
export async function pipeline<T, R>(
  n: number,
  window: number,
  produce: (i: number) => Promise<T>,
  work: (item: T, i: number) => Promise<R>,
  consume: (i: number, result: R, item: T) => Promise<void>,
): Promise<void> {
  const inflight: Array<Promise<{ r: R; item: T }>> = [];
  let next = 0;
  let failure: unknown;
  const start = async (): Promise<void> => {
    const i = next++;
    const item = await produce(i);
    const p = work(item, i).then((r) => ({ r, item }));
    p.catch(() => {}); // handled when awaited
    inflight.push(p);
  };
  try {
    while (next < n && inflight.length < window) await start();
    for (let i = 0; i < n; i++) {
      const { r, item } = await inflight.shift()!;
      if (next < n) await start();
      await consume(i, r, item);
    }
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined) {
    await Promise.allSettled(inflight);
    throw failure;
  }
}
