/* Freestanding <string.h> for the wasm32 build: the core uses memcpy/memset only for small
 * fixed-size copies (unaligned loads, table clears). Mapping them to the builtins lets clang inline
 * those (wasm has no libc); calls it still emits are served by csrc/pmc_wasm_heap.c, which
 * lowers to the bulk-memory instructions. */
#ifndef PMC_WASM_STRING_H
#define PMC_WASM_STRING_H
#include <stddef.h>
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#define memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define memset(d, c, n) __builtin_memset((d), (c), (n))
#define memcmp(a, b, n) __builtin_memcmp((a), (b), (n))
#endif
