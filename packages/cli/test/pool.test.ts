/**
 * The pool side of issue 14 row 4: closing a pool right after creating it (what a fast failure
 * does) waits for every worker to finish loading its backend (the native addon when it is built)
 * before terminating it, so teardown never lands inside the addon's module init. Run many times;
 * an abort would kill this test process.
 */
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../dist/pool.js';

const rounds = Number(process.env.PYMECOMPRESS_POOL_ROUNDS ?? 40);

describe('worker pool teardown', () => {
  it(`creating and closing a 4-worker pool ${rounds} times, with and without a task`, async () => {
    for (let i = 0; i < rounds; i++) {
      const pool = new WorkerPool(4, 'auto');
      if (i % 2) {
        const r = await pool.run({
          op: 'encode',
          backend: 'auto',
          codec: { id: 'pymecompress-huffman' },
          dtype: 'uint16',
          data: new Uint16Array(64).fill(i),
        });
        expect(r.data.length).toBeGreaterThan(4);
      }
      await pool.close();
    }
  });

  it('a closed pool refuses new tasks', async () => {
    const pool = new WorkerPool(2);
    await pool.close();
    await expect(
      pool.run({
        op: 'encode',
        backend: 'auto',
        codec: { id: 'pymecompress-huffman' },
        dtype: 'uint8',
        data: new Uint8Array(4),
      }),
    ).rejects.toThrow(/closed/);
  });
});
