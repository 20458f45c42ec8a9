/* The wasm glue's own declarations (the heap; the exported entry points are in pmc_wasm.c). */
#ifndef PMC_WASM_H
#define PMC_WASM_H
#include <stdint.h>
void pmc_wasm_set_heap_limit(uint64_t bytes);
uint64_t pmc_wasm_memory_bytes(void);
uint64_t pmc_wasm_heap_free_bytes(void);
uint64_t pmc_wasm_heap_top(void);

/* pmc_wasm.c, shared with the chunked entry points (pmc_wasm_chunked.c). */
struct pmc_huff_plan;
void pmc_wasm_clear_result(void);
/* Encodes in[0 .. n) with a plan made for it into a new buffer left as the call's result. */
int pmc_wasm_encode_planned(const uint8_t *in, uint32_t n, const struct pmc_huff_plan *plan);
/* The build's quantizer (SIMD body or table in the SIMD build, the core's portable body in the
 * baseline build); `out` must not overlap `data`. */
int pmc_wasm_quantize_block(const uint16_t *data, uint32_t n, float offset, float scale,
                            uint8_t *out);
#endif
