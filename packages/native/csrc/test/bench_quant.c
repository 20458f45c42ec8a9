/* Quantize (+count) cycles per pixel of the corpus frames (the pixels of the *-raw.bin streams
 * bench/dump-corpus.mjs writes; offset = OFFSET env or the corpus dark level 100, scale 1), per
 * body, alternating in one run, and the split of quantize + encode into quantize + count, tree and
 * emission. TSC cycles on x86-64. Usage: make bench-quant. Benchmark only. */
#include "bench_common.h" /* first: it sets _POSIX_C_SOURCE */

#include <string.h>

#include "../pmc_internal.h"
#include "../pymecompress.h"

typedef void (*count_body)(const uint8_t *, uint64_t, float, float, uint8_t *, uint32_t *);
typedef void (*quant_body)(const uint8_t *, uint64_t, float, float, uint8_t *);

int main(int argc, char **argv) {
  const char *off_env = getenv("OFFSET");
  const float offset = off_env ? (float)atof(off_env) : 100.0f, qs = 1.0f;
  struct {
    const char *name;
    count_body count;
    quant_body quant;
    pmc_dispatch dispatch;
  } bodies[] = {
#if PMC_HAVE_AVX2_BODY
    {"avx2", pmc_quantize_count_avx2, pmc_quantize_avx2, PMC_DISPATCH_AVX2},
#if PMC_HAVE_AVX512_BODY
    {"avx512", pmc_quantize_count_avx512, pmc_quantize_avx512, PMC_DISPATCH_AVX512},
#endif
#endif
  };
  const int nb = (int)(sizeof bodies / sizeof bodies[0]);
  printf("%-14s %-7s %8s %8s  %8s %8s %8s %8s %8s  (%s per pixel, best of reps)\n", "frame",
         "body", "quant", "q+count", "tree", "emit", "hist", "q+enc", "reused", UNIT);
  for (int a = 1; a < argc; a++) {
    uint64_t n2, len;
    uint8_t *s = read_corpus_stream(argv[a], &n2, &len);
    if (!s) continue;
    const uint64_t n = n2 / 2;
    uint8_t *px = (uint8_t *)malloc(n2), *ref = (uint8_t *)malloc(n), *q = (uint8_t *)malloc(n);
    if (pmc_huffman_decompress(s, len, px, n2) != PMC_OK) return 2;
    pmc_quantize_scalar(px, n, offset, qs, ref);
    pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
    uint8_t *enc = (uint8_t *)malloc(n + 400);
    const int reps = n < 1000000 ? 400 : (getenv("REPS") ? atoi(getenv("REPS")) : 20);
    uint64_t bq[8], bc[8], bt = ~0ull, be = ~0ull, bh = ~0ull, bf[8], bp = ~0ull;
    for (int b = 0; b < 8; b++) bq[b] = bc[b] = bf[b] = ~0ull;
    for (int r = 0; r < reps; r++) {
      for (int k = 0; k < nb; k++) {
        const int b = (k + r) % nb; /* rotate who goes first */
        uint64_t c0 = ticks();
        bodies[b].quant(px, n, offset, qs, q);
        uint64_t c = ticks() - c0;
        if (c < bq[b]) bq[b] = c;
        if (memcmp(q, ref, n) != 0) return 3;
        uint32_t count[256];
        memset(count, 0, sizeof count);
        c0 = ticks();
        bodies[b].count(px, n, offset, qs, q, count);
        c = ticks() - c0;
        if (c < bc[b]) bc[b] = c;
        if (memcmp(q, ref, n) != 0) return 4;
      }
      uint32_t count[256];
      memset(count, 0, sizeof count);
      uint64_t c0 = ticks();
      pmc_histogram(ref, n, count);
      uint64_t c = ticks() - c0;
      if (c < bh) bh = c;
      c0 = ticks();
      if (pmc_huffman_plan_from_histogram(count, n, plan) != PMC_OK) return 5;
      c = ticks() - c0;
      if (c < bt) bt = c;
      c0 = ticks();
      if (pmc_huffman_encode(ref, n, plan, enc, n + 400) != PMC_OK) return 6;
      c = ticks() - c0;
      if (c < be) be = c;
      /* the whole call per body (buffers allocated and freed as the library does) */
      for (int k = 0; k < nb; k++) {
        const int b = (k + r) % nb;
        uint8_t *stream = NULL;
        uint64_t slen = 0;
        c0 = ticks();
        if (pmc_huffman_compress_quant(px, n, offset, 1.0f, bodies[b].dispatch, &stream, &slen) !=
            PMC_OK)
          return 7;
        free(stream);
        c = ticks() - c0;
        if (c < bf[b]) bf[b] = c;
      }
      /* the same steps into buffers allocated once */
      c0 = ticks();
      if (pmc_quantize_into_plan(px, n, offset, 1.0f, PMC_DISPATCH_AUTO, q, plan) != PMC_OK ||
          pmc_huffman_encode(q, n, plan, enc, n + 400) != PMC_OK)
        return 8;
      c = ticks() - c0;
      if (c < bp) bp = c;
    }
    const char *name = strrchr(argv[a], '/');
    const double dn = (double)n;
    for (int b = 0; b < nb; b++) {
      printf("%-14s %-7s %8.3f %8.3f  %8.3f %8.3f %8.3f %8.3f %8.3f\n", name ? name + 1 : argv[a],
             bodies[b].name, (double)bq[b] / dn, (double)bc[b] / dn, (double)bt / dn,
             (double)be / dn, (double)bh / dn, (double)bf[b] / dn, (double)bp / dn);
    }
    free(s);
    free(px);
    free(ref);
    free(q);
    free(plan);
    free(enc);
  }
  return 0;
}
