/* Internal helpers shared by the C core's translation units (not part of the public API in
 * pymecompress.h; no stability promise). Every file of the core is plain C11 that also compiles
 * for wasm32: x86-only code stays behind PMC_HAVE_AVX2_BODY, and the only libc calls are
 * malloc/free/memcpy/memset (plus sqrtf/isfinite, which the compilers inline). */
#ifndef PMC_INTERNAL_H
#define PMC_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "pymecompress.h"

#if defined(__GNUC__) || defined(__clang__)
#define PMC_LIKELY(x) __builtin_expect(!!(x), 1)
#define PMC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PMC_INLINE static inline __attribute__((always_inline))
#else
#define PMC_LIKELY(x) (x)
#define PMC_UNLIKELY(x) (x)
#define PMC_INLINE static __forceinline
#endif

/* x86-64 builds get the AVX2 bodies (compiled with a target attribute, never -mavx2 globally). */
#if (defined(__x86_64__) || defined(_M_X64)) && !defined(PMC_NO_AVX2)
#define PMC_HAVE_AVX2_BODY 1
#if defined(__GNUC__) || defined(__clang__)
#define PMC_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define PMC_TARGET_AVX2
#endif
#else
#define PMC_HAVE_AVX2_BODY 0
#endif

/* ... and the AVX-512 quantizer body (F, BW, DQ, VL), where the compiler has the intrinsics. */
#if PMC_HAVE_AVX2_BODY && (defined(__GNUC__) || defined(__clang__))
#define PMC_HAVE_AVX512_BODY 1
#define PMC_TARGET_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512dq,avx512vl")))
#else
#define PMC_HAVE_AVX512_BODY 0
#endif

/* The decode loops' BMI2 body (shlx/shrx: shifts by a register without the CL register and flag
 * merges, on the loops' critical path), beside the AVX2 bodies on x86-64. */
#if PMC_HAVE_AVX2_BODY && (defined(__GNUC__) || defined(__clang__))
#define PMC_HAVE_BMI2_BODY 1
#define PMC_TARGET_BMI2 __attribute__((target("bmi2")))
#else
#define PMC_HAVE_BMI2_BODY 0
#endif

/* 1 when the CPU has BMI2 (x86-64 builds only; 0 elsewhere). Thread-safe. pmc_cpu.c */
int pmc_cpu_has_bmi2(void);
/* 1 when it has AVX-512 (as pmc_cpu_has_avx512), VBMI2 and POPCNT: the frequent-symbol
 * histogram's body. Thread-safe. pmc_cpu.c */
int pmc_cpu_has_avx512_vbmi2(void);

#if defined(__BYTE_ORDER__) && (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
#define PMC_BIG_ENDIAN 1
#else
#define PMC_BIG_ENDIAN 0
#endif

/* Eight sub-histograms (pmc_histogram.c says why): count q[0 .. 8 * groups) into h, then add
 * the eight into count. One text for the byte histogram and the fused quantize+count bodies. */
PMC_INLINE void pmc_count8(uint32_t h[8][256], const uint8_t *q, unsigned groups) {
  for (unsigned k = 0; k < 8 * groups; k += 8) {
    h[0][q[k]]++;
    h[1][q[k + 1]]++;
    h[2][q[k + 2]]++;
    h[3][q[k + 3]]++;
    h[4][q[k + 4]]++;
    h[5][q[k + 5]]++;
    h[6][q[k + 6]]++;
    h[7][q[k + 7]]++;
  }
}

PMC_INLINE void pmc_fold8(const uint32_t h[8][256], uint32_t count[256]) {
  for (int s = 0; s < 256; s++) {
    count[s] += h[0][s] + h[1][s] + h[2][s] + h[3][s] + h[4][s] + h[5][s] + h[6][s] + h[7][s];
  }
}

PMC_INLINE uint64_t pmc_bswap64(uint64_t v) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_bswap64(v);
#elif defined(_MSC_VER)
  return _byteswap_uint64(v);
#else
  v = ((v & 0x00FF00FF00FF00FFull) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFull);
  v = ((v & 0x0000FFFF0000FFFFull) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFull);
  return (v << 32) | (v >> 32);
#endif
}

/* Big-endian 64-bit load/store at any alignment. A build may bring its own load (defining
 * PMC_HAVE_LOAD_BE64 before this header), for a target where a byte-swapped load is cheaper
 * than a load and pmc_bswap64: the decoder's bit reader does one per refill. */
#ifndef PMC_HAVE_LOAD_BE64
PMC_INLINE uint64_t pmc_load_be64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
#if PMC_BIG_ENDIAN
  return v;
#else
  return pmc_bswap64(v);
#endif
}
#endif

PMC_INLINE void pmc_store_be64(uint8_t *p, uint64_t v) {
#if !PMC_BIG_ENDIAN
  v = pmc_bswap64(v);
#endif
  memcpy(p, &v, 8);
}

PMC_INLINE uint16_t pmc_load_u16(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}

PMC_INLINE void pmc_store_u16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

PMC_INLINE void pmc_store_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* 1 when [a, a + an) and [b, b + bn) share a byte. */
PMC_INLINE int pmc_overlaps(const void *a, uint64_t an, const void *b, uint64_t bn) {
  const uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
  return an > 0 && bn > 0 && x < y + bn && y < x + an;
}

/* 1 when n is too large for the BCL stream's 32-bit sizes (docs/FORMAT.md §1.1). */
PMC_INLINE int pmc_too_large(uint64_t n) { return n >= ((uint64_t)1 << 32); }

/* Histogram (adds to count[]): eight interleaved byte sub-histograms, or, from
 * PMC_HIST_PAIR16_MIN_N bytes (16-bit counters, up to 256 KiB) and from PMC_HIST_PAIR_MIN_N
 * (32-bit counters), interleaved 16-bit pair tables folded into the bins (their clearing and
 * folding measured slower below those sizes). Same counts either way. pmc_histogram.c */
#define PMC_HIST_PAIR_MIN_N ((uint64_t)1 << 20)
#define PMC_HIST_PAIR16_MIN_N ((uint64_t)1 << 17)
void pmc_histogram(const uint8_t *in, uint64_t n, uint32_t count[256]);
/* The same, and below PMC_HIST_PAIR_MIN_N bytes also the counts of the bytes at odd positions
 * (added to odd[], when not NULL; the pair encoder's table, pmc_encode_rounds.h, only needs the
 * pairs of bytes that occur at even and at odd positions). Returns 1 when odd[] was counted.
 * pmc_huffman_plan asks for them from PMC_HIST_ODD_MIN_N bytes: the smallest such table of raw
 * uint16 bytes (256 low bytes by one high byte) pays from 16 bytes per entry, 4 KiB, and below
 * it the extra fold and sets cost a noticeable part of a call on a few bytes. */
#define PMC_HIST_ODD_MIN_N 4096
int pmc_histogram_odd(const uint8_t *in, uint64_t n, uint32_t count[256], uint32_t *odd);
/* pmc_huffman_plan_from_histogram, plus the plan's pair_sets from odd[] (pmc_histogram_odd's)
 * when not NULL. pmc_huffman_plan.c */
pmc_status pmc_huffman_plan_from_counts(const uint32_t count[256], const uint32_t *odd,
                                        uint64_t n, pmc_huff_plan *plan);
/* The 32-bit pair counting behind it, for callers that count one input in several calls (or fuse
 * the counting into another pass) and fold once: t is PMC_HIST_PAIR_TABLES interleaved tables of
 * PMC_HIST_PAIR_ENTRIES counters, zeroed by the caller; pair j of each 8-byte group (bytes 2j and
 * 2j + 1 as one host-order uint16: the fold counts both bytes, so the order does not matter)
 * goes to table j, and the last n % 8 bytes straight to count. The fold adds the tables into
 * count without clearing them. Fewer than 2^32 pairs in all (no counter overflows). */
#define PMC_HIST_PAIR_TABLES 4
#define PMC_HIST_PAIR_ENTRIES 65536
void pmc_hist_pairs_count(uint32_t *t, const uint8_t *in, uint64_t n, uint32_t count[256]);
void pmc_hist_pairs_fold(const uint32_t *t, uint32_t count[256]);

/* The frequent-symbol histogram (pmc_histogram.c says when it is used): counts the whole 64-byte
 * blocks of in[0 .. n) from the start, the PMC_HIST_TOP distinct symbols `top` by vector
 * compares and the other bytes one by one, into count[] (and those at odd positions into odd[],
 * when not NULL); stops after a chunk of PMC_HIST_CHUNK bytes in which the other bytes exceeded
 * PMC_HIST_REST_MAX_PERMILLE (the vector work then pays no more). Returns the bytes counted:
 * a multiple of 64, so the caller counts the rest with the parity of its positions unchanged.
 * Fewer than 2^32 bytes. pmc_hist_avx512.c */
#define PMC_HIST_TOP 8
#define PMC_HIST_CHUNK 4096
#define PMC_HIST_REST_MAX_PERMILLE 450
/* pmc_histogram uses it from this size (where the CPU has the body): below, the sample and the
 * choice (~2-3k cycles) would be a noticeable part of the call. */
#define PMC_HIST_FREQUENT_MIN_N 32768
/* Its symbols: the PMC_HIST_TOP most frequent of a sample (distinct; absent symbols fill the
 * slots the sample leaves), of PMC_HIST_SAMPLE_RUNS runs of PMC_HIST_SAMPLE_RUN bytes spread
 * over the input; returns 0 when they are under 60% of it. pmc_histogram.c */
#define PMC_HIST_SAMPLE_RUNS 16
#define PMC_HIST_SAMPLE_RUN 32
int pmc_hist_frequent_symbols(const uint8_t *sample, unsigned len, uint8_t top[PMC_HIST_TOP]);
/* Where sample run r (0 .. PMC_HIST_SAMPLE_RUNS - 1) of an input of n values starts (n at least
 * PMC_HIST_FREQUENT_MIN_N: every run lies inside it). */
PMC_INLINE uint64_t pmc_hist_sample_start(uint64_t n, int r) {
  return (uint64_t)r * (n / PMC_HIST_SAMPLE_RUNS);
}
#if PMC_HAVE_AVX512_BODY
#define PMC_TARGET_AVX512_VBMI2 \
  __attribute__((target("avx2,avx512f,avx512bw,avx512dq,avx512vl,avx512vbmi2,popcnt")))
uint64_t pmc_hist_frequent_avx512(const uint8_t *in, uint64_t n, const uint8_t top[PMC_HIST_TOP],
                                  uint32_t count[256], uint32_t *odd);
#endif

/* The encoder's bodies (pmc_huffman_encode.c): AUTO picks the best one for the CPU, the input
 * size and the symbols present; the others let the tests run each (same bytes). PAIRS: the
 * 64 Ki-entry pair-code table (used when codes are at most 28 bits). BMI2: x86-64 CPUs with
 * BMI2 only. */
typedef enum pmc_enc_body {
  PMC_ENC_AUTO = 0,
  PMC_ENC_PORTABLE = 1,
  PMC_ENC_PORTABLE_PAIRS = 2,
  PMC_ENC_BMI2 = 3,
  PMC_ENC_BMI2_PAIRS = 4
} pmc_enc_body;
#define PMC_ENC_BODIES 5
/* 1 when `body` can run here. */
int pmc_enc_body_available(pmc_enc_body body);
/* pmc_huffman_encode with a given body (PMC_ERR_INVALID_ARGUMENT when it cannot run here). */
pmc_status pmc_huffman_encode_body(const uint8_t *in, uint64_t n, const pmc_huff_plan *plan,
                                   uint8_t *out, uint64_t out_cap, pmc_enc_body body);

/* Quantizer bodies. Parameters already checked (pmc_quant_check_params), dispatch already
 * resolved (pmc_resolve_dispatch), qs = (float)(1.0 / (double)scale). pmc_quant.c and
 * pmc_quant_avx2.c. */
void pmc_quantize_scalar(const uint8_t *data, uint64_t n, float offset, float qs, uint8_t *out);
#if PMC_HAVE_AVX2_BODY
void pmc_quantize_avx2(const uint8_t *data, uint64_t n, float offset, float qs, uint8_t *out);
/* The same, counting the symbols into count[] as they are made (no overlap of data and out). */
void pmc_quantize_count_avx2(const uint8_t *data, uint64_t n, float offset, float qs, uint8_t *out,
                             uint32_t count[256]);
#endif
#if PMC_HAVE_AVX512_BODY
/* The same two bodies with AVX-512. pmc_quant_avx512.c */
void pmc_quantize_avx512(const uint8_t *data, uint64_t n, float offset, float qs, uint8_t *out);
void pmc_quantize_count_avx512(const uint8_t *data, uint64_t n, float offset, float qs,
                               uint8_t *out, uint32_t count[256]);
#endif
/* The body for `resolved` (PMC_DISPATCH_SCALAR or PMC_DISPATCH_AVX2). */
void pmc_quantize_resolved(pmc_dispatch resolved, const uint8_t *data, uint64_t n, float offset,
                           float qs, uint8_t *out);

#endif
