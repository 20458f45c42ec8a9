/* The wasm glue's own declarations (the heap; the exported entry points are in pmc_wasm.c). */
#ifndef PMC_WASM_H
#define PMC_WASM_H
#include <stdint.h>

#include "pymecompress.h"
void pmc_wasm_set_heap_limit(uint64_t bytes);
uint64_t pmc_wasm_memory_bytes(void);
uint64_t pmc_wasm_heap_free_bytes(void);
uint64_t pmc_wasm_heap_top(void);

/* pmc_wasm.c, shared with the chunked entry points (pmc_wasm_chunked.c). */
/* Encodes in[0 .. n) into a new buffer left as the call's result; `count` is its histogram, or
 * NULL to count here. */
int pmc_wasm_compress(const uint8_t *in, uint32_t n, const uint32_t *count);
/* The build's quantizer (a cached table of all results for blocks of 4096 values or more, else
 * the SIMD body or, in the baseline build, the core's portable body) into out (not overlapping data), each symbol counted as pmc_wasm_map_count
 * counts (into the pair tables when `pairs`, else into count). */
int pmc_wasm_quantize_count(const uint16_t *data, uint32_t n, float offset, float scale,
                            uint8_t *out, uint32_t count[256], int pairs);

/* pmc_wasm_count.c: the symbols of a quantize+encode call counted in the core's pair tables
 * (pmc_hist_pairs_count; the call has at least PMC_HIST_PAIR_MIN_N symbols) across its blocks. */
/* Adds the bytes of in[0 .. n) to the pair tables (the last n % 8 bytes straight to count). */
void pmc_wasm_pairs_count(const uint8_t *in, uint32_t n, uint32_t count[256]);
/* Adds the pair tables into count and clears them. */
void pmc_wasm_pairs_fold(uint32_t count[256]);
/* Clears counts a stopped call left in the pair tables (call before counting a new input). */
void pmc_wasm_pairs_discard(void);
/* out[i] = table[data[i]] (uint16 data, no overlap), each symbol counted: into the pair tables
 * when `pairs` (fold them into count later), else into count. */
void pmc_wasm_map_count(const uint8_t *data, uint32_t n, const uint8_t table[65536], uint8_t *out,
                        uint32_t count[256], int pairs);

/* pmc_wasm_encode.c: the emission pass (pmc_huffman_encode's bytes); `plan` is the plan of
 * in[0 .. n) (changed during the call, restored before it returns) and `out` has its
 * out_bytes. */
pmc_status pmc_wasm_encode(const uint8_t *in, uint32_t n, pmc_huff_plan *plan, uint8_t *out);
#endif
