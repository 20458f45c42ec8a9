/* What the two benchmark harnesses share: the clock (the x86 time-stamp counter, the nominal
 * clock `perf stat -e cycles` would give without frequency scaling; elsewhere ns) and the reader
 * of the stream files bench/dump-corpus.mjs writes (u64 symbol count, u64 stream length, the
 * stream). Benchmark only. */
#ifndef PMC_BENCH_COMMON_H
#define PMC_BENCH_COMMON_H

#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__)
#include <x86intrin.h>
static inline uint64_t ticks(void) { return __rdtsc(); }
static const char *const UNIT = "TSC cycles";
#else
static inline uint64_t ticks(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
static const char *const UNIT = "ns";
#endif

static inline double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The stream of one dumped corpus file (malloc'd; *n its symbol count, *len its bytes), or NULL
 * when the file cannot be opened or is short. */
static inline uint8_t *read_corpus_stream(const char *path, uint64_t *n, uint64_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint64_t hdr[2];
  uint8_t *s = NULL;
  if (fread(hdr, 8, 2, f) == 2 && (s = (uint8_t *)malloc(hdr[1] ? hdr[1] : 1)) != NULL &&
      fread(s, 1, hdr[1], f) != hdr[1]) {
    free(s);
    s = NULL;
  }
  fclose(f);
  if (s) *n = hdr[0], *len = hdr[1];
  return s;
}

#endif
