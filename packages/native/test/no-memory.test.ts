// Issue 14 row 11: under a memory limit an allocation failure is a rejected promise / thrown
// PymecompressError ERR_NO_MEMORY, not an abort. The child caps its own address space at its
// current size + 64 MiB (prlimit), then asks for a ~200 MB result.
import { execFileSync, fork } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function hasPrlimit(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasPrlimit())('allocation failure', () => {
  it('rejects with ERR_NO_MEMORY instead of aborting', async () => {
    const child = fork(new URL('./fixtures/no-memory.mjs', import.meta.url), {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const messages: unknown[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const first = await new Promise<{ vmSizeKiB: number; outSize: number }>((resolve) =>
      child.once('message', (m) => resolve(m as { vmSizeKiB: number; outSize: number })),
    );
    expect(first.outSize).toBeGreaterThan(150e6);
    const limit = (first.vmSizeKiB + 64 * 1024) * 1024;
    execFileSync('prlimit', [`--pid=${child.pid}`, `--as=${limit}:${limit}`]);
    child.on('message', (m) => messages.push(m));
    child.send('go');
    expect(await exited, stderr).toBe(0);
    expect(messages).toEqual([
      {
        async: 'PymecompressError ERR_NO_MEMORY',
        sync: 'PymecompressError ERR_NO_MEMORY',
        stats: { callsInFlight: 0, bytesHeld: 0 },
      },
    ]);
  });
});
