/* Freestanding <stdlib.h> for the wasm32 build of the C core: only the allocator it uses, which
 * csrc/pmc_wasm_heap.c implements on the wasm linear memory. */
#ifndef PMC_WASM_STDLIB_H
#define PMC_WASM_STDLIB_H
#include <stddef.h>
void *malloc(size_t n);
void free(void *p);
#endif
