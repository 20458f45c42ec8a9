/* The wasm glue's own declarations (the heap; the exported entry points are in pmc_wasm.c). */
#ifndef PMC_WASM_H
#define PMC_WASM_H
#include <stdint.h>
void pmc_wasm_set_heap_limit(uint64_t bytes);
uint64_t pmc_wasm_memory_bytes(void);
uint64_t pmc_wasm_heap_free_bytes(void);
uint64_t pmc_wasm_heap_top(void);
#endif
