/*
 * The quantizer's WebAssembly SIMD body (compiled only with -msimd128, i.e. by
 * @pymecompress/wasm's SIMD build; empty elsewhere). Byte-identical to the scalar model
 * pmc_quantize_one (docs/FORMAT.md §2), 16 values per step, with the same IEEE float32
 * operations: f32x4.sqrt is correctly rounded, f32x4.trunc is the scalar (int) truncation of a
 * value in [0, 255.5), and every comparison is the scalar one, lane by lane.
 * Must not be called with `out` overlapping `data` (block-wise loads); the caller checks.
 */
#include "pmc_internal.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

static inline v128_t quant4(v128_t x32, v128_t voff, v128_t vqs) {
  const v128_t v = wasm_f32x4_sub(wasm_f32x4_convert_u32x4(x32), voff);
  const v128_t nonneg = wasm_f32x4_ge(v, wasm_f32x4_splat(0.0f)); /* !(v >= 0) -> 0 */
  const v128_t r = wasm_f32x4_mul(vqs, wasm_f32x4_sqrt(v));
  const v128_t below = wasm_f32x4_lt(r, wasm_f32x4_splat(255.5f)); /* !(r < 255.5) -> 255 */
  const v128_t t = wasm_f32x4_trunc(r);
  const v128_t up = wasm_f32x4_ge(wasm_f32x4_sub(r, t), wasm_f32x4_splat(0.5f));
  v128_t q = wasm_f32x4_add(t, wasm_v128_and(up, wasm_f32x4_splat(1.0f)));
  q = wasm_v128_bitselect(q, wasm_f32x4_splat(255.0f), below);
  q = wasm_v128_and(q, nonneg);
  return wasm_i32x4_trunc_sat_f32x4(q);
}

void pmc_quantize_simd128(const uint8_t *data, uint64_t n, float offset, float qs, uint8_t *out) {
  const v128_t voff = wasm_f32x4_splat(offset);
  const v128_t vqs = wasm_f32x4_splat(qs);
  uint64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const v128_t a = wasm_v128_load(data + 2 * i);
    const v128_t b = wasm_v128_load(data + 2 * i + 16);
    const v128_t q0 = quant4(wasm_u32x4_extend_low_u16x8(a), voff, vqs);
    const v128_t q1 = quant4(wasm_u32x4_extend_high_u16x8(a), voff, vqs);
    const v128_t q2 = quant4(wasm_u32x4_extend_low_u16x8(b), voff, vqs);
    const v128_t q3 = quant4(wasm_u32x4_extend_high_u16x8(b), voff, vqs);
    const v128_t lo = wasm_u16x8_narrow_i32x4(q0, q1);
    const v128_t hi = wasm_u16x8_narrow_i32x4(q2, q3);
    wasm_v128_store(out + i, wasm_u8x16_narrow_i16x8(lo, hi));
  }
  for (; i < n; i++) out[i] = pmc_quantize_one(pmc_load_u16(data + 2 * i), offset, qs);
}
#else
typedef int pmc_quant_simd128_unused; /* ISO C wants a declaration in every translation unit */
#endif
