/* Byte histogram of an input, the first step of the encoder's plan (and of the fused
 * quantize + encode pass, which counts each quantized block while it is still in L1). */
#include <stdlib.h>
#include <string.h>

#include "pmc_internal.h"

/* Eight sub-histograms: runs of one symbol (common in quantized frames) would otherwise
 * serialise on store-to-load forwarding of a single counter. Byte loads, not 8-byte words
 * taken apart with shifts: the loads go to the load ports, the shifts would compete with the
 * increments for the ALUs (measured ~5% faster on the corpus). */
static void histogram_bytes(const uint8_t *in, uint64_t n, uint32_t count[256], uint32_t *odd) {
  uint32_t h[8][256];
  memset(h, 0, sizeof h);
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) pmc_count8(h, in + i, 1);
  for (; i < n; i++) h[i & 7][in[i]]++; /* sub-histogram k: the bytes at positions = k mod 8 */
  if (odd) {
    for (int s = 0; s < 256; s++) odd[s] += h[1][s] + h[3][s] + h[5][s] + h[7][s];
  }
  pmc_fold8((const uint32_t(*)[256])h, count);
}

/* The tail of the pair loops (positions from `from`), into count and, at odd positions, odd. */
static void count_tail(const uint8_t *in, uint64_t from, uint64_t n, uint32_t count[256],
                       uint32_t *odd) {
  for (uint64_t i = from; i < n; i++) {
    count[in[i]]++;
    if (odd && (i & 1)) odd[in[i]]++;
  }
}

/* Large inputs count 16-bit pairs: one increment per two bytes (half the stores of the byte
 * loop), into four interleaved 64 Ki-entry tables (a run of one pair, e.g. the zeros of a sparse
 * quantized frame, would serialise a single table's counter). Camera data (a pixel's low and
 * high byte, two neighbouring quantized pixels) touches a small part of the tables, which stays
 * in L1/L2. The tables are cleared and folded into the 256 bins once per call (each byte of a
 * pair counts once, whatever the host byte order), so this only pays on inputs of at least
 * PMC_HIST_PAIR_MIN_N bytes. */
#define HIST_PAIR_ENTRIES PMC_HIST_PAIR_ENTRIES
_Static_assert(PMC_HIST_PAIR_TABLES == 4, "pmc_hist_pairs_count interleaves four tables");

void pmc_hist_pairs_count(uint32_t *t, const uint8_t *in, uint64_t n, uint32_t count[256]) {
  uint32_t *t0 = t, *t1 = t + HIST_PAIR_ENTRIES, *t2 = t + 2 * HIST_PAIR_ENTRIES,
           *t3 = t + 3 * HIST_PAIR_ENTRIES;
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    t0[pmc_load_u16(in + i)]++;
    t1[pmc_load_u16(in + i + 2)]++;
    t2[pmc_load_u16(in + i + 4)]++;
    t3[pmc_load_u16(in + i + 6)]++;
  }
  for (; i < n; i++) count[in[i]]++;
}

void pmc_hist_pairs_fold(const uint32_t *t, uint32_t count[256]) {
  /* Pair p (all four tables): byte p & 0xff and byte p >> 8 each occur that many times. Row hi
   * holds the pairs with high byte hi: its counters add to col[lo], its sum to count[hi] (the
   * rows vectorise). */
  const uint32_t *t0 = t, *t1 = t + HIST_PAIR_ENTRIES, *t2 = t + 2 * HIST_PAIR_ENTRIES,
                 *t3 = t + 3 * HIST_PAIR_ENTRIES;
  uint32_t col[256];
  memset(col, 0, sizeof col);
  for (unsigned hi = 0; hi < 256; hi++) {
    const uint32_t *r0 = t0 + (hi << 8), *r1 = t1 + (hi << 8), *r2 = t2 + (hi << 8),
                   *r3 = t3 + (hi << 8);
    uint32_t row = 0;
    for (unsigned lo = 0; lo < 256; lo++) {
      const uint32_t c = r0[lo] + r1[lo] + r2[lo] + r3[lo];
      col[lo] += c;
      row += c;
    }
    count[hi] += row;
  }
  for (int s = 0; s < 256; s++) count[s] += col[s];
}

/* 1 when the pair tables could be allocated (else nothing was counted). */
static int histogram_pairs(const uint8_t *in, uint64_t n, uint32_t count[256]) {
  const size_t bytes = (size_t)PMC_HIST_PAIR_TABLES * HIST_PAIR_ENTRIES * sizeof(uint32_t);
  uint32_t *t = (uint32_t *)malloc(bytes); /* the core's libc is malloc/free/memcpy/memset */
  if (!t) return 0;
  memset(t, 0, bytes);
  pmc_hist_pairs_count(t, in, n, count);
  pmc_hist_pairs_fold(t, count);
  free(t);
  return 1;
}

/* Mid-sized inputs: the same with two tables of 16-bit counters (a quarter of the memory to
 * clear and fold); each table takes a quarter of the bytes' pairs, so no counter can overflow
 * below HIST_PAIR16_MAX_N bytes. */
#define HIST_PAIR16_MAX_N ((uint64_t)1 << 18)
static int histogram_pairs16(const uint8_t *in, uint64_t n, uint32_t count[256], uint32_t *odd) {
  const size_t bytes = (size_t)2 * HIST_PAIR_ENTRIES * sizeof(uint16_t);
  uint16_t *t = (uint16_t *)malloc(bytes);
  if (!t) return 0;
  memset(t, 0, bytes);
  uint16_t *t0 = t, *t1 = t + HIST_PAIR_ENTRIES;
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    t0[pmc_load_u16(in + i)]++;
    t1[pmc_load_u16(in + i + 2)]++;
    t0[pmc_load_u16(in + i + 4)]++;
    t1[pmc_load_u16(in + i + 6)]++;
  }
  count_tail(in, i, n, count, odd);
  uint32_t col[256], rows[256];
  memset(col, 0, sizeof col);
  for (unsigned hi = 0; hi < 256; hi++) {
    const uint16_t *r0 = t0 + (hi << 8), *r1 = t1 + (hi << 8);
    uint32_t row = 0;
    for (unsigned lo = 0; lo < 256; lo++) {
      const uint32_t c = (uint32_t)r0[lo] + r1[lo];
      col[lo] += c;
      row += c;
    }
    rows[hi] = row;
  }
  /* A pair's host-order uint16 has the byte at the odd position high on a little-endian host
   * (rows), low on a big-endian one (columns). */
  const uint32_t *at_odd = PMC_BIG_ENDIAN ? col : rows;
  for (int s = 0; s < 256; s++) {
    count[s] += col[s] + rows[s];
    if (odd) odd[s] += at_odd[s];
  }
  free(t);
  return 1;
}

/* The frequent-symbol histogram (pmc_hist_avx512.c) pays when most bytes are a few symbols:
 * quantized frames, whose 8 most frequent symbols are 94-99.8% of a dim, sparse or tile frame
 * (75% of the bright one), and the raw bytes of dim pixels (70-96%: the high bytes are one or
 * two values). The symbols come from a sample: PMC_HIST_SAMPLE_RUNS runs of PMC_HIST_SAMPLE_RUN
 * bytes spread over the input (a frame's first rows need not be typical). Below 60% of the
 * sample (the bright frame's raw bytes, 45%) the other bytes would cost more than the compares
 * save: measured on random mixes of 8 symbols and uniform bytes, 1.4-2.9x faster up to 40% of
 * other bytes, no slower at 45-50% (the sample declines, or the pass stops at
 * PMC_HIST_REST_MAX_PERMILLE). */
#define HIST_FREQUENT_MIN_PERMILLE 600

int pmc_hist_frequent_symbols(const uint8_t *sample, unsigned len, uint8_t top[PMC_HIST_TOP]) {
  uint16_t c[256];
  memset(c, 0, sizeof c);
  for (unsigned k = 0; k < len; k++) c[sample[k]]++;
  /* one insertion pass, highest count first */
  unsigned tc[PMC_HIST_TOP] = {0};
  int found = 0;
  for (int s = 0; s < 256; s++) {
    const unsigned v = c[s];
    if (v == 0 || (found == PMC_HIST_TOP && v <= tc[PMC_HIST_TOP - 1])) continue;
    int k = found < PMC_HIST_TOP ? found++ : PMC_HIST_TOP - 1;
    while (k > 0 && tc[k - 1] < v) {
      tc[k] = tc[k - 1];
      top[k] = top[k - 1];
      k--;
    }
    tc[k] = v;
    top[k] = (uint8_t)s;
  }
  unsigned covered = 0;
  for (int k = 0; k < found; k++) covered += tc[k];
  if (covered * 1000 < HIST_FREQUENT_MIN_PERMILLE * len) return 0;
  /* slots the sample leaves: symbols absent from it (any distinct symbols count correctly) */
  for (int s = 0; found < PMC_HIST_TOP; s++) {
    if (c[s] == 0) top[found++] = (uint8_t)s;
  }
  return 1;
}

/* Bytes counted from the start by the frequent-symbol histogram (0 when it does not apply). */
static uint64_t histogram_frequent(const uint8_t *in, uint64_t n, uint32_t count[256],
                                   uint32_t *odd) {
#if PMC_HAVE_AVX512_BODY
  if (n < PMC_HIST_FREQUENT_MIN_N || !pmc_cpu_has_avx512_vbmi2()) return 0;
  uint8_t sample[PMC_HIST_SAMPLE_RUNS * PMC_HIST_SAMPLE_RUN], top[PMC_HIST_TOP];
  for (int r = 0; r < PMC_HIST_SAMPLE_RUNS; r++) {
    memcpy(sample + r * PMC_HIST_SAMPLE_RUN, in + pmc_hist_sample_start(n, r), PMC_HIST_SAMPLE_RUN);
  }
  if (!pmc_hist_frequent_symbols(sample, sizeof sample, top)) return 0;
  return pmc_hist_frequent_avx512(in, n, top, count, odd);
#else
  (void)in, (void)n, (void)count, (void)odd;
  return 0;
#endif
}

void pmc_histogram(const uint8_t *in, uint64_t n, uint32_t count[256]) {
  pmc_histogram_odd(in, n, count, NULL);
}

int pmc_histogram_odd(const uint8_t *in, uint64_t n, uint32_t count[256], uint32_t *odd) {
  if (n >= PMC_HIST_PAIR_MIN_N) odd = NULL; /* the pair tables do not keep positions apart */
  /* What the frequent-symbol pass leaves (from a multiple of 64 bytes: the parity of positions
   * is unchanged) goes through the other paths, chosen by its own size. */
  const uint64_t done = histogram_frequent(in, n, count, odd);
  in += done;
  n -= done;
  if (n >= PMC_HIST_PAIR_MIN_N && histogram_pairs(in, n, count)) return 0;
  if (n >= PMC_HIST_PAIR16_MIN_N && n < HIST_PAIR16_MAX_N && histogram_pairs16(in, n, count, odd))
    return odd != NULL;
  histogram_bytes(in, n, count, odd);
  return odd != NULL;
}
