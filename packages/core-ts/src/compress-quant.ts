import { encodeCounted } from './huffman-encode.js';
import { quantizeCounting } from './quantize.js';
import { assertEncodableLength, checkQuantizeArgs } from './validate.js';

/**
 * Quantizes then Huffman-codes, as pymecompress's `HuffmanCompressQuant` (scalar path), bytes
 * identical to `huffmanCompress(quantize(data, offset, scale))`: the quantizer counts the
 * symbols as it writes them (docs/FORMAT.md §2 then §1), so the symbols are read once more, by
 * the coder, instead of twice.
 */
export function huffmanCompressQuant(data: Uint16Array, offset: number, scale: number): Uint8Array {
  // The checks of quantize() then huffmanCompress(), in that order.
  checkQuantizeArgs(data, offset, scale, undefined);
  assertEncodableLength(data.length);
  const { symbols, histogram } = quantizeCounting(data, offset, scale);
  if (symbols.length === 0) return new Uint8Array(0);
  return encodeCounted(symbols, histogram);
}
