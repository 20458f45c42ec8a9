/*
 * The exact float32 sqrt quantizer and PYME's dequantizer, scalar and AVX2 bodies, plus the CPU
 * dispatch.
 *
 * Per uint16 x, with offset and scale float32 and qs = (float)(1.0 / (double)scale):
 *   v = (float)x - offset; v < 0 -> 0; r = qs * sqrtf(v) (float32, correctly rounded);
 *   q = r >= 255.5 -> 255, else round half away from zero.
 * The AVX2 body computes the same IEEE operations (vsqrtps is correctly rounded, never rsqrt).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmc_internal.h"

#if PMC_HAVE_AVX2_BODY
#include <immintrin.h>
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#else
#include <cpuid.h>
#include <stdatomic.h>
#define PMC_CACHE_CPU 1
#endif
#endif

/* ------------------------------------------------------------------------------------------ */
/* CPU detection (cached in an atomic; computing it twice is harmless)                         */
/* ------------------------------------------------------------------------------------------ */

#if PMC_HAVE_AVX2_BODY
static int detect_avx2(void) {
  unsigned a, b, c, d;
#if defined(_MSC_VER) && !defined(__clang__)
  int r[4];
  __cpuid(r, 0);
  if (r[0] < 7) return 0;
  __cpuid(r, 1);
  c = (unsigned)r[2];
  const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!osxsave || !avx) return 0;
  if ((_xgetbv(0) & 6) != 6) return 0;
  __cpuidex(r, 7, 0);
  return ((unsigned)r[1] >> 5) & 1;
#else
  if (__get_cpuid_max(0, 0) < 7) return 0;
  __cpuid(1, a, b, c, d);
  const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!osxsave || !avx) return 0;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 6) != 6) return 0; /* XMM and YMM state enabled by the OS */
  __cpuid_count(7, 0, a, b, c, d);
  return (b >> 5) & 1;
#endif
}

#if defined(PMC_CACHE_CPU)
/* The only mutable global: written with the same value by whichever thread gets there first. */
static atomic_int g_avx2 = -1;
#endif
#endif

int pmc_cpu_has_avx2(void) {
#if PMC_HAVE_AVX2_BODY && !defined(PMC_CACHE_CPU)
  return detect_avx2(); /* MSVC C has no <stdatomic.h> before VS 2022 17.5: cpuid is cheap */
#elif PMC_HAVE_AVX2_BODY
  int v = atomic_load_explicit(&g_avx2, memory_order_relaxed);
  if (v < 0) {
    v = detect_avx2();
    atomic_store_explicit(&g_avx2, v, memory_order_relaxed);
  }
  return v;
#else
  return 0;
#endif
}

pmc_status pmc_resolve_dispatch(pmc_dispatch requested, pmc_dispatch *resolved) {
  switch (requested) {
    case PMC_DISPATCH_AUTO:
      *resolved = pmc_cpu_has_avx2() ? PMC_DISPATCH_AVX2 : PMC_DISPATCH_SCALAR;
      return PMC_OK;
    case PMC_DISPATCH_SCALAR:
      *resolved = PMC_DISPATCH_SCALAR;
      return PMC_OK;
    case PMC_DISPATCH_AVX2:
      if (!pmc_cpu_has_avx2()) return PMC_ERR_INVALID_ARGUMENT;
      *resolved = PMC_DISPATCH_AVX2;
      return PMC_OK;
  }
  return PMC_ERR_INVALID_ARGUMENT;
}

/* ------------------------------------------------------------------------------------------ */
/* Scalar model                                                                                */
/* ------------------------------------------------------------------------------------------ */

pmc_status pmc_quant_check_params(float offset, float scale) {
  if (!isfinite(offset)) return PMC_ERR_INVALID_ARGUMENT;
  if (!isfinite(scale) || !(scale > 0.0f)) return PMC_ERR_INVALID_ARGUMENT;
  const float qs = (float)(1.0 / (double)scale);
  if (!isfinite(qs)) return PMC_ERR_INVALID_ARGUMENT;
  return PMC_OK;
}

uint8_t pmc_quantize_one(uint16_t x, float offset, float qs) {
  const float v = (float)x - offset;
  if (!(v >= 0.0f)) return 0;
  const float r = qs * sqrtf(v);
  if (!(r < 255.5f)) return 255;
  const int i = (int)r; /* 0 <= r < 255.5: truncation */
  const float f = r - (float)i; /* exact */
  return (uint8_t)(i + (f >= 0.5f));
}

uint16_t pmc_dequantize_one(uint8_t q, float offset, float scale) {
  const float t = (float)q * scale;
  const float t2 = t * t;
  const float v = t2 + offset;
  if (!(v > 0.0f)) return 0;
  if (v >= 65535.0f) return 65535;
  return (uint16_t)v;
}

/* A table of all 65,536 results (exact by construction); NULL when out of memory. */
static uint8_t *build_lut(float offset, float qs) {
  uint8_t *lut = (uint8_t *)malloc(65536);
  if (lut) {
    for (uint32_t x = 0; x < 65536; x++) lut[x] = pmc_quantize_one((uint16_t)x, offset, qs);
  }
  return lut;
}

static void map_lut(const uint8_t *data, uint64_t n, const uint8_t *lut, uint8_t *out) {
  for (uint64_t i = 0; i < n; i++) out[i] = lut[pmc_load_u16(data + 2 * i)];
}

/* Above this many values the table is cheaper than n square roots. */
#define LUT_THRESHOLD (65536 * 2)

static void quantize_scalar(const uint8_t *data, uint64_t n, float offset, float qs,
                            uint8_t *out) {
  if (n >= LUT_THRESHOLD) {
    uint8_t *lut = build_lut(offset, qs);
    if (lut) {
      map_lut(data, n, lut, out);
      free(lut);
      return;
    }
  }
  for (uint64_t i = 0; i < n; i++) out[i] = pmc_quantize_one(pmc_load_u16(data + 2 * i), offset, qs);
}

/* ------------------------------------------------------------------------------------------ */
/* AVX2 body                                                                                   */
/* ------------------------------------------------------------------------------------------ */

#if PMC_HAVE_AVX2_BODY
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

PMC_TARGET_AVX2 static void quantize_avx2(const uint8_t *data, uint64_t n, float offset, float qs,
                                          uint8_t *out) {
  const __m256 voff = _mm256_set1_ps(offset);
  const __m256 vqs = _mm256_set1_ps(qs);
  const __m256i perm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  uint64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i a = _mm256_loadu_si256((const __m256i *)(data + 2 * i));
    const __m256i b = _mm256_loadu_si256((const __m256i *)(data + 2 * i + 32));
    const __m256i q0 = quant8_avx2(_mm256_cvtepu16_epi32(_mm256_castsi256_si128(a)), voff, vqs);
    const __m256i q1 = quant8_avx2(_mm256_cvtepu16_epi32(_mm256_extracti128_si256(a, 1)), voff, vqs);
    const __m256i q2 = quant8_avx2(_mm256_cvtepu16_epi32(_mm256_castsi256_si128(b)), voff, vqs);
    const __m256i q3 = quant8_avx2(_mm256_cvtepu16_epi32(_mm256_extracti128_si256(b, 1)), voff, vqs);
    /* values are 0..255: pack 32->16->8, then undo the per-lane interleave */
    const __m256i p01 = _mm256_packus_epi32(q0, q1); /* lanes: q0lo q1lo | q0hi q1hi */
    const __m256i p23 = _mm256_packus_epi32(q2, q3);
    const __m256i p = _mm256_packus_epi16(p01, p23); /* q0lo q1lo q2lo q3lo | q0hi q1hi q2hi q3hi */
    _mm256_storeu_si256((__m256i *)(out + i), _mm256_permutevar8x32_epi32(p, perm));
  }
  for (; i < n; i++) out[i] = pmc_quantize_one(pmc_load_u16(data + 2 * i), offset, qs);
}
#endif

pmc_status pmc_quantize(const void *data, uint64_t n, float offset, float scale, uint8_t *out,
                        pmc_dispatch dispatch) {
  pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return st;
  pmc_dispatch d;
  st = pmc_resolve_dispatch(dispatch, &d);
  if (st != PMC_OK) return st;
  if (n == 0) return PMC_OK;
  const float qs = (float)(1.0 / (double)scale);
#if PMC_HAVE_AVX2_BODY
  /* Block-wise loads would differ from element-by-element semantics when `out` overlaps `data`;
   * the scalar body is strictly sequential. */
  if (d == PMC_DISPATCH_AVX2 && !pmc_overlaps(data, 2 * n, out, n)) {
    quantize_avx2((const uint8_t *)data, n, offset, qs, out);
    return PMC_OK;
  }
#endif
  quantize_scalar((const uint8_t *)data, n, offset, qs, out);
  return PMC_OK;
}

pmc_status pmc_dequantize(const uint8_t *q, uint64_t n, float offset, float scale, void *out,
                          pmc_dispatch dispatch) {
  pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return st;
  pmc_dispatch d;
  st = pmc_resolve_dispatch(dispatch, &d);
  if (st != PMC_OK) return st;
  (void)d; /* a 256-entry table serves both bodies */
  uint16_t lut[256];
  for (int v = 0; v < 256; v++) lut[v] = pmc_dequantize_one((uint8_t)v, offset, scale);
  uint8_t *o = (uint8_t *)out;
  for (uint64_t i = 0; i < n; i++) pmc_store_u16(o + 2 * i, lut[q[i]]);
  return PMC_OK;
}

pmc_status pmc_quantize_plan(const void *data, uint64_t n, float offset, float scale,
                             pmc_dispatch dispatch, uint8_t **symbols, pmc_huff_plan *plan) {
  *symbols = NULL;
  if (n >= ((uint64_t)1 << 32)) return PMC_ERR_INPUT_TOO_LARGE;
  pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return st;
  uint8_t *sym = NULL;
  if (n > 0) {
    sym = (uint8_t *)malloc((size_t)n);
    if (!sym) return PMC_ERR_NO_MEMORY;
  }
  uint32_t count[256];
  memset(count, 0, sizeof count);
  pmc_dispatch d;
  st = pmc_resolve_dispatch(dispatch, &d);
  if (st != PMC_OK) {
    free(sym);
    return st;
  }
  const float qs = (float)(1.0 / (double)scale);
  /* The scalar body maps large inputs through one table built up front. */
  uint8_t *lut = (d == PMC_DISPATCH_SCALAR && n >= LUT_THRESHOLD) ? build_lut(offset, qs) : NULL;
  /* Quantize in L1/L2-sized blocks and histogram each block while it is hot. */
  const uint64_t block = 32768;
  for (uint64_t i = 0; i < n; i += block) {
    const uint64_t m = n - i < block ? n - i : block;
    const uint8_t *src = (const uint8_t *)data + 2 * i;
    if (lut) {
      map_lut(src, m, lut, sym + i);
    } else {
      st = pmc_quantize(src, m, offset, scale, sym + i, d);
      if (st != PMC_OK) {
        free(sym);
        return st;
      }
    }
    pmc_histogram(sym + i, m, count);
  }
  free(lut);
  st = pmc_huffman_plan_from_histogram(count, n, plan);
  if (st != PMC_OK) {
    free(sym);
    return st;
  }
  *symbols = sym;
  return PMC_OK;
}

pmc_status pmc_huffman_compress_quant(const void *data, uint64_t n, float offset, float scale,
                                      pmc_dispatch dispatch, uint8_t **out, uint64_t *out_len) {
  *out = NULL;
  *out_len = 0;
  pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
  if (!plan) return PMC_ERR_NO_MEMORY;
  uint8_t *sym = NULL;
  pmc_status st = pmc_quantize_plan(data, n, offset, scale, dispatch, &sym, plan);
  if (st == PMC_OK && plan->out_bytes > 0) {
    uint8_t *buf = (uint8_t *)malloc((size_t)plan->out_bytes);
    if (!buf) {
      st = PMC_ERR_NO_MEMORY;
    } else {
      st = pmc_huffman_encode(sym, n, plan, buf, plan->out_bytes);
      if (st == PMC_OK) {
        *out = buf;
        *out_len = plan->out_bytes;
      } else {
        free(buf);
      }
    }
  }
  free(sym);
  free(plan);
  return st;
}
