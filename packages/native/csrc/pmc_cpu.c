/*
 * CPU detection (cpuid + xgetbv: AVX2 and OS support for YMM state) and dispatch resolution.
 * The answer is cached in a C11 atomic, the core's only mutable global: computing it twice is
 * harmless. Other targets (aarch64, wasm32) have no AVX2 body and always answer 0.
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
static int detect_avx2(void) {
  unsigned a, b, c, d;
#if defined(_MSC_VER) && !defined(__clang__)
  int r[4];
  __cpuid(r, 0);
  if (r[0] < 7) return 0;
  __cpuid(r, 1);
  c = (unsigned)r[2];
  const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!osxsave || !avx) return 0;
  if ((_xgetbv(0) & 6) != 6) return 0;
  __cpuidex(r, 7, 0);
  return ((unsigned)r[1] >> 5) & 1;
#else
  if (__get_cpuid_max(0, 0) < 7) return 0;
  __cpuid(1, a, b, c, d);
  const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!osxsave || !avx) return 0;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 6) != 6) return 0; /* XMM and YMM state enabled by the OS */
  __cpuid_count(7, 0, a, b, c, d);
  return (b >> 5) & 1;
#endif
}

#if defined(PMC_CACHE_CPU)
/* The only mutable global: written with the same value by whichever thread gets there first. */
static atomic_int g_avx2 = -1;
#endif
#endif

int pmc_cpu_has_avx2(void) {
#if PMC_HAVE_AVX2_BODY && !defined(PMC_CACHE_CPU)
  return detect_avx2(); /* MSVC C has no <stdatomic.h> before VS 2022 17.5: cpuid is cheap */
#elif PMC_HAVE_AVX2_BODY
  int v = atomic_load_explicit(&g_avx2, memory_order_relaxed);
  if (v < 0) {
    v = detect_avx2();
    atomic_store_explicit(&g_avx2, v, memory_order_relaxed);
  }
  return v;
#else
  return 0;
#endif
}

pmc_status pmc_resolve_dispatch(pmc_dispatch requested, pmc_dispatch *resolved) {
  switch (requested) {
    case PMC_DISPATCH_AUTO:
      *resolved = pmc_cpu_has_avx2() ? PMC_DISPATCH_AVX2 : PMC_DISPATCH_SCALAR;
      return PMC_OK;
    case PMC_DISPATCH_SCALAR:
      *resolved = PMC_DISPATCH_SCALAR;
      return PMC_OK;
    case PMC_DISPATCH_AVX2:
      if (!pmc_cpu_has_avx2()) return PMC_ERR_INVALID_ARGUMENT;
      *resolved = PMC_DISPATCH_AVX2;
      return PMC_OK;
  }
  return PMC_ERR_INVALID_ARGUMENT;
}
