/*
 * Byte histograms for the encoder's plan in the wasm build, counted two bytes at a time.
 *
 * Why: a count is a load, an add and a store, and wasm spends an address computation on each;
 * counting the pair of bytes read as one little-endian uint16 into a table of 65,536 counters
 * halves them. Folding the pair table into the 256 byte counts (each pair counts once for its
 * low and once for its high byte) and clearing it cost ~0.05 ms, so pairs are counted only
 * for inputs of PMC_WASM_PAIR_COUNT_MIN bytes or more (measured on the 2048x2048 corpus frames in
 * Node: 1.4 vs 1.9 ms for 4 Mi quantized symbols, 2.4 vs 3.8 ms for 8 MiB of raw pixels).
 * Two pair tables alternate so that runs of one pair do not serialise on one counter.
 * The counts are the core's (pmc_histogram), only the order of the additions differs.
 */
#include <stdint.h>

#include "pmc_internal.h"
#include "pmc_wasm.h"

static uint32_t g_pairs[2][65536];
/* Set while the tables hold counts not yet folded (a call that stopped between its blocks). */
static int g_pairs_dirty;

void pmc_wasm_pairs_discard(void) {
  if (g_pairs_dirty) __builtin_memset(g_pairs, 0, sizeof g_pairs);
  g_pairs_dirty = 0;
}

__attribute__((noinline)) void pmc_wasm_pairs_count(const uint8_t *in, uint32_t n, uint32_t count[256]) {
  g_pairs_dirty = 1;
  uint32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint8_t *p = in + i;
    g_pairs[0][pmc_load_u16(p)]++;
    g_pairs[1][pmc_load_u16(p + 2)]++;
    g_pairs[0][pmc_load_u16(p + 4)]++;
    g_pairs[1][pmc_load_u16(p + 6)]++;
  }
  for (; i < n; i++) count[in[i]]++;
}

__attribute__((noinline)) void pmc_wasm_pairs_fold(uint32_t count[256]) {
  /* Row h holds the pairs with high byte h: its 256 counters add to count[lo], its sum to
   * count[h] (the rows vectorise). */
  for (uint32_t h = 0; h < 256; h++) {
    const uint32_t *r0 = g_pairs[0] + 256 * h, *r1 = g_pairs[1] + 256 * h;
    uint32_t sum = 0;
    for (uint32_t lo = 0; lo < 256; lo++) {
      const uint32_t c = r0[lo] + r1[lo];
      count[lo] += c;
      sum += c;
    }
    count[h] += sum;
  }
  __builtin_memset(g_pairs, 0, sizeof g_pairs);
  g_pairs_dirty = 0;
}

void pmc_wasm_histogram(const uint8_t *in, uint32_t n, uint32_t count[256]) {
  if (n >= PMC_WASM_PAIR_COUNT_MIN) {
    pmc_wasm_pairs_discard();
    pmc_wasm_pairs_count(in, n, count);
    pmc_wasm_pairs_fold(count);
  } else {
    pmc_histogram(in, n, count);
  }
}

/* out[i] = table[data[i]] for uint16 data, 8 at a time (one 8-byte store), counted as above:
 * into the pair tables (pairs) or eight byte sub-histograms added to count (no pairs). */
PMC_INLINE void map_count(const uint8_t *data, uint32_t n, const uint8_t *table, uint8_t *out,
                          uint32_t count[256], const int pairs) {
  uint32_t h[8][256];
  if (!pairs) __builtin_memset(h, 0, sizeof h);
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
      g_pairs[0][w0]++;
      g_pairs[1][w1]++;
      g_pairs[0][w2]++;
      g_pairs[1][w3]++;
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
