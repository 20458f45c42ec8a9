/** Worker thread body: runs encode / decode tasks posted by `pool.ts`. */
import { parentPort, workerData } from 'node:worker_threads';
import { type BackendName, getBackend, ready } from '@pymecompress/codecs';
import { runTask, type Task } from './codec-task.js';

// Load the backend (the native addon; wasm through ready()) now and say so: the pool terminates a worker only after
// this message, never in the middle of the addon's module init (pool.ts).
await ready();
try {
  getBackend((workerData as { backend?: BackendName } | null)?.backend ?? 'auto');
} catch {
  // reported by the first task that needs it
}
parentPort!.postMessage({ ready: true });

parentPort!.on('message', (msg: { id: number; task: Task }) => {
  try {
    const result = runTask(msg.task);
    // Move (not copy) the result and the input frame's buffer back to the main thread.
    const transfer: ArrayBuffer[] = [];
    for (const a of [result.data, result.input]) {
      const b = a?.buffer as ArrayBuffer | undefined;
      if (a && b && a.byteOffset === 0 && a.byteLength === b.byteLength && !transfer.includes(b)) {
        transfer.push(b);
      }
    }
    parentPort!.postMessage({ id: msg.id, ok: true, result }, transfer);
  } catch (err) {
    const e = err as Error & { code?: unknown };
    parentPort!.postMessage({
      id: msg.id,
      ok: false,
      error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), code: e?.code },
    });
  }
});
