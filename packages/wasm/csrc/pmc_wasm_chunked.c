/*
 * Chunked entry points: the loader streams a large call through a small heap buffer instead of
 * staging the whole input or output in wasm memory.
 *
 * Why: wasm cannot write into a JavaScript array, so a result made in wasm memory must be
 * copied out. Staged whole, an 8 MiB output is written by the decoder, then read back from
 * memory and written again into the caller's array, which in Chromium took half as long again as
 * the decoding itself (measured: 5-8 ms for 8 MiB beside 11-14 ms). Decoded a span at a time
 * into one buffer that stays in cache, the copy out reads cached bytes and the output is written
 * to memory once. The same for the uint16 input of quantize+encode: each block is copied in,
 * quantized and counted while in cache.
 *
 * The decoder is the C core's own (pmc_decode.h: pmc_decoder_init parses the tree and builds the
 * tables for the whole call, pmc_decode_split_span and pmc_decoder_run resume at the saved bit
 * position), so the symbols, the layout choice and every error are those of
 * pmc_huffman_decompress (docs/FORMAT.md §1.5): span boundaries only change where the fast loops
 * hand over to the checked path.
 */
#include <stdint.h>
#include <stdlib.h>

#include "pmc_decode.h"
#include "pmc_internal.h"
#include "pmc_wasm.h"
#include "pymecompress.h"

#define EXPORT(name) __attribute__((export_name(name)))

static pmc_decoder g_dec;
static int g_dec_live;
/* Stream bits per symbol of the last span (at first: of the whole stream), for the next span's
 * end estimate. */
static double g_bits_per_symbol;

EXPORT("pmc_wasm_decode_end") void wasm_decode_end(void) {
  if (g_dec_live) pmc_decoder_free(&g_dec);
  g_dec_live = 0;
}

/* Contract steps 2-5 for the whole call: size check, tree, tables (the core's choice for one
 * long stream, the 14-bit wide table included: the heap buffer and the tables share L2, as
 * measured in Node at 1.0-1.4x the 12-bit cap). The stream stays where it is (in the heap)
 * until pmc_wasm_decode_end. */
EXPORT("pmc_wasm_decode_begin")
int wasm_decode_begin(const uint8_t *stream, uint32_t len, uint32_t out_size) {
  wasm_decode_end();
  pmc_status st = pmc_huffman_check_output_size(len, out_size);
  if (st != PMC_OK || out_size == 0) return st;
  st = pmc_decoder_init(&g_dec, stream, len, out_size, PMC_TABLES_ALONE);
  if (st != PMC_OK) return st;
  g_dec_live = 1;
  g_bits_per_symbol = (double)((uint64_t)len * 8 - g_dec.p) / (double)out_size;
  return PMC_OK;
}

/* Symbols [o, o + n) of the call into buf[0 .. n): most of them by the split decode of the span
 * (two interleaved chains, pmc_decode_split_span), whose end in the stream is estimated from
 * the previous span's density; the rest and any error by pmc_decoder_run. The core writes
 * out[o ..] of an `out` that starts o bytes before buf; an address computed in integers (wasm32
 * addresses are 32-bit and wrap), never dereferenced below buf: pmc_decoder_run writes only
 * out[o .. o + n). */
EXPORT("pmc_wasm_decode_next") int wasm_decode_next(uint8_t *buf, uint32_t o, uint32_t n) {
  if (!g_dec_live) return PMC_ERR_INVALID_ARGUMENT;
  uint8_t *const out = (uint8_t *)((uintptr_t)buf - (uintptr_t)o);
  const uint64_t p0 = g_dec.p;
  const uint64_t end_bit = p0 + (uint64_t)(g_bits_per_symbol * n);
  const uint64_t done = pmc_decode_split_span(&g_dec, buf, n, end_bit);
  const pmc_status st = pmc_decoder_run(&g_dec, out, (uint64_t)o + n, o + done);
  if (n > 0) g_bits_per_symbol = (double)(g_dec.p - p0) / (double)n;
  return st;
}

/* quantize+encode in blocks: begin (parameter check, histogram cleared; `n` the call's total,
 * which chooses the counting), one quant_next per block of uint16 values the loader copied into
 * the heap (quantized into sym[o ..] and counted while in cache), then quant_finish (plan from
 * the histogram, encode, result as for pmc_wasm_huffman_compress). Same bytes as
 * pmc_huffman_compress_quant. */
static uint32_t g_count[256];
static float g_offset, g_scale;
static int g_pairs;

EXPORT("pmc_wasm_quant_begin") int wasm_quant_begin(float offset, float scale, uint32_t n) {
  const pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return st;
  for (int s = 0; s < 256; s++) g_count[s] = 0;
  g_offset = offset;
  g_scale = scale;
  g_pairs = n >= PMC_HIST_PAIR_MIN_N;
  if (g_pairs) pmc_wasm_pairs_discard();
  return PMC_OK;
}

EXPORT("pmc_wasm_quant_next")
int wasm_quant_next(const uint16_t *block, uint32_t n, uint8_t *sym) {
  return pmc_wasm_quantize_count(block, n, g_offset, g_scale, sym, g_count, g_pairs);
}

EXPORT("pmc_wasm_quant_finish") int wasm_quant_finish(const uint8_t *sym, uint32_t n) {
  if (g_pairs) pmc_wasm_pairs_fold(g_count);
  g_pairs = 0;
  return pmc_wasm_compress(sym, n, g_count);
}
