/* Freestanding <math.h> for the wasm32 build: the quantizer needs a correctly rounded float32
 * square root (f32.sqrt is IEEE-exact, docs/FORMAT.md §2) and isfinite; both are builtins. */
#ifndef PMC_WASM_MATH_H
#define PMC_WASM_MATH_H
#define sqrtf(x) __builtin_sqrtf(x)
#define sqrt(x) __builtin_sqrt(x)
#define isfinite(x) __builtin_isfinite(x)
#define floor(x) __builtin_floor(x)
#endif
