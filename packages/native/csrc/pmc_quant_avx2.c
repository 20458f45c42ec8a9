/*
 * The AVX2 body of the quantizer: the same IEEE float32 operations as pmc_quantize_one, eight
 * lanes at a time (vsqrtps is correctly rounded; never rsqrt, never FMA). Compiled with a target
 * attribute, not -mavx2, so the rest of the build runs on every x86-64 CPU; the dispatcher only
 * calls it after pmc_cpu_has_avx2(). Empty on other targets.
 */
#include <string.h>

#include "pmc_internal.h"

#if PMC_HAVE_AVX2_BODY
#include <immintrin.h>

PMC_TARGET_AVX2 static inline __m256i quant8_avx2(__m256i x32, __m256 voff, __m256 vqs) {
  const __m256 zero = _mm256_setzero_ps();
  const __m256 half = _mm256_set1_ps(0.5f);
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 maxq = _mm256_set1_ps(255.0f);
  const __m256 v = _mm256_sub_ps(_mm256_cvtepi32_ps(x32), voff);
  const __m256 neg = _mm256_cmp_ps(v, zero, _CMP_LT_OQ);
  const __m256 s = _mm256_sqrt_ps(_mm256_max_ps(v, zero));
  const __m256 r = _mm256_mul_ps(vqs, s);
  const __m256 t = _mm256_round_ps(r, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256 f = _mm256_sub_ps(r, t);
  __m256 q = _mm256_add_ps(t, _mm256_and_ps(_mm256_cmp_ps(f, half, _CMP_GE_OQ), one));
  q = _mm256_min_ps(q, maxq); /* +inf -> 255 */
  q = _mm256_andnot_ps(neg, q);
  return _mm256_cvttps_epi32(q);
}

/* 32 values -> 32 symbols at out. */
PMC_TARGET_AVX2 static inline void quant32_avx2(const uint8_t *data, __m256 voff, __m256 vqs,
                                                __m256i perm, uint8_t *out) {
  const __m256i a = _mm256_loadu_si256((const __m256i *)data);
  const __m256i b = _mm256_loadu_si256((const __m256i *)(data + 32));
  const __m256i q0 = quant8_avx2(_mm256_cvtepu16_epi32(_mm256_castsi256_si128(a)), voff, vqs);
  const __m256i q1 = quant8_avx2(_mm256_cvtepu16_epi32(_mm256_extracti128_si256(a, 1)), voff, vqs);
  const __m256i q2 = quant8_avx2(_mm256_cvtepu16_epi32(_mm256_castsi256_si128(b)), voff, vqs);
  const __m256i q3 = quant8_avx2(_mm256_cvtepu16_epi32(_mm256_extracti128_si256(b, 1)), voff, vqs);
  /* values are 0..255: pack 32->16->8, then undo the per-lane interleave */
  const __m256i p01 = _mm256_packus_epi32(q0, q1); /* lanes: q0lo q1lo | q0hi q1hi */
  const __m256i p23 = _mm256_packus_epi32(q2, q3);
  const __m256i p = _mm256_packus_epi16(p01, p23); /* q0lo q1lo q2lo q3lo | q0hi q1hi q2hi q3hi */
  _mm256_storeu_si256((__m256i *)out, _mm256_permutevar8x32_epi32(p, perm));
}

/* Quantize + histogram in one pass (huffmanCompressQuant): the square roots are bound by the
 * divider's throughput and the counting by the store ports, so counting each 32 symbols right
 * after they are made lets the CPU run both at once (measured 1.4x faster than quantizing a
 * block, then counting it). Eight sub-histograms as in pmc_histogram(); adds to count[]. */
#define COUNT_LAG 4

PMC_TARGET_AVX2 void pmc_quantize_count_avx2(const uint8_t *data, uint64_t n, float offset,
                                             float qs, uint8_t *out, uint32_t count[256]) {
  const __m256 voff = _mm256_set1_ps(offset);
  const __m256 vqs = _mm256_set1_ps(qs);
  const __m256i perm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  uint32_t h[8][256];
  memset(h, 0, sizeof h);
  uint64_t i = 0, c = 0; /* out[c .. i) made, not yet counted */
  for (; i + 32 <= n; i += 32) {
    quant32_avx2(data + 2 * i, voff, vqs, perm, out + i);
    /* Count the symbols made COUNT_LAG chunks ago: byte loads of a vector store still in the
     * store buffer cannot be forwarded and stall (counting the fresh chunk was 1.6x slower). */
    if (i < COUNT_LAG * 32) continue;
    const uint8_t *q = out + c;
    c += 32;
    pmc_count8(h, q, 4);
  }
  for (; i < n; i++) out[i] = pmc_quantize_one(pmc_load_u16(data + 2 * i), offset, qs);
  for (; c < n; c++) h[0][out[c]]++;
  pmc_fold8((const uint32_t(*)[256])h, count);
}

PMC_TARGET_AVX2 void pmc_quantize_avx2(const uint8_t *data, uint64_t n, float offset, float qs,
                                          uint8_t *out) {
  const __m256 voff = _mm256_set1_ps(offset);
  const __m256 vqs = _mm256_set1_ps(qs);
  const __m256i perm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  uint64_t i = 0;
  for (; i + 32 <= n; i += 32) quant32_avx2(data + 2 * i, voff, vqs, perm, out + i);
  for (; i < n; i++) out[i] = pmc_quantize_one(pmc_load_u16(data + 2 * i), offset, qs);
}
#endif
