/*
 * CPU detection (cpuid + xgetbv: AVX2 and OS support for YMM state; BMI2 for the decode loops)
 * and dispatch resolution. The answer is cached in a C11 atomic, the core's only mutable global:
 * computing it twice is harmless. Other targets (aarch64, wasm32) have no AVX2 body and always answer 0.
 */
#include "pmc_internal.h"

#if PMC_HAVE_AVX2_BODY
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#else
#include <cpuid.h>
#include <stdatomic.h>
#define PMC_CACHE_CPU 1
#endif
#endif

#if PMC_HAVE_AVX2_BODY
/* AVX-512 F (bit 16), DQ (17), BW (30) and VL (31) in cpuid leaf 7 EBX. */
#define AVX512_BITS ((1u << 16) | (1u << 17) | (1u << 30) | (1u << 31))

/* Bit 0: AVX2 usable; bit 1: BMI2 (no OS state needed); bit 2: AVX-512 F/BW/DQ/VL usable (the OS
 * saves the opmask and ZMM state as well: XCR0 bits 5-7); bit 3: that and VBMI2 (byte compress)
 * and POPCNT, for the frequent-symbol histogram (pmc_hist_avx512.c). */
static int detect_features(void) {
  unsigned a, b, c, d;
#if defined(_MSC_VER) && !defined(__clang__)
  int r[4];
  __cpuid(r, 0);
  if (r[0] < 7) return 0;
  __cpuidex(r, 7, 0);
  const int bmi2 = ((unsigned)r[1] >> 8) & 1;
  const int avx2 = ((unsigned)r[1] >> 5) & 1;
  const int avx512 = ((unsigned)r[1] & AVX512_BITS) == AVX512_BITS;
  const int vbmi2 = ((unsigned)r[2] >> 6) & 1;
  __cpuid(r, 1);
  c = (unsigned)r[2];
  const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, popcnt = (c >> 23) & 1;
  if (!osxsave || !avx || (_xgetbv(0) & 6) != 6) return bmi2 << 1;
  const int zmm = (_xgetbv(0) & 0xe6) == 0xe6;
  const int avx512_ok = avx2 & avx512 & zmm;
  return avx2 | (bmi2 << 1) | (avx512_ok << 2) | ((avx512_ok & vbmi2 & popcnt) << 3);
#else
  if (__get_cpuid_max(0, 0) < 7) return 0;
  __cpuid_count(7, 0, a, b, c, d);
  const int bmi2 = (b >> 8) & 1;
  const int avx2 = (b >> 5) & 1;
  const int avx512 = (b & AVX512_BITS) == AVX512_BITS;
  const int vbmi2 = (c >> 6) & 1;
  __cpuid(1, a, b, c, d);
  const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, popcnt = (c >> 23) & 1;
  if (!osxsave || !avx) return bmi2 << 1;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 6) != 6) return bmi2 << 1; /* XMM and YMM state enabled by the OS */
  const int zmm = (lo & 0xe6) == 0xe6;  /* ... and opmask, ZMM0-15 upper halves, ZMM16-31 */
  const int avx512_ok = avx2 & avx512 & zmm;
  return avx2 | (bmi2 << 1) | (avx512_ok << 2) | ((avx512_ok & vbmi2 & popcnt) << 3);
#endif
}

#if defined(PMC_CACHE_CPU)
/* The only mutable global: written with the same value by whichever thread gets there first. */
static atomic_int g_features = -1;
#endif
#endif

/* detect_features(), cached where C11 atomics exist; 0 on other targets. */
static int cpu_features(void) {
#if PMC_HAVE_AVX2_BODY && !defined(PMC_CACHE_CPU)
  return detect_features(); /* MSVC C has no <stdatomic.h> before VS 2022 17.5: cpuid is cheap */
#elif PMC_HAVE_AVX2_BODY
  int v = atomic_load_explicit(&g_features, memory_order_relaxed);
  if (v < 0) {
    v = detect_features();
    atomic_store_explicit(&g_features, v, memory_order_relaxed);
  }
  return v;
#else
  return 0;
#endif
}

int pmc_cpu_has_avx2(void) { return cpu_features() & 1; }

int pmc_cpu_has_bmi2(void) { return (cpu_features() >> 1) & 1; }

int pmc_cpu_has_avx512(void) { return PMC_HAVE_AVX512_BODY && ((cpu_features() >> 2) & 1); }

int pmc_cpu_has_avx512_vbmi2(void) {
  return PMC_HAVE_AVX512_BODY && ((cpu_features() >> 3) & 1);
}

pmc_status pmc_resolve_dispatch(pmc_dispatch requested, pmc_dispatch *resolved) {
  switch (requested) {
    case PMC_DISPATCH_AUTO:
      *resolved = pmc_cpu_has_avx512() ? PMC_DISPATCH_AVX512
                  : pmc_cpu_has_avx2() ? PMC_DISPATCH_AVX2
                                       : PMC_DISPATCH_SCALAR;
      return PMC_OK;
    case PMC_DISPATCH_SCALAR:
      *resolved = PMC_DISPATCH_SCALAR;
      return PMC_OK;
    case PMC_DISPATCH_AVX2:
      if (!pmc_cpu_has_avx2()) return PMC_ERR_INVALID_ARGUMENT;
      *resolved = PMC_DISPATCH_AVX2;
      return PMC_OK;
    case PMC_DISPATCH_AVX512:
      if (!pmc_cpu_has_avx512()) return PMC_ERR_INVALID_ARGUMENT;
      *resolved = PMC_DISPATCH_AVX512;
      return PMC_OK;
  }
  return PMC_ERR_INVALID_ARGUMENT;
}
