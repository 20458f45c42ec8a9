/*
 * Force-included (clang -include) in every translation unit of the wasm build.
 *
 * WebAssembly has no byte-swap instruction, and clang expands __builtin_bswap64 into ~20 i64
 * shifts and masks. The core swaps once per 64-bit load of the decoder's bit reader and once per
 * flush of the encoder's bit writer (pmc_load_be64 / pmc_store_be64 in pmc_internal.h), which
 * made the wasm encoder ~40% slower. In the SIMD build one i8x16.swizzle does the swap in the
 * encoder (scripts/build-wasm.mjs defines PMC_WASM_SWIZZLE_BSWAP for pmc_huffman_encode.c
 * only): in the decoder the swizzle's round trip through a vector register lies on the bit
 * reader's refill and measured slower than clang's expansion (quantized frames decoded up to
 * 2x slower in Chromium), so every other file keeps the expansion. Same value either way (a
 * byte reversal), so the output is unchanged: the core stays as it is, only the builtin it
 * calls is provided here.
 */
#ifndef PMC_WASM_PRELUDE_H
#define PMC_WASM_PRELUDE_H
#if defined(__wasm_simd128__) && defined(PMC_WASM_SWIZZLE_BSWAP)
#include <wasm_simd128.h>
static inline __attribute__((always_inline)) unsigned long long pmc_wasm_bswap64(
    unsigned long long v) {
  v128_t x = wasm_i64x2_splat((long long)v);
  x = wasm_i8x16_swizzle(x, wasm_i8x16_const(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8));
  return (unsigned long long)wasm_i64x2_extract_lane(x, 0);
}
#define __builtin_bswap64(v) pmc_wasm_bswap64(v)
#endif
#endif
