/*
 * The entry points the JavaScript loader (src/instance.ts) calls: thin wrappers of the C core's
 * public API (packages/native/csrc/pymecompress.h) with 32-bit arguments, so no BigInt crosses
 * the boundary. The core itself knows nothing of wasm. Every function returns a pmc_status; the
 * result buffers of compress calls are left in g_result (the loader copies them out and frees
 * them with pmc_wasm_free).
 */
#include <stdint.h>
#include <stdlib.h>

#include "pmc_internal.h"
#include "pmc_wasm.h"
#include "pymecompress.h"

#ifdef __wasm_simd128__
/* packages/native/csrc/pmc_quant_simd128.c */
void pmc_quantize_simd128(const uint8_t *data, uint64_t n, float offset, float qs, uint8_t *out);
#endif

#define EXPORT(name) __attribute__((export_name(name)))

static uint8_t *g_result;
static uint32_t g_result_len;

EXPORT("pmc_wasm_malloc") void *wasm_malloc(uint32_t n) { return malloc(n); }
EXPORT("pmc_wasm_free") void wasm_free(void *p) { free(p); }
EXPORT("pmc_wasm_result_ptr") uint8_t *wasm_result_ptr(void) { return g_result; }
EXPORT("pmc_wasm_result_len") uint32_t wasm_result_len(void) { return g_result_len; }
EXPORT("pmc_wasm_simd") int wasm_simd(void) {
#ifdef __wasm_simd128__
  return 1;
#else
  return 0;
#endif
}

/* A byte limit for the heap (0 = the 4 GiB address space). */
EXPORT("pmc_wasm_set_heap_limit") void wasm_set_heap_limit(double bytes) {
  pmc_wasm_set_heap_limit(bytes <= 0 ? 0 : (uint64_t)bytes);
}
EXPORT("pmc_wasm_memory_bytes") double wasm_memory_bytes(void) {
  return (double)pmc_wasm_memory_bytes();
}
EXPORT("pmc_wasm_heap_free_bytes") double wasm_heap_free_bytes(void) {
  return (double)pmc_wasm_heap_free_bytes();
}
EXPORT("pmc_wasm_heap_top") double wasm_heap_top(void) { return (double)pmc_wasm_heap_top(); }

static void clear_result(void) {
  g_result = NULL;
  g_result_len = 0;
}

static pmc_status encode_planned(const uint8_t *in, uint32_t n, pmc_huff_plan *plan) {
  uint8_t *out = (uint8_t *)malloc((size_t)plan->out_bytes);
  if (!out) return PMC_ERR_NO_MEMORY;
  const pmc_status st = pmc_wasm_encode(in, n, plan, out);
  if (st != PMC_OK) {
    free(out);
    return st;
  }
  g_result = out;
  g_result_len = (uint32_t)plan->out_bytes;
  return PMC_OK;
}

/* Plan (from `count` when the caller counted already, else counted here), then the stream
 * into a buffer of its exact size, left as the call's result. */
int pmc_wasm_compress(const uint8_t *in, uint32_t n, const uint32_t *count) {
  clear_result();
  if (n == 0) return PMC_OK;
  uint32_t own[256];
  if (!count) {
    for (int s = 0; s < 256; s++) own[s] = 0;
    pmc_histogram(in, n, own);
    count = own;
  }
  pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
  if (!plan) return PMC_ERR_NO_MEMORY;
  pmc_status st = pmc_huffman_plan_from_histogram(count, n, plan);
  if (st == PMC_OK) st = encode_planned(in, n, plan);
  free(plan);
  return st;
}

EXPORT("pmc_wasm_huffman_compress") int wasm_huffman_compress(const uint8_t *in, uint32_t n) {
  return pmc_wasm_compress(in, n, NULL);
}

EXPORT("pmc_wasm_check_output_size")
int wasm_check_output_size(uint32_t stream_len, uint32_t out_size) {
  return pmc_huffman_check_output_size(stream_len, out_size);
}

EXPORT("pmc_wasm_huffman_decompress")
int wasm_huffman_decompress(const uint8_t *stream, uint32_t len, uint8_t *out, uint32_t out_size) {
  return pmc_huffman_decompress(stream, len, out, out_size);
}

/* Inputs of TABLE_THRESHOLD values or more go through a table of all 65,536 results, made by the
 * build's body (SIMD or the core's scalar model, so exact by construction) and kept for the next
 * call with the same (offset, scale): a run of tiles or chunks with one set of parameters pays
 * for the 65,536 square roots once. The table holds results of the model only, nothing of a
 * caller's data. */
#define TABLE_THRESHOLD 4096
static uint8_t g_table[65536];
static uint16_t g_all[65536];
static float g_table_offset, g_table_qs;
static int g_table_valid;

/* The table for (offset, qs), made if the last one was for other parameters. */
static const uint8_t *table_for(float offset, float qs) {
  /* bitwise comparison: -0.0 and 0.0 are different offsets to the model only by sign, but
   * the table is rebuilt rather than reasoned about */
  if (!g_table_valid || __builtin_memcmp(&g_table_offset, &offset, 4) != 0 ||
      __builtin_memcmp(&g_table_qs, &qs, 4) != 0) {
    if (!g_all[65535]) {
      for (uint32_t x = 0; x < 65536; x++) g_all[x] = (uint16_t)x;
    }
#ifdef __wasm_simd128__
    pmc_quantize_simd128((const uint8_t *)g_all, 65536, offset, qs, g_table);
#else
    pmc_quantize_scalar((const uint8_t *)g_all, 65536, offset, qs, g_table);
#endif
    g_table_offset = offset;
    g_table_qs = qs;
    g_table_valid = 1;
  }
  return g_table;
}

#ifdef __wasm_simd128__
static void quantize_simd_or_table(const uint8_t *data, uint64_t n, float offset, float qs,
                                   uint8_t *out) {
  if (n < TABLE_THRESHOLD) {
    pmc_quantize_simd128(data, n, offset, qs, out);
    return;
  }
  const uint8_t *table = table_for(offset, qs);
  for (uint64_t i = 0; i < n; i++) out[i] = table[pmc_load_u16(data + 2 * i)];
}
#endif

/* The SIMD build quantizes with the core's wasm SIMD body (pmc_quant_simd128.c), the baseline
 * build with the core's portable body (dispatch AUTO resolves to it on wasm32). In place
 * (overlapping `out`) always takes the portable, strictly sequential body. */
EXPORT("pmc_wasm_quantize")
int wasm_quantize(const uint16_t *data, uint32_t n, float offset, float scale, uint8_t *out) {
#ifdef __wasm_simd128__
  const pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return st;
  if (!pmc_overlaps(data, 2 * (uint64_t)n, out, n)) {
    quantize_simd_or_table((const uint8_t *)data, n, offset, (float)(1.0 / (double)scale), out);
    return PMC_OK;
  }
#endif
  return pmc_quantize(data, n, offset, scale, out, PMC_DISPATCH_AUTO);
}

int pmc_wasm_quantize_count(const uint16_t *data, uint32_t n, float offset, float scale,
                            uint8_t *out, uint32_t count[256], int pairs) {
  const pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return st;
  const float qs = (float)(1.0 / (double)scale);
  if (n >= TABLE_THRESHOLD) {
    /* mapped and counted in one pass, while each 8 symbols are in registers */
    pmc_wasm_map_count((const uint8_t *)data, n, table_for(offset, qs), out, count, pairs);
    return PMC_OK;
  }
#ifdef __wasm_simd128__
  pmc_quantize_simd128((const uint8_t *)data, n, offset, qs, out);
#else
  pmc_quantize_scalar((const uint8_t *)data, n, offset, qs, out);
#endif
  if (pairs) {
    pmc_wasm_pairs_count(out, n, count);
  } else {
    pmc_histogram(out, n, count);
  }
  return PMC_OK;
}

EXPORT("pmc_wasm_dequantize")
int wasm_dequantize(const uint8_t *q, uint32_t n, float offset, float scale, uint16_t *out) {
  return pmc_dequantize(q, n, offset, scale, out, PMC_DISPATCH_AUTO);
}
