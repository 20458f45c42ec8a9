/*
 * The fused quantize + count pass of the wasm build's quantize+encode: out[i] = table[data[i]]
 * (the cached table of all 65,536 quantizer results, pmc_wasm.c) with each symbol counted while
 * it is in a register. The counting is the core's (pmc_internal.h): its byte sub-histograms, or
 * for inputs of PMC_HIST_PAIR_MIN_N bytes and more its pair tables, here static (the call's
 * blocks all count into them; pmc_wasm_pairs_fold adds them into the histogram once, at the
 * end). Same counts as pmc_histogram of the symbols; only the order of the additions differs.
 */
#include <stdint.h>

#include "pmc_internal.h"
#include "pmc_wasm.h"

static uint32_t g_pairs[PMC_HIST_PAIR_TABLES * PMC_HIST_PAIR_ENTRIES];
/* Set while the tables hold counts not yet folded (a call that stopped between its blocks). */
static int g_pairs_dirty;

void pmc_wasm_pairs_discard(void) {
  if (g_pairs_dirty) __builtin_memset(g_pairs, 0, sizeof g_pairs);
  g_pairs_dirty = 0;
}

void pmc_wasm_pairs_count(const uint8_t *in, uint32_t n, uint32_t count[256]) {
  g_pairs_dirty = 1;
  pmc_hist_pairs_count(g_pairs, in, n, count);
}

void pmc_wasm_pairs_fold(uint32_t count[256]) {
  pmc_hist_pairs_fold(g_pairs, count);
  __builtin_memset(g_pairs, 0, sizeof g_pairs);
  g_pairs_dirty = 0;
}

/* out[i] = table[data[i]] for uint16 data, 8 at a time (one 8-byte store), counted into the
 * pair tables in the layout of pmc_hist_pairs_count (pair j of 8 symbols to table j) when
 * `pairs`, else into eight byte sub-histograms added to count. */
PMC_INLINE void map_count(const uint8_t *data, uint32_t n, const uint8_t *table, uint8_t *out,
                          uint32_t count[256], const int pairs) {
  uint32_t h[8][256];
  if (!pairs) __builtin_memset(h, 0, sizeof h);
  uint32_t *const t0 = g_pairs, *const t1 = g_pairs + PMC_HIST_PAIR_ENTRIES;
  uint32_t *const t2 = g_pairs + 2 * PMC_HIST_PAIR_ENTRIES;
  uint32_t *const t3 = g_pairs + 3 * PMC_HIST_PAIR_ENTRIES;
  uint32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint8_t *p = data + 2 * i;
    uint32_t q[8];
    for (int k = 0; k < 8; k++) q[k] = table[pmc_load_u16(p + 2 * k)];
    const uint32_t w0 = q[0] | q[1] << 8, w1 = q[2] | q[3] << 8;
    const uint32_t w2 = q[4] | q[5] << 8, w3 = q[6] | q[7] << 8;
    const uint64_t v = (uint64_t)(w0 | w1 << 16) | (uint64_t)(w2 | w3 << 16) << 32;
    __builtin_memcpy(out + i, &v, 8);
    if (pairs) {
      t0[w0]++;
      t1[w1]++;
      t2[w2]++;
      t3[w3]++;
    } else {
      for (int k = 0; k < 8; k++) h[k][q[k]]++;
    }
  }
  for (; i < n; i++) {
    out[i] = table[pmc_load_u16(data + 2 * i)];
    count[out[i]]++;
  }
  if (!pairs) {
    for (int s = 0; s < 256; s++) {
      count[s] += h[0][s] + h[1][s] + h[2][s] + h[3][s] + h[4][s] + h[5][s] + h[6][s] + h[7][s];
    }
  }
}

void pmc_wasm_map_count(const uint8_t *data, uint32_t n, const uint8_t table[65536], uint8_t *out,
                        uint32_t count[256], int pairs) {
  if (pairs) {
    g_pairs_dirty = 1;
    map_count(data, n, table, out, count, 1);
  } else {
    map_count(data, n, table, out, count, 0);
  }
}
