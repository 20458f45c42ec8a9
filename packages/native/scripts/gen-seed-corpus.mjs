// Regenerates the committed libFuzzer seed corpus (csrc/fuzz/corpus/{decode,roundtrip}).
// Deterministic; run: node scripts/gen-seed-corpus.mjs (after building core-ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { huffmanCompress } from '@pymecompress/core-ts';
import { SeededRandom } from '@pymecompress/core-ts/synthetic';

const root = new URL('../csrc/fuzz/corpus/', import.meta.url);
const dec = new URL('decode/', root);
const rt = new URL('roundtrip/', root);
mkdirSync(dec, { recursive: true });
mkdirSync(rt, { recursive: true });

const random = new SeededRandom(12345);
const rand = () => random.nextUint32();
const bytes = (n, alphabet) => Uint8Array.from({ length: n }, () => rand() % alphabet);
const withSize = (size, stream) => {
  const out = new Uint8Array(3 + stream.length);
  out[0] = (size >> 16) & 255;
  out[1] = (size >> 8) & 255;
  out[2] = size & 255;
  out.set(stream, 3);
  return out;
};

const inputs = {
  'seven-x10': new Uint8Array(10).fill(7),
  'two-symbols': Uint8Array.from({ length: 64 }, (_, i) => (i % 3 ? 1 : 200)),
  'alpha4-300': bytes(300, 4),
  'alpha40-500': bytes(500, 40),
  'alpha256-700': bytes(700, 256),
  'skewed-1000': Uint8Array.from({ length: 1000 }, () =>
    Math.min(rand() % 64, rand() % 64, rand() % 64),
  ),
  'camera-u16-400': new Uint8Array(
    Uint16Array.from({ length: 400 }, () => 100 + (rand() % 20)).buffer,
  ),
};
for (const [name, data] of Object.entries(inputs)) {
  const stream = huffmanCompress(data);
  writeFileSync(new URL(`${name}.bin`, dec), withSize(data.length, stream));
  writeFileSync(
    new URL(`${name}-short.bin`, dec),
    withSize(data.length + 3, stream.subarray(0, stream.length >> 1)),
  );
  writeFileSync(new URL(`${name}.bin`, rt), data);
}
writeFileSync(new URL('zeros-200.bin', dec), withSize(10, new Uint8Array(200)));
writeFileSync(new URL('single-leaf.bin', dec), withSize(7, Uint8Array.of(0x83, 0x80)));
// round-trip seeds whose first 8 bytes are (offset, scale) floats for the quantizer checks
for (const [offset, scale] of [
  [100, 1],
  [0, 0.5],
  [99.5, 2.7],
]) {
  const px = Uint16Array.from({ length: 256 }, () => 90 + (rand() % 600));
  const f = new Float32Array([offset, scale]);
  const out = new Uint8Array(8 + px.byteLength);
  out.set(new Uint8Array(f.buffer), 0);
  out.set(new Uint8Array(px.buffer), 8);
  writeFileSync(new URL(`quant-${offset}-${scale}.bin`, rt), out);
}
console.log('seed corpus written');
