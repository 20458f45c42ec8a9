/* Decode cycles per symbol of streams written by bench/dump-corpus.mjs, alone and as interleaved
 * pairs (pmc_huffman_decompress_batch). Cycles are the x86 time-stamp counter (the nominal
 * clock, what `perf stat -e cycles` would give without frequency scaling); elsewhere ns.
 * Usage: make bench-decode (runs on ../csrc-build/bench/ *.bin). Benchmark only. */
#include "bench_common.h" /* first: it sets _POSIX_C_SOURCE */

#include <string.h>

#include "../pymecompress.h"

int main(int argc, char **argv) {
  printf("%-22s %12s %12s %10s %10s %8s  (%s per symbol; MB/s of output, one core)\n", "stream",
         "single", "pair", "MB/s", "pair MB/s", "gain", UNIT);
  for (int a = 1; a < argc; a++) {
    uint64_t n, len;
    uint8_t *s = read_corpus_stream(argv[a], &n, &len);
    if (!s) continue;
    uint8_t *s2 = (uint8_t *)malloc(len);
    memcpy(s2, s, len);
    uint8_t *o1 = (uint8_t *)malloc(n), *o2 = (uint8_t *)malloc(n);
    const int reps = n < 1000000 ? 400 : 12;
    uint64_t best1 = ~0ull, best2 = ~0ull;
    double sec1 = 1e9, sec2 = 1e9;
    for (int r = 0; r < reps; r++) {
      double t0 = now_s();
      uint64_t c0 = ticks();
      if (pmc_huffman_decompress(s, len, o1, n) != PMC_OK) return 2;
      uint64_t c = ticks() - c0;
      double t = now_s() - t0;
      if (c < best1) best1 = c;
      if (t < sec1) sec1 = t;
      const uint8_t *streams[2] = {s, s2};
      const uint64_t lens[2] = {len, len}, sizes[2] = {n, n};
      uint8_t *outs[2] = {o1, o2};
      pmc_status st[2];
      t0 = now_s();
      c0 = ticks();
      if (pmc_huffman_decompress_batch(2, streams, lens, outs, sizes, st) != PMC_OK) return 3;
      c = ticks() - c0;
      t = now_s() - t0;
      if (c < best2) best2 = c;
      if (t < sec2) sec2 = t;
    }
    const char *name = strrchr(argv[a], '/');
    printf("%-22s %12.2f %12.2f %10.0f %10.0f %7.2fx\n", name ? name + 1 : argv[a],
           (double)best1 / (double)n, (double)best2 / (double)(2 * n), (double)n / sec1 / 1e6,
           2.0 * (double)n / sec2 / 1e6, sec1 * 2 / sec2);
    free(s);
    free(s2);
    free(o1);
    free(o2);
  }
  return 0;
}
