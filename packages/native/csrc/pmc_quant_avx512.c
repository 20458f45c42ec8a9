/*
 * The AVX-512 body of the quantizer (docs/FORMAT.md §2), exact without a square root per pixel.
 * Compiled with a target attribute, so the rest of the build runs on every x86-64 CPU; the
 * dispatcher only calls it after pmc_cpu_has_avx512(). Empty on other targets.
 *
 * The exact result is q = round-half-away(r), r = qs * sqrtf(v), v = (float)x - offset (v <= 0
 * gives 0, r >= 255.5 gives 255); it only depends on which side of each k + 1/2 r lies. vsqrtps
 * costs ~0.75 cycles per value (the divider), so the body computes t ~ r + 1/2 + MARGIN from
 * vrsqrt14ps and one Newton step (measured 1.5x faster), takes q = floor(t), and recomputes a
 * block of 64 values with the exact vsqrtps formula whenever some t has frac(t) < 2 MARGIN.
 * Why MARGIN = 2^-12 is safe:
 *  - y = rsqrt14(v) = (1 + e0) / sqrt(v), |e0| < 2^-14 (architectural bound, every AVX-512 CPU).
 *  - g = fl(v y), h = y / 2 (exact), e1 = fl(3/2 - g h) (FMA), gq = fl(g qs),
 *    t = fl(gq e1 + 1/2 + MARGIN) (FMA). To first order gq e1 = qs sqrt(v) (1 + d1 / 2 + d2 + d3
 *    - 3 e0^2 / 2), |d1|, |d2| <= 2^-24 the roundings of g and gq, |d3| <= 2^-24 that of e1
 *    (e1 ~ 1), 3 e0^2 / 2 < 1.5 * 2^-28: |gq e1 / (qs sqrt(v)) - 1| < 2^-22.6.
 *  - The exact r = fl(qs fl(sqrt(v))) is within 2^-23 (two roundings) of qs sqrt(v).
 *  - A boundary k + 1/2 <= 255.5 only matters while qs sqrt(v) <= 257: there
 *    |gq e1 - r| < 257 * (2^-22.6 + 2^-23) < 2^-13.7, and t's rounding (t < 512) adds <= 2^-16.
 *    So |t - (r + 1/2 + MARGIN)| < 2^-13.4 < MARGIN / 2, and frac(t) >= 2 MARGIN implies
 *    floor(t) = floor(r + 1/2). Above, t > 256.9 and r > 256.9: both give 255.
 *  - Overflow: t is clamped to 1024.5 (min(inf or NaN, c) = c), i.e. q = 255, which r >= 255.5
 *    agrees with by the relative bound. The int32 results are saturated to 255 when packed.
 * For v <= 0 the rsqrt is masked to 0, so t = 1/2 + MARGIN and q = 0. Subnormal v (only when
 * -1e-30 < offset < 0) would depend on MXCSR.DAZ, so such offsets take the AVX2 body.
 * Tested against the scalar model over all 65,536 inputs for a set of (offset, scale).
 */
#include <string.h>

#include "pmc_internal.h"

#if PMC_HAVE_AVX512_BODY
#include <immintrin.h>

#define MARGIN (1.0f / 4096.0f)

/* The exact formula of pmc_quantize_one, 16 lanes (vsqrtps is correctly rounded; no FMA). */
PMC_TARGET_AVX512 static inline __m512i exact16(__m512i x32, __m512 voff, __m512 vqs) {
  const __m512 zero = _mm512_setzero_ps();
  const __m512 v = _mm512_sub_ps(_mm512_cvtepi32_ps(x32), voff);
  const __mmask16 pos = _mm512_cmp_ps_mask(v, zero, _CMP_GT_OQ);
  const __m512 r = _mm512_mul_ps(vqs, _mm512_maskz_sqrt_ps(pos, v));
  const __m512 t = _mm512_roundscale_ps(r, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __mmask16 up = _mm512_cmp_ps_mask(_mm512_sub_ps(r, t), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
  const __m512 q = _mm512_mask_add_ps(t, up, t, _mm512_set1_ps(1.0f));
  return _mm512_cvttps_epi32(_mm512_min_ps(q, _mm512_set1_ps(255.0f))); /* +inf -> 255 */
}

/* floor(t) as int32 (<= 1024); clears in *safe the lanes whose frac(t) < 2 MARGIN. */
PMC_TARGET_AVX512 static inline __m512i approx16(__m512i x32, __m512 voff, __m512 vqs,
                                                 __mmask16 *safe) {
  const __m512 v = _mm512_sub_ps(_mm512_cvtepi32_ps(x32), voff);
  const __mmask16 pos = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_GT_OQ);
  const __m512 y = _mm512_maskz_rsqrt14_ps(pos, v);
  const __m512 g = _mm512_mul_ps(v, y);
  const __m512 h = _mm512_mul_ps(y, _mm512_set1_ps(0.5f));
  const __m512 e1 = _mm512_fnmadd_ps(g, h, _mm512_set1_ps(1.5f));
  const __m512 gq = _mm512_mul_ps(g, vqs);
  const __m512 t = _mm512_min_ps(_mm512_fmadd_ps(gq, e1, _mm512_set1_ps(0.5f + MARGIN)),
                                 _mm512_set1_ps(1024.5f));
  const __m512 f = _mm512_reduce_ps(t, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  *safe = _mm512_mask_cmp_ps_mask(*safe, f, _mm512_set1_ps(2.0f * MARGIN), _CMP_GE_OQ);
  return _mm512_cvttps_epi32(t);
}

/* Four int32 vectors of 0..1024 -> 64 bytes saturated to 255, in order. */
PMC_TARGET_AVX512 static inline void store64(uint8_t *out, __m512i q0, __m512i q1, __m512i q2,
                                             __m512i q3) {
  const __m512i perm = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  const __m512i p = _mm512_packus_epi16(_mm512_packus_epi32(q0, q1), _mm512_packus_epi32(q2, q3));
  _mm512_storeu_si512((void *)out, _mm512_permutexvar_epi32(perm, p));
}

#define WIDEN(d, k) _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)((d) + 32 * (k))))

/* 64 values -> 64 symbols at out. */
PMC_TARGET_AVX512 static inline void quant64(const uint8_t *data, __m512 voff, __m512 vqs,
                                             uint8_t *out) {
  __mmask16 safe = 0xffff;
  const __m512i q0 = approx16(WIDEN(data, 0), voff, vqs, &safe);
  const __m512i q1 = approx16(WIDEN(data, 1), voff, vqs, &safe);
  const __m512i q2 = approx16(WIDEN(data, 2), voff, vqs, &safe);
  const __m512i q3 = approx16(WIDEN(data, 3), voff, vqs, &safe);
  if (PMC_LIKELY(safe == 0xffff)) {
    store64(out, q0, q1, q2, q3);
  } else {
    store64(out, exact16(WIDEN(data, 0), voff, vqs), exact16(WIDEN(data, 1), voff, vqs),
            exact16(WIDEN(data, 2), voff, vqs), exact16(WIDEN(data, 3), voff, vqs));
  }
}

/* The approximation's proof needs normal v > 0; see the header comment. */
static int approx_ok(float offset) { return !(offset < 0.0f && offset > -1e-30f); }

/* Quantize + histogram in one pass, as pmc_quantize_count_avx2 (symbols counted COUNT_LAG
 * blocks after they are stored, eight sub-histograms); adds to count[]. */
#define COUNT_LAG 2

PMC_TARGET_AVX512 void pmc_quantize_count_avx512(const uint8_t *data, uint64_t n, float offset,
                                                 float qs, uint8_t *out, uint32_t count[256]) {
  if (!approx_ok(offset)) {
    pmc_quantize_count_avx2(data, n, offset, qs, out, count);
    return;
  }
  const __m512 voff = _mm512_set1_ps(offset);
  const __m512 vqs = _mm512_set1_ps(qs);
  uint32_t h[8][256];
  memset(h, 0, sizeof h);
  uint64_t i = 0, c = 0; /* out[c .. i) made, not yet counted */
  for (; i + 64 <= n; i += 64) {
    quant64(data + 2 * i, voff, vqs, out + i);
    if (i < COUNT_LAG * 64) continue;
    const uint8_t *q = out + c;
    c += 64;
    pmc_count8(h, q, 8);
  }
  for (; i < n; i++) out[i] = pmc_quantize_one(pmc_load_u16(data + 2 * i), offset, qs);
  for (; c < n; c++) h[0][out[c]]++;
  pmc_fold8((const uint32_t(*)[256])h, count);
}

PMC_TARGET_AVX512 void pmc_quantize_avx512(const uint8_t *data, uint64_t n, float offset,
                                           float qs, uint8_t *out) {
  if (!approx_ok(offset)) {
    pmc_quantize_avx2(data, n, offset, qs, out);
    return;
  }
  const __m512 voff = _mm512_set1_ps(offset);
  const __m512 vqs = _mm512_set1_ps(qs);
  uint64_t i = 0;
  for (; i + 64 <= n; i += 64) quant64(data + 2 * i, voff, vqs, out + i);
  for (; i < n; i++) out[i] = pmc_quantize_one(pmc_load_u16(data + 2 * i), offset, qs);
}
#endif
