/** Batches: many independent streams per call (PZF chunked frames, several Zarr chunks). */
import { PymecompressError } from '@pymecompress/core-ts';
import { assertOutput, assertSize, assertUint8Array } from '@pymecompress/core-ts/internal';
import { type BatchFailure, binding, call, callAsync, codedError, view } from './addon.js';

/** A fresh buffer without the zero-fill (every byte is written by the decoder). */
function uninitialised(size: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(b.buffer, b.byteOffset, size);
}

function batchArgs(
  streams: readonly Uint8Array[],
  sizes: readonly number[],
  outs: readonly Uint8Array[] | undefined,
  name: string,
): Uint8Array[] {
  if (!Array.isArray(streams) || !Array.isArray(sizes)) {
    throw new PymecompressError(
      'ERR_INVALID_ARGUMENT',
      `${name}: streams and sizes must be arrays`,
    );
  }
  if (sizes.length !== streams.length || (outs !== undefined && outs.length !== streams.length)) {
    throw new PymecompressError(
      'ERR_INVALID_ARGUMENT',
      `${name}: streams, sizes and outs must have the same length`,
    );
  }
  if (outs !== undefined && !Array.isArray(outs)) {
    throw new PymecompressError('ERR_INVALID_ARGUMENT', `${name}: outs must be an array`);
  }
  streams.forEach((s, i) => {
    assertUint8Array(s, `streams[${i}]`);
    assertSize(sizes[i], `sizes[${i}]`);
    assertOutput(outs?.[i], sizes[i]!, `outs[${i}]`, assertUint8Array);
  });
  return outs ? [...outs] : sizes.map((n) => uninitialised(n));
}

function batchError(name: string, failure: BatchFailure): Error {
  return codedError(failure.code, `${name}: stream ${failure.index}: ${failure.message}`);
}

/**
 * Decodes many independent streams in one call, `streams[i]` into exactly `sizes[i]` bytes (into
 * `outs[i]` when given): each call as `huffmanDecompress`, two streams at a time with their bit
 * readers interleaved in this thread (faster than one at a time: one stream's lookups form a
 * single dependency chain). Returns the outputs, `outs[i].subarray(0, sizes[i])` when given.
 * Throws the error of the first failing stream (its index in the message); the others are
 * decoded all the same.
 */
export function huffmanDecompressBatch(
  streams: readonly Uint8Array[],
  sizes: readonly number[],
  outs?: readonly Uint8Array[],
): Uint8Array[] {
  const targets = batchArgs(streams, sizes, outs, 'huffmanDecompressBatch');
  const failure = call(() => binding.huffmanDecompressBatch([...streams], [...sizes], targets));
  if (failure) throw batchError('huffmanDecompressBatch', failure);
  return targets.map((o, i) => view(o, sizes[i]!));
}

/** Threads of the libuv pool (Node's default is 4). */
function poolSize(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
}

/**
 * `huffmanDecompressBatch` on the libuv pool: the batch is cut into contiguous slices of about
 * equal output size, one per pool thread (at least two streams each, so every slice can
 * interleave), decoded in parallel.
 */
export async function huffmanDecompressBatchAsync(
  streams: readonly Uint8Array[],
  sizes: readonly number[],
  outs?: readonly Uint8Array[],
): Promise<Uint8Array[]> {
  const targets = batchArgs(streams, sizes, outs, 'huffmanDecompressBatchAsync');
  const slices = Math.max(1, Math.min(poolSize(), Math.floor(streams.length / 2)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const jobs: Promise<BatchFailure | null>[] = [];
  let start = 0;
  let done = 0;
  for (let k = 0; k < slices && start < streams.length; k++) {
    // end: where the running output total passes (k + 1) / slices of the whole
    let end = start;
    const goal = (total * (k + 1)) / slices;
    while (end < streams.length && (k === slices - 1 || end - start < 2 || done < goal)) {
      done += sizes[end]!;
      end++;
    }
    const first = start;
    jobs.push(
      callAsync(() =>
        binding.huffmanDecompressBatchAsync(
          streams.slice(start, end),
          sizes.slice(start, end),
          targets.slice(start, end),
        ),
      ).then((f) => (f ? { ...f, index: f.index + first } : null)),
    );
    start = end;
  }
  const failures = await Promise.all(jobs);
  const failure = failures.find((f) => f !== null);
  if (failure) throw batchError('huffmanDecompressBatchAsync', failure);
  return targets.map((o, i) => view(o, sizes[i]!));
}
