/*
 * The exact float32 sqrt quantizer and PYME's dequantizer (docs/FORMAT.md §2): the scalar
 * model, the public entry points (parameters checked and dispatch resolved once per call, then
 * passed down to the bodies), and the fused quantize + histogram pass of huffmanCompressQuant.
 * The AVX2 body is in pmc_quant_avx2.c, the AVX-512 one in pmc_quant_avx512.c, CPU detection in
 * pmc_cpu.c.
 *
 * Per uint16 x, with offset and scale float32 and qs = (float)(1.0 / (double)scale):
 *   v = (float)x - offset; v < 0 -> 0; r = qs * sqrtf(v) (float32, correctly rounded);
 *   q = r >= 255.5 -> 255, else round half away from zero.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmc_internal.h"

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

void pmc_quantize_scalar(const uint8_t *data, uint64_t n, float offset, float qs, uint8_t *out) {
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

void pmc_quantize_resolved(pmc_dispatch resolved, const uint8_t *data, uint64_t n, float offset,
                           float qs, uint8_t *out) {
#if PMC_HAVE_AVX2_BODY
  /* Block-wise loads would differ from element-by-element semantics when `out` overlaps `data`;
   * the scalar body is strictly sequential. */
  if (resolved != PMC_DISPATCH_SCALAR && !pmc_overlaps(data, 2 * n, out, n)) {
#if PMC_HAVE_AVX512_BODY
    if (resolved == PMC_DISPATCH_AVX512) {
      pmc_quantize_avx512(data, n, offset, qs, out);
      return;
    }
#endif
    pmc_quantize_avx2(data, n, offset, qs, out);
    return;
  }
#else
  (void)resolved;
#endif
  pmc_quantize_scalar(data, n, offset, qs, out);
}

/* The entry points' common first steps: parameters checked, then the dispatch resolved once. */
static pmc_status check_and_resolve(float offset, float scale, pmc_dispatch requested,
                                    pmc_dispatch *resolved) {
  const pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return st;
  return pmc_resolve_dispatch(requested, resolved);
}

pmc_status pmc_quantize(const void *data, uint64_t n, float offset, float scale, uint8_t *out,
                        pmc_dispatch dispatch) {
  pmc_dispatch d;
  const pmc_status st = check_and_resolve(offset, scale, dispatch, &d);
  if (st != PMC_OK) return st;
  if (n == 0) return PMC_OK;
  pmc_quantize_resolved(d, (const uint8_t *)data, n, offset, (float)(1.0 / (double)scale), out);
  return PMC_OK;
}

pmc_status pmc_dequantize(const uint8_t *q, uint64_t n, float offset, float scale, void *out,
                          pmc_dispatch dispatch) {
  pmc_dispatch d;
  const pmc_status st = check_and_resolve(offset, scale, dispatch, &d);
  if (st != PMC_OK) return st;
  /* A 256-entry table serves both bodies. Strictly sequential, so `out` may overlap `q`. */
  uint16_t lut[256];
  for (int v = 0; v < 256; v++) lut[v] = pmc_dequantize_one((uint8_t)v, offset, scale);
  uint8_t *o = (uint8_t *)out;
  for (uint64_t i = 0; i < n; i++) pmc_store_u16(o + 2 * i, lut[q[i]]);
  return PMC_OK;
}

/* Symbols quantized per block of the fused pass: the block's 16 KiB of input and 8 KiB of
 * symbols stay in L1 while the histogram counts them. */
#define FUSED_BLOCK 8192

#if PMC_HAVE_AVX512_BODY
/* Quantize + count on AVX-512 CPUs with VBMI2, for frames whose symbols are mostly a few
 * (pmc_histogram.c, chosen from a sample quantized apart): each block quantized by the AVX-512
 * body, then counted by the frequent-symbol histogram while it is in L1 (the whole quantize +
 * encode measured 1.26-1.29x faster than with the fused body's byte counting on the dim, sparse
 * and tile frames, 1.09x on the bright one). Returns the values
 * done: 0 when the sample's symbols are too spread, fewer than n when a block had too many
 * other symbols (the caller goes on with the fused body). */
static uint64_t quantize_count_frequent(const uint8_t *data, uint64_t n, float offset, float qs,
                                        uint8_t *out, uint32_t count[256]) {
  if (n < PMC_HIST_FREQUENT_MIN_N || !pmc_cpu_has_avx512_vbmi2()) return 0;
  uint8_t sample[PMC_HIST_SAMPLE_RUNS * PMC_HIST_SAMPLE_RUN], top[PMC_HIST_TOP];
  for (int r = 0; r < PMC_HIST_SAMPLE_RUNS; r++) {
    const uint8_t *src = data + 2 * pmc_hist_sample_start(n, r);
    uint8_t *dst = sample + r * PMC_HIST_SAMPLE_RUN;
    for (int k = 0; k < PMC_HIST_SAMPLE_RUN; k++) {
      dst[k] = pmc_quantize_one(pmc_load_u16(src + 2 * k), offset, qs);
    }
  }
  if (!pmc_hist_frequent_symbols(sample, sizeof sample, top)) return 0;
  uint64_t i = 0;
  while (i < n) {
    const uint64_t m = n - i < FUSED_BLOCK ? n - i : FUSED_BLOCK;
    pmc_quantize_avx512(data + 2 * i, m, offset, qs, out + i);
    const uint64_t done = pmc_hist_frequent_avx512(out + i, m, top, count, NULL);
    /* the block's last m % 64 symbols, or all after a stop */
    pmc_histogram(out + i + done, m - done, count);
    i += m;
    if (done < m - m % 64) break;
  }
  return i;
}
#endif

pmc_status pmc_quantize_into_plan(const void *data, uint64_t n, float offset, float scale,
                                  pmc_dispatch dispatch, uint8_t *symbols, pmc_huff_plan *plan) {
  if (pmc_too_large(n)) return PMC_ERR_INPUT_TOO_LARGE;
  pmc_dispatch d;
  const pmc_status st = check_and_resolve(offset, scale, dispatch, &d);
  if (st != PMC_OK) return st;
  if (n > 0 && pmc_overlaps(data, 2 * n, symbols, n)) return PMC_ERR_INVALID_ARGUMENT;
  const float qs = (float)(1.0 / (double)scale);
  uint32_t count[256];
  memset(count, 0, sizeof count);
  /* The scalar body maps large inputs through one table built up front (falls back to the
   * per-value model when that allocation fails). */
#if PMC_HAVE_AVX512_BODY
  if (d == PMC_DISPATCH_AVX512) {
    const uint8_t *src = (const uint8_t *)data;
    const uint64_t done = quantize_count_frequent(src, n, offset, qs, symbols, count);
    if (n > done) {
      pmc_quantize_count_avx512(src + 2 * done, n - done, offset, qs, symbols + done, count);
    }
    return pmc_huffman_plan_from_histogram(count, n, plan);
  }
#endif
#if PMC_HAVE_AVX2_BODY
  if (d == PMC_DISPATCH_AVX2) {
    if (n > 0) pmc_quantize_count_avx2((const uint8_t *)data, n, offset, qs, symbols, count);
    return pmc_huffman_plan_from_histogram(count, n, plan);
  }
#endif
  uint8_t *lut = (d == PMC_DISPATCH_SCALAR && n >= LUT_THRESHOLD) ? build_lut(offset, qs) : NULL;
  for (uint64_t i = 0; i < n; i += FUSED_BLOCK) {
    const uint64_t m = n - i < FUSED_BLOCK ? n - i : FUSED_BLOCK;
    const uint8_t *src = (const uint8_t *)data + 2 * i;
    if (lut) {
      map_lut(src, m, lut, symbols + i);
    } else {
      pmc_quantize_resolved(d, src, m, offset, qs, symbols + i);
    }
    pmc_histogram(symbols + i, m, count);
  }
  free(lut);
  return pmc_huffman_plan_from_histogram(count, n, plan);
}

pmc_status pmc_quantize_plan(const void *data, uint64_t n, float offset, float scale,
                             pmc_dispatch dispatch, uint8_t **symbols, pmc_huff_plan *plan) {
  *symbols = NULL;
  if (pmc_too_large(n)) return PMC_ERR_INPUT_TOO_LARGE;
  pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return st;
  uint8_t *sym = NULL;
  if (n > 0) {
    sym = (uint8_t *)malloc((size_t)n);
    if (!sym) return PMC_ERR_NO_MEMORY;
  }
  st = pmc_quantize_into_plan(data, n, offset, scale, dispatch, sym, plan);
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
