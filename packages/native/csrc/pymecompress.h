/*
 * pymecompress C core, public API: the Basic Compression Library Huffman coder as used by
 * pymecompress 0.3.6 and the exact float32 sqrt quantizer (docs/FORMAT.md §1-2). Knows nothing
 * about Node or wasm. This header is the stable interface of the bindings (Node, wasm) and the
 * C tests; internals live in pmc_internal.h / pmc_decode.h.
 *
 * Files: pmc_status.c (status strings), pmc_cpu.c (CPU detection, dispatch), pmc_histogram.c,
 * pmc_huffman_encode.c, pmc_decode_tables.c (tree parse, decode tables),
 * pmc_huffman_decode.c (decode loops, batches), pmc_decode_split.c (one stream as two
 * interleaved chains), pmc_quant.c (quantizer model and entry points),
 * pmc_quant_avx2.c (its AVX2 body).
 *
 * - No global mutable state except the CPU-feature cache, which is a C11 atomic (idempotent).
 * - Every function reports failure through a pmc_status; sizes are size_t / uint64_t.
 * - All input and output pointers may be unaligned; uint16 data is read and written in host
 *   byte order with unaligned loads and stores.
 * - Semantics and error order follow docs/FORMAT.md (the core-ts implementation is the
 *   executable specification).
 */
#ifndef PYMECOMPRESS_H
#define PYMECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Mirrors the TypeScript PymecompressErrorCode values (plus an out-of-memory status). */
typedef enum pmc_status {
  PMC_OK = 0,
  PMC_ERR_INVALID_ARGUMENT = 1,
  PMC_ERR_INPUT_TOO_LARGE = 2,
  PMC_ERR_CORRUPT_STREAM = 3,
  PMC_ERR_TRUNCATED_STREAM = 4,
  PMC_ERR_OUTPUT_TOO_LARGE = 5,
  PMC_ERR_NO_MEMORY = 6
} pmc_status;

/* "ERR_INVALID_ARGUMENT", ... ; "ERR_NO_MEMORY" for PMC_ERR_NO_MEMORY; never NULL. */
const char *pmc_status_code(pmc_status s);
/* A short English description of the status. Never NULL. */
const char *pmc_status_message(pmc_status s);

/* Which implementation of the vectorisable loops to run. */
typedef enum pmc_dispatch {
  PMC_DISPATCH_AUTO = 0,   /* the best body this CPU supports */
  PMC_DISPATCH_SCALAR = 1, /* portable C, every CPU */
  PMC_DISPATCH_AVX2 = 2,   /* x86-64 with AVX2 (and OS support for YMM state) */
  PMC_DISPATCH_AVX512 = 3  /* x86-64 with AVX-512 F, BW, DQ, VL (and OS support for ZMM state) */
} pmc_dispatch;

/* 1 when this build contains the AVX2 bodies and the CPU and OS support them. Thread-safe. */
int pmc_cpu_has_avx2(void);
/* The same for the AVX-512 bodies (0 on other targets). Thread-safe. */
int pmc_cpu_has_avx512(void);

/* Resolves AUTO to a concrete body (AVX-512, else AVX2, else scalar). Asking for AVX2 or AVX-512
 * on a CPU without it is
 * PMC_ERR_INVALID_ARGUMENT (never a silent downgrade). */
pmc_status pmc_resolve_dispatch(pmc_dispatch requested, pmc_dispatch *resolved);

/* ---------------------------------------------------------------------------------------------
 * Huffman
 * ------------------------------------------------------------------------------------------- */

/* Upper bound of a stream for n input bytes: n + 321 (0 for n == 0). */
uint64_t pmc_max_compressed_size(uint64_t n);

/* The encoder's plan: histogram, tree, code lengths and the exact stream size. Plain data; can
 * live on the stack (about 10 kB). */
typedef struct pmc_huff_plan {
  uint64_t n;                /* input length */
  uint64_t out_bytes;        /* exact stream length */
  uint32_t count[256];       /* histogram */
  uint8_t len[256];          /* code length per symbol (0 = absent) */
  uint8_t max_len;           /* deepest code */
  uint16_t n_nodes;          /* leaves + internal nodes */
  uint16_t root;             /* index of the root node */
  uint16_t tree_bits;        /* serialised tree length in bits (9 .. 2559) */
  int16_t child[511][2];     /* children (A, B) of internal nodes; -1 for leaves */
  uint8_t sym[511];          /* symbol of a leaf node */
  uint64_t code[256][4];     /* code bits, MSB-first, left-aligned in code[s][0..3] */
  /* When pair_sets is 1 (pmc_huffman_plan of an input under 1 MiB), the bytes present at even
   * and at odd positions of the input, bit s & 7 of byte s >> 3; 0: not known. */
  uint8_t pair_sets;
  uint8_t even_present[32];
  uint8_t odd_present[32];
} pmc_huff_plan;

/* Histogram + tree + sizes. n >= 2^32 -> PMC_ERR_INPUT_TOO_LARGE. */
pmc_status pmc_huffman_plan(const uint8_t *in, uint64_t n, pmc_huff_plan *plan);

/* Builds the plan from an existing histogram (sum of counts = n). */
pmc_status pmc_huffman_plan_from_histogram(const uint32_t count[256], uint64_t n,
                                           pmc_huff_plan *plan);

/* Writes exactly plan->out_bytes bytes for the same input; out_cap must be >= plan->out_bytes. */
pmc_status pmc_huffman_encode(const uint8_t *in, uint64_t n, const pmc_huff_plan *plan,
                              uint8_t *out, uint64_t out_cap);

/* Convenience: plan + encode; out_cap >= pmc_max_compressed_size(n) always suffices. */
pmc_status pmc_huffman_compress(const uint8_t *in, uint64_t n, uint8_t *out, uint64_t out_cap,
                                uint64_t *out_len);

/* Step 2 of the contract: PMC_ERR_OUTPUT_TOO_LARGE when out_size > 8 * stream_len - 9
 * (out_size == 0 is always fine). Call before allocating the output. */
pmc_status pmc_huffman_check_output_size(uint64_t stream_len, uint64_t out_size);

/* Decodes exactly out_size bytes (contract steps 2-6). out may be NULL when out_size == 0. On
 * failure out's contents are unspecified (partial and, for long outputs, speculative symbols). */
pmc_status pmc_huffman_decompress(const uint8_t *stream, uint64_t stream_len, uint8_t *out,
                                  uint64_t out_size);

/* Decodes `count` independent calls at once: stream i (streams[i], stream_lens[i] bytes) into
 * outs[i] (out_sizes[i] bytes), each with exactly pmc_huffman_decompress's contract and result,
 * reported in statuses[i]. Returns PMC_OK when every call succeeded, else the first failing
 * call's status. Calls are decoded in order, two at a time with their bit readers interleaved in
 * this thread (which hides most of one stream's lookup latency); a pair whose buffers overlap
 * each other is decoded one call after the other. */
pmc_status pmc_huffman_decompress_batch(size_t count, const uint8_t *const *streams,
                                        const uint64_t *stream_lens, uint8_t *const *outs,
                                        const uint64_t *out_sizes, pmc_status *statuses);

/* ---------------------------------------------------------------------------------------------
 * Quantizer (float32 model; offset and scale are the float32 values, validated by the caller or
 * by pmc_quant_check_params)
 * ------------------------------------------------------------------------------------------- */

/* offset finite; scale finite and > 0; (float)(1.0 / scale) finite. */
pmc_status pmc_quant_check_params(float offset, float scale);

/* data: n host-order uint16 values (any alignment); out: n bytes. */
pmc_status pmc_quantize(const void *data, uint64_t n, float offset, float scale, uint8_t *out,
                        pmc_dispatch dispatch);

/* q: n bytes; out: n host-order uint16 values (any alignment). */
pmc_status pmc_dequantize(const uint8_t *q, uint64_t n, float offset, float scale, void *out,
                          pmc_dispatch dispatch);

/* One value of the model (the reference for tests). */
uint8_t pmc_quantize_one(uint16_t x, float offset, float qs);
uint16_t pmc_dequantize_one(uint8_t q, float offset, float scale);

/* huffman(quantize(data)): plans into *plan and returns the quantized symbols in a buffer the
 * caller frees with free() (*symbols; NULL when n == 0). Then pmc_huffman_encode(*symbols, ...). */
pmc_status pmc_quantize_plan(const void *data, uint64_t n, float offset, float scale,
                             pmc_dispatch dispatch, uint8_t **symbols, pmc_huff_plan *plan);

/* The same into a caller's buffer of n bytes (must not overlap data): no allocation except the
 * scalar body's 64 KiB table. */
pmc_status pmc_quantize_into_plan(const void *data, uint64_t n, float offset, float scale,
                                  pmc_dispatch dispatch, uint8_t *symbols, pmc_huff_plan *plan);

/* Convenience: the whole of huffmanCompressQuant into a malloc'ed buffer (free()). */
pmc_status pmc_huffman_compress_quant(const void *data, uint64_t n, float offset, float scale,
                                      pmc_dispatch dispatch, uint8_t **out, uint64_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
