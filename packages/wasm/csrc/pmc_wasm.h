/* The wasm glue's own declarations (the heap; the exported entry points are in pmc_wasm.c). */
#ifndef PMC_WASM_H
#define PMC_WASM_H
#include <stdint.h>
void pmc_wasm_set_heap_limit(uint64_t bytes);
uint64_t pmc_wasm_memory_bytes(void);
uint64_t pmc_wasm_heap_free_bytes(void);
uint64_t pmc_wasm_heap_top(void);

/* pmc_wasm.c, shared with the chunked entry points (pmc_wasm_chunked.c). */
/* Encodes in[0 .. n) into a new buffer left as the call's result; `count` is its histogram, or
 * NULL to count here. */
int pmc_wasm_compress(const uint8_t *in, uint32_t n, const uint32_t *count);
/* The build's quantizer (SIMD body or table in the SIMD build, the core's portable body in the
 * baseline build); `out` must not overlap `data`. */
int pmc_wasm_quantize_block(const uint16_t *data, uint32_t n, float offset, float scale,
                            uint8_t *out);
#endif
