/**
 * Independent, deliberately naive models of the formats, written from docs/FORMAT.md with
 * strings of '0'/'1' characters: no tables, no bit tricks. The tests hold the real code to them.
 */
import { PymecompressError } from '../src/errors.js';

interface ModelNode {
  count: number;
  symbol?: number;
  a?: ModelNode;
  b?: ModelNode;
}

/** Builds the tree with the reference's rules, returns its root (undefined for no data). */
export function modelTree(data: Uint8Array): ModelNode | undefined {
  const counts = new Array<number>(256).fill(0);
  for (const byte of data) counts[byte]!++;
  const nodes: ModelNode[] = [];
  for (let s = 0; s < 256; s++) if (counts[s]! > 0) nodes.push({ count: counts[s]!, symbol: s });
  if (nodes.length === 0) return undefined;
  let alive = nodes.length;
  while (alive > 1) {
    let n1: number | undefined;
    let n2: number | undefined;
    nodes.forEach((node, k) => {
      if (node.count === 0) return;
      if (n1 === undefined || node.count <= nodes[n1]!.count) {
        n2 = n1;
        n1 = k;
      } else if (n2 === undefined || node.count <= nodes[n2]!.count) {
        n2 = k;
      }
    });
    const a = nodes[n1!]!;
    const b = nodes[n2!]!;
    nodes.push({ count: a.count + b.count, a: { ...a }, b: { ...b } });
    a.count = 0;
    b.count = 0;
    alive--;
  }
  return nodes[nodes.length - 1];
}

function codes(root: ModelNode): Map<number, string> {
  const table = new Map<number, string>();
  if (root.symbol !== undefined) {
    table.set(root.symbol, '0');
    return table;
  }
  const walk = (node: ModelNode, path: string): void => {
    if (node.symbol !== undefined) table.set(node.symbol, path);
    else {
      walk(node.a!, `${path}0`);
      walk(node.b!, `${path}1`);
    }
  };
  walk(root, '');
  return table;
}

function treeBits(node: ModelNode): string {
  if (node.symbol !== undefined) return `1${node.symbol.toString(2).padStart(8, '0')}`;
  return `0${treeBits(node.a!)}${treeBits(node.b!)}`;
}

export function bitsToBytes(bits: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

export function bytesToBits(bytes: Uint8Array): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return bits;
}

export function modelCompress(data: Uint8Array): Uint8Array {
  const root = modelTree(data);
  if (root === undefined) return new Uint8Array(0);
  const table = codes(root);
  const parts = [treeBits(root)];
  for (const byte of data) parts.push(table.get(byte)!);
  return bitsToBytes(parts.join(''));
}

/** The first bits of the model stream (tree plus the first `symbols` codes), as bytes. */
export function modelStreamPrefix(data: Uint8Array, symbols: number): Uint8Array {
  const root = modelTree(data);
  if (root === undefined) return new Uint8Array(0);
  const table = codes(root);
  const parts = [treeBits(root)];
  for (const byte of data.subarray(0, symbols)) parts.push(table.get(byte)!);
  const bits = parts.join('');
  return bitsToBytes(bits.slice(0, bits.length - (bits.length % 8)));
}

/** Longest code length of the model tree. */
export function modelDepth(data: Uint8Array): number {
  const root = modelTree(data);
  if (root === undefined) return 0;
  let depth = 0;
  for (const code of codes(root).values()) depth = Math.max(depth, code.length);
  return depth;
}

const fail = (code: PymecompressError['code'], message: string): never => {
  throw new PymecompressError(code, message);
};

/** Tree-walking decoder following the strictness rules of docs/FORMAT.md literally. */
export function modelDecompress(stream: Uint8Array, outSize: number): Uint8Array {
  if (outSize > 0 && outSize > stream.length * 8 - 9) fail('ERR_OUTPUT_TOO_LARGE', 'size');
  if (outSize === 0) return new Uint8Array(0);
  const bits = bytesToBits(stream);
  let pos = 0;
  let internal = 0;
  const seen = new Set<number>();
  const read = (): ModelNode => {
    if (pos >= bits.length) fail('ERR_TRUNCATED_STREAM', 'tree');
    if (bits[pos++] === '0') {
      internal++;
      if (internal > 255) fail('ERR_CORRUPT_STREAM', 'internal');
      const a = read();
      const b = read();
      return { count: 0, a, b };
    }
    if (pos + 8 > bits.length) fail('ERR_TRUNCATED_STREAM', 'leaf');
    const symbol = Number.parseInt(bits.slice(pos, pos + 8), 2);
    pos += 8;
    if (seen.has(symbol)) fail('ERR_CORRUPT_STREAM', 'duplicate');
    seen.add(symbol);
    return { count: 0, symbol };
  };
  const root = read();
  const out = new Uint8Array(outSize);
  if (root.symbol !== undefined) return out.fill(root.symbol);
  for (let k = 0; k < outSize; k++) {
    let node = root;
    while (node.symbol === undefined) {
      if (pos >= bits.length) fail('ERR_TRUNCATED_STREAM', 'data');
      node = bits[pos++] === '0' ? node.a! : node.b!;
    }
    out[k] = node.symbol;
  }
  return out;
}

/** The float32 quantizer model written with a real float32 array as the "register". */
export function modelQuantize(x: number, offset: number, scale: number): number {
  const f = new Float32Array(6);
  f[0] = offset;
  f[1] = scale;
  f[2] = 1 / f[1]!; // double reciprocal, stored to float: (float)(1.0 / (double)scale)
  f[3] = x - f[0]!; // exact in double, one rounding on store
  if (f[3]! < 0 || Number.isNaN(f[3])) return 0;
  f[4] = Math.sqrt(f[3]!);
  f[5] = f[2]! * f[4]!;
  const r = f[5]!;
  const rounded = r - Math.floor(r) >= 0.5 ? Math.ceil(r) : Math.floor(r);
  return Math.min(255, rounded);
}
