/** The shared rule for untrusted sizes (`@pymecompress/codecs/untrusted`, docs/FORMAT.md §5). */
import {
  countProblem,
  maxHuffmanChunkBytes,
  maxQuant16ChunkBytes,
  stackProblem,
  zarrayProblem,
} from '@pymecompress/codecs/untrusted';
import { maxCompressedSize } from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';

describe('untrusted metadata', () => {
  it('counts are JSON numbers that are safe non-negative integers within the limit', () => {
    expect(countProblem('n', 5, 10)).toBeUndefined();
    for (const v of [-1, 2.5, null, true, '3', 2 ** 53, Number.NaN])
      expect(countProblem('n', v, Number.MAX_SAFE_INTEGER)).toMatch(
        /^n .* is not a non-negative integer$/,
      );
    expect(countProblem('n', 11, 10)).toBe('n 11 exceeds the limit of 10');
  });

  it('stacks: frames hold pixels, one frame < 2 GiB', () => {
    expect(stackProblem(3, 32, 48, 2)).toBeUndefined();
    expect(stackProblem(0, 0, 0, 2)).toBeUndefined();
    expect(stackProblem(1e12, 0, 0, 2)).toMatch(/frame count 1000000000000 exceeds/);
    expect(stackProblem(5, 0, 7, 2)).toMatch(/hold no data/);
    expect(stackProblem(1, 40000, 40000, 2)).toMatch(/2 GiB/);
  });

  it('a chunk is at most the worst-case Huffman stream plus its trailer', () => {
    expect(maxHuffmanChunkBytes(3072)).toBe(maxCompressedSize(3072) + 4);
    // Python's quant16 streams carry two symbols per sample (docs/DEVIATIONS.md C5).
    expect(maxQuant16ChunkBytes(3072)).toBe(maxHuffmanChunkBytes(6144));
  });

  it('.zarray fields', () => {
    const ok = { shape: [2, 4, 4], chunks: [1, 4, 4], dimension_separator: '/', fill_value: 0 };
    expect(zarrayProblem(ok, 65535)).toBeUndefined();
    expect(zarrayProblem(null)).toBe('.zarray is not a JSON object');
    expect(zarrayProblem([1])).toBe('.zarray is not a JSON object');
    expect(zarrayProblem({ ...ok, shape: 'x' })).toMatch(/shape is not an array/);
    expect(zarrayProblem({ ...ok, chunks: [1, 4] })).toMatch(/disagree/);
    expect(zarrayProblem({ ...ok, shape: [-1, 4, 4] })).toMatch(/shape\[0\] -1/);
    expect(zarrayProblem({ ...ok, chunks: [0, 4, 4] })).toMatch(/chunks\[0\] is 0/);
    expect(zarrayProblem({ ...ok, dimension_separator: '-' })).toMatch(/dimension_separator "-"/);
    for (const f of [-1, 70000, 1.5, 'x'])
      expect(zarrayProblem({ ...ok, fill_value: f }, 65535)).toMatch(/fill_value/);
    expect(zarrayProblem({ ...ok, fill_value: 1.5 })).toBeUndefined(); // no dtype limit given
  });
});
