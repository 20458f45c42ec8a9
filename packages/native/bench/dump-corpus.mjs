// Writes each corpus entry's stream as <dir>/<frame>-<raw|quant>.bin with a 16-byte header
// (uint64 LE output size, uint64 LE stream length) for csrc/test/bench_decode.c.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@pymecompress/core-ts';
import { corpus } from './corpus.mjs';

const dir = process.argv[2] ?? 'csrc-build/bench';
mkdirSync(dir, { recursive: true });
for (const entry of corpus()) {
  for (const [kind, data] of [
    ['raw', entry.bytes],
    ['quant', entry.symbols],
  ]) {
    const stream = core.huffmanCompress(data);
    const header = Buffer.alloc(16);
    header.writeBigUInt64LE(BigInt(data.length), 0);
    header.writeBigUInt64LE(BigInt(stream.length), 8);
    writeFileSync(join(dir, `${entry.name}-${kind}.bin`), Buffer.concat([header, stream]));
    console.log(`${entry.name}-${kind}: ${data.length} -> ${stream.length} bytes`);
  }
}
