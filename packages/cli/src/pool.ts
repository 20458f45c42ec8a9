/**
 * A fixed pool of worker threads running codec tasks. Frames are transferred (not copied) to the
 * workers and back. Results resolve per task; callers bound how many are in flight.
 * A pool of size 1 runs tasks inline on the calling thread (`--threads 1` means one thread).
 */
import { Worker } from 'node:worker_threads';
import { runTask, type Task, type TaskResult } from './codec-task.js';

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
  #nextId = 1;
  #closed = false;

  constructor(size: number) {
    this.size = size;
    if (size <= 1) return; // inline
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url));
      w.on(
        'message',
        (msg: {
          id: number;
          ok: boolean;
          result?: TaskResult;
          error?: { name: string; message: string; code?: unknown };
        }) => {
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

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
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
