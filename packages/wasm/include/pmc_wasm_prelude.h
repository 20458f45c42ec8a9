/*
 * Force-included (clang -include) in every translation unit of the wasm build.
 *
 * WebAssembly has no byte-swap instruction, and clang expands __builtin_bswap64 into ~20 i64
 * shifts and masks. The core swaps once per 64-bit load of the decoder's bit reader and once per
 * flush of the encoder's bit writer (pmc_load_be64 / pmc_store_be64 in pmc_internal.h), which
 * made the wasm encoder ~40% slower. The SIMD build does both with one i8x16.swizzle:
 *
 * - the decoder's load (every file): v128.load64_zero straight from memory, the swizzle, one
 *   lane out, in place of the core's pmc_load_be64 (its PMC_HAVE_LOAD_BE64 hook). Measured
 *   3-7% faster decoding in Node and 5-12% in Chromium on every corpus stream (after the split
 *   decode's rounds went in counted blocks, which keeps the bit buffers in registers; an earlier
 *   swizzle of a value already loaded into an i64, beside bit buffers spilled to the stack,
 *   measured slower than clang's expansion);
 * - the encoder's store swap (scripts/build-wasm.mjs defines PMC_WASM_SWIZZLE_BSWAP for
 *   pmc_huffman_encode.c and csrc/pmc_wasm_encode.c only): __builtin_bswap64 of a value the
 *   encoder built in an i64.
 *
 * Same value either way (a byte reversal), so the output is unchanged: the core stays as it is,
 * only the load it calls and the builtin are provided here.
 */
#ifndef PMC_WASM_PRELUDE_H
#define PMC_WASM_PRELUDE_H
#if defined(__wasm_simd128__)
#include <stdint.h>
#include <wasm_simd128.h>

#define PMC_WASM_REVERSE_BYTES \
  wasm_i8x16_const(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8)

#define PMC_HAVE_LOAD_BE64 1
static inline __attribute__((always_inline)) uint64_t pmc_load_be64(const uint8_t *p) {
  const v128_t x = wasm_i8x16_swizzle(wasm_v128_load64_zero(p), PMC_WASM_REVERSE_BYTES);
  return (uint64_t)wasm_i64x2_extract_lane(x, 0);
}

#if defined(PMC_WASM_SWIZZLE_BSWAP)
static inline __attribute__((always_inline)) unsigned long long pmc_wasm_bswap64(
    unsigned long long v) {
  const v128_t x = wasm_i8x16_swizzle(wasm_i64x2_splat((long long)v), PMC_WASM_REVERSE_BYTES);
  return (unsigned long long)wasm_i64x2_extract_lane(x, 0);
}
#define __builtin_bswap64(v) pmc_wasm_bswap64(v)
#endif
#endif
#endif
