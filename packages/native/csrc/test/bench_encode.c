/* Encode cycles per symbol of the corpus streams written by bench/dump-corpus.mjs, split into
 * histogram, tree (plan from histogram) and emission; with -DPMC_BENCH_OLD=<file> a second
 * encoder (an older pmc_huffman_encode.c built with renamed symbols) is timed in the same run,
 * alternating, and its bytes are checked against the current one. TSC cycles on x86-64.
 * Usage: make bench-encode. Benchmark only. */
#include "bench_common.h" /* first: it sets _POSIX_C_SOURCE */

#include <string.h>

#include "../pmc_internal.h"
#include "../pymecompress.h"

#ifdef PMC_BENCH_OLD
pmc_status old_huffman_encode(const uint8_t *in, uint64_t n, const pmc_huff_plan *plan,
                              uint8_t *out, uint64_t out_cap);
#endif

int main(int argc, char **argv) {
  printf("%-20s %5s %6s %8s %8s %8s %8s  (%s per symbol, best of reps)\n", "stream", "maxL",
         "bits/s", "hist", "tree", "emit", "emitOld", UNIT);
  for (int a = 1; a < argc; a++) {
    uint64_t n, len;
    uint8_t *s = read_corpus_stream(argv[a], &n, &len);
    if (!s) continue;
    uint8_t *raw = (uint8_t *)malloc(n);
    if (pmc_huffman_decompress(s, len, raw, n) != PMC_OK) return 2;
    uint8_t *o1 = (uint8_t *)malloc(len + 64), *o2 = (uint8_t *)malloc(len + 64);
    pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
    const int reps = n < 1000000 ? 400 : 20;
    uint64_t bh = ~0ull, bt = ~0ull, be = ~0ull, bo = ~0ull;
    for (int r = 0; r < reps; r++) {
      uint32_t count[256], odd[256];
      memset(count, 0, sizeof count);
      memset(odd, 0, sizeof odd);
      uint64_t c0 = ticks();
      const int sets = pmc_histogram_odd(raw, n, count, odd); /* as pmc_huffman_plan */
      uint64_t c = ticks() - c0;
      if (c < bh) bh = c;
      c0 = ticks();
      if (pmc_huffman_plan_from_counts(count, sets ? odd : NULL, n, plan) != PMC_OK) return 3;
      c = ticks() - c0;
      if (c < bt) bt = c;
      /* new and old take turns at going first (cache and branch-predictor state) */
      for (int turn = 0; turn < 2; turn++) {
        if ((turn ^ r) & 1) {
          c0 = ticks();
          if (pmc_huffman_encode(raw, n, plan, o1, len + 64) != PMC_OK) return 4;
          c = ticks() - c0;
          if (c < be) be = c;
          if (memcmp(o1, s, len) != 0) return 5;
        } else {
#ifdef PMC_BENCH_OLD
          c0 = ticks();
          if (old_huffman_encode(raw, n, plan, o2, len + 64) != PMC_OK) return 6;
          c = ticks() - c0;
          if (c < bo) bo = c;
          if (memcmp(o2, s, len) != 0) return 7;
#endif
        }
      }
    }
    const char *name = strrchr(argv[a], '/');
    const double dn = (double)n;
    printf("%-20s %5u %6.2f %8.3f %8.3f %8.3f %8.3f\n", name ? name + 1 : argv[a], plan->max_len,
           8.0 * (double)len / dn, (double)bh / dn, (double)bt / dn, (double)be / dn,
           bo == ~0ull ? 0.0 : (double)bo / dn);
    free(s);
    free(raw);
    free(o1);
    free(o2);
    free(plan);
  }
  return 0;
}
