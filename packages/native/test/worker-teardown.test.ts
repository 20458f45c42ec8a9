// Issue 14 row 4: a worker terminated while it loads the addon (or while its async calls are in
// flight) must not take the process down (it used to abort with "FATAL ERROR:
// Error::ThrowAsJavaScriptException napi_throw", about one time in three over 300 runs of this
// test). The worker reports when it starts importing the addon; the test terminates it after a
// spin of 0-4 ms, which lands in module init, in the first calls, or with async work queued.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const TERMINATIONS = 300;
const CONCURRENT = 4;
const url = new URL('./fixtures/load-worker.mjs', import.meta.url);

async function loadAndTerminate(i: number): Promise<number> {
  const w = new Worker(url);
  await new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  const spinMs = ((i * 7919) % 4000) / 1000;
  const t0 = performance.now();
  while (performance.now() - t0 < spinMs) {
    // busy wait: timers are too coarse to hit the init window
  }
  return w.terminate();
}

describe('worker_threads terminated while loading the addon', () => {
  it(`survives ${TERMINATIONS} terminations`, { timeout: 120_000 }, async () => {
    let survived = 0;
    for (let i = 0; i < TERMINATIONS; i += CONCURRENT) {
      const codes = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, k) => loadAndTerminate(i + k)),
      );
      // terminate() resolves to the exit code, or to undefined when the worker had already
      // finished by itself (a loaded machine can run the whole fixture within the spin). Either
      // way this process survived; an abort would have taken the test run down with it.
      for (const code of codes) expect(['number', 'undefined']).toContain(typeof code);
      survived += codes.length;
    }
    expect(survived).toBe(TERMINATIONS);
    // and the addon still works in this thread afterwards
    const native = await import('../src/index.js');
    const data = new Uint8Array(1000).map((_, i) => i % 7);
    expect(native.huffmanDecompress(native.huffmanCompress(data), 1000)).toEqual(data);
  });
});
