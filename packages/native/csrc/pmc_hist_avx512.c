/*
 * The AVX-512 body of the frequent-symbol histogram (pmc_histogram.c chooses the symbols and
 * when to use it; pmc_internal.h states the contract). Compiled with a target attribute, so the
 * rest of the build runs on every x86-64 CPU; only called after pmc_cpu_has_avx512_vbmi2().
 * Empty on other targets.
 *
 * Why: the byte histogram does a load, an add and a store per byte, and a quantized frame's
 * runs of a few symbols chain those through store-to-load forwarding even across eight
 * sub-tables (~0.8-1.1 cycles per byte on the corpus tiles). Here each 64-byte block costs one
 * compare per frequent symbol into a mask and one masked add of 1 into that symbol's byte
 * counters (64 lanes, emptied every chunk: at most PMC_HIST_CHUNK / 64 = 64 per lane, no
 * overflow), and the block's other bytes are packed with one vpcompressb (register form: the
 * memory form is microcoded on some CPUs) into a buffer that the byte loop counts once per
 * chunk. Branch-free per block: the number of other bytes varies from block to block, which a
 * loop over their mask bits would mispredict (an AVX2 form with such a loop measured up to 2x
 * slower than the byte loop at 4% of other bytes, so AVX2 CPUs keep the byte loop).
 */
#include <string.h>

#include "pmc_internal.h"

#if PMC_HAVE_AVX512_BODY
#include <immintrin.h>

#define BLOCK 64
#define CHUNK_BLOCKS (PMC_HIST_CHUNK / BLOCK)
_Static_assert(CHUNK_BLOCKS <= 255, "a chunk's byte counters must not overflow");
_Static_assert(PMC_HIST_CHUNK % BLOCK == 0, "whole blocks per chunk");

/* Counts buf[0 .. len) into the eight sub-histograms h. */
PMC_INLINE void count_buffer(uint32_t h[8][256], const uint8_t *buf, uint64_t len) {
  uint64_t k = 0;
  for (; k + 8 <= len; k += 8) pmc_count8(h, buf + k, 1);
  for (; k < len; k++) h[k & 7][buf[k]]++;
}

PMC_TARGET_AVX512_VBMI2 uint64_t pmc_hist_frequent_avx512(const uint8_t *in, uint64_t n,
                                                          const uint8_t top[PMC_HIST_TOP],
                                                          uint32_t count[256], uint32_t *odd) {
  /* Other bytes: at even positions into h_even, at odd ones into h_odd (kept apart only for
   * odd[]; without it all go to h_even). */
  uint32_t h_even[8][256], h_odd[8][256];
  memset(h_even, 0, sizeof h_even);
  if (odd) memset(h_odd, 0, sizeof h_odd);
  /* A compress stores a whole vector at the buffer's end: one block of slack. */
  uint8_t rest_even[PMC_HIST_CHUNK + BLOCK], rest_odd[PMC_HIST_CHUNK + BLOCK];
  __m512i sym[PMC_HIST_TOP];
  for (int j = 0; j < PMC_HIST_TOP; j++) sym[j] = _mm512_set1_epi8((char)top[j]);
  const __m512i one = _mm512_set1_epi8(1), zero = _mm512_setzero_si512();
  const __m512i odd_lanes = _mm512_set1_epi16((short)0xff00); /* little-endian: byte 2k + 1 */
  const __mmask64 even_mask = 0x5555555555555555ull;
  uint64_t top_total[PMC_HIST_TOP] = {0}, top_odd[PMC_HIST_TOP] = {0};
  uint64_t i = 0;
  while (i + BLOCK <= n) {
    uint64_t blocks = (n - i) / BLOCK;
    if (blocks > CHUNK_BLOCKS) blocks = CHUNK_BLOCKS;
    __m512i acc[PMC_HIST_TOP];
    for (int j = 0; j < PMC_HIST_TOP; j++) acc[j] = zero;
    uint64_t ne = 0, no = 0;
    for (uint64_t b = 0; b < blocks; b++, i += BLOCK) {
      const __m512i x = _mm512_loadu_si512((const void *)(in + i));
      __mmask64 seen = 0;
      for (int j = 0; j < PMC_HIST_TOP; j++) {
        const __mmask64 m = _mm512_cmpeq_epi8_mask(x, sym[j]);
        acc[j] = _mm512_mask_add_epi8(acc[j], m, acc[j], one);
        seen |= m;
      }
      const __mmask64 rest = ~seen;
      if (odd) {
        const __mmask64 re = rest & even_mask, ro = rest & ~even_mask;
        _mm512_storeu_si512((void *)(rest_even + ne), _mm512_maskz_compress_epi8(re, x));
        _mm512_storeu_si512((void *)(rest_odd + no), _mm512_maskz_compress_epi8(ro, x));
        ne += (uint64_t)__builtin_popcountll(re);
        no += (uint64_t)__builtin_popcountll(ro);
      } else {
        _mm512_storeu_si512((void *)(rest_even + ne), _mm512_maskz_compress_epi8(rest, x));
        ne += (uint64_t)__builtin_popcountll(rest);
      }
    }
    for (int j = 0; j < PMC_HIST_TOP; j++) {
      top_total[j] += (uint64_t)_mm512_reduce_add_epi64(_mm512_sad_epu8(acc[j], zero));
      if (odd) {
        const __m512i at_odd = _mm512_and_si512(acc[j], odd_lanes);
        top_odd[j] += (uint64_t)_mm512_reduce_add_epi64(_mm512_sad_epu8(at_odd, zero));
      }
    }
    count_buffer(h_even, rest_even, ne);
    if (odd) count_buffer(h_odd, rest_odd, no);
    if ((ne + no) * 1000 > blocks * BLOCK * PMC_HIST_REST_MAX_PERMILLE) break;
  }
  pmc_fold8((const uint32_t(*)[256])h_even, count);
  if (odd) {
    uint32_t at_odd[256];
    memset(at_odd, 0, sizeof at_odd);
    pmc_fold8((const uint32_t(*)[256])h_odd, at_odd);
    for (int s = 0; s < 256; s++) {
      count[s] += at_odd[s];
      odd[s] += at_odd[s];
    }
  }
  for (int j = 0; j < PMC_HIST_TOP; j++) {
    count[top[j]] += (uint32_t)top_total[j];
    if (odd) odd[top[j]] += (uint32_t)top_odd[j];
  }
  return i;
}
#endif
