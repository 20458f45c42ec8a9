/**
 * `pymecompress bench`, threads-scaling step: the real CLI compressing a seeded stack with one
 * thread and with all cores; and the load other processes put on the machine meanwhile.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { availableBackends } from '../backends.js';
import { printTable } from '../format.js';
import { npyHeaderBytes } from '../npy.js';

/** Quantization of the threads-scaling stack (the dim corpus frame's dark level, scale 1). */
const OFFSET = 100;
const SCALE = 1;

/** Cores' worth of CPU time used over 0.5 s while this process sleeps (i.e. by others). */
export async function otherCpuLoad(): Promise<number> {
  const total = () =>
    cpus().reduce(
      (acc, c) => {
        const t = c.times;
        acc.busy += t.user + t.nice + t.sys + t.irq;
        acc.all += t.user + t.nice + t.sys + t.irq + t.idle;
        return acc;
      },
      { busy: 0, all: 0 },
    );
  const a = total();
  await new Promise((r) => setTimeout(r, 500));
  const b = total();
  const all = b.all - a.all;
  return all > 0 ? ((b.busy - a.busy) / all) * cpus().length : 0;
}

/** Compresses an N-frame .npy stack to .zarr with the real CLI (1 thread, then all cores). */
export async function threadsScaling(frames: number): Promise<Array<Record<string, unknown>>> {
  const size = 2048;
  const dir = await mkdtemp(join(tmpdir(), 'pymecompress-bench-'));
  const results: Array<Record<string, unknown>> = [];
  try {
    // 4 distinct seeded frames (seed 1 is the bench frame), repeated
    const distinct = Array.from({ length: 4 }, (_, i) =>
      syntheticCameraFrame({ width: size, height: size, seed: 1 + i, darkLevel: 100 }),
    );
    const file = join(dir, 'stack.npy');
    const header = npyHeaderBytes('uint16', [frames, size, size]);
    const fh = await open(file, 'w');
    await fh.write(header);
    for (let i = 0; i < frames; i++) {
      const f = distinct[i % distinct.length]!;
      await fh.write(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
    }
    await fh.close();
    const mb = (frames * size * size * 2) / 1e6;
    const bin = fileURLToPath(new URL('../bin.js', import.meta.url));
    const n = availableParallelism();
    const { entries } = await availableBackends();
    const backends = [
      'core-ts',
      ...(entries.some((e) => e.name.startsWith('native')) ? ['native'] : []),
    ];
    console.log(
      `\nthreads scaling: compress a ${frames}-frame ${size}x${size} uint16 .npy (${mb.toFixed(0)} MB) to .zarr with the CLI, offset ${OFFSET}, scale ${SCALE} (wall clock, best of 2)`,
    );
    const table: string[][] = [];
    for (const backend of backends) {
      const time = (threads: number): number => {
        const t = performance.now();
        const r = spawnSync(
          process.execPath,
          [
            bin,
            'compress',
            file,
            '-o',
            join(dir, 'out.zarr'),
            '--offset',
            String(OFFSET),
            '--scale',
            String(SCALE),
            '--backend',
            backend,
            '--threads',
            String(threads),
            '--force',
            '--quiet',
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
        if (r.status !== 0) throw new Error(`scaling run failed: ${r.stderr.toString()}`);
        return (performance.now() - t) / 1000;
      };
      const t1 = Math.min(time(1), time(1));
      const tn = Math.min(time(n), time(n));
      results.push({
        backend,
        frames,
        frameSize: size,
        megabytes: mb,
        threads: n,
        seconds1: t1,
        secondsN: tn,
        speedup: t1 / tn,
      });
      table.push([
        backend,
        `${(mb / t1).toFixed(0)} MB/s (${t1.toFixed(2)} s)`,
        `${(mb / tn).toFixed(0)} MB/s (${tn.toFixed(2)} s)`,
        `${(t1 / tn).toFixed(2)}x`,
      ]);
    }
    printTable(['backend', '--threads 1', `--threads ${n}`, 'speed-up'], table);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
