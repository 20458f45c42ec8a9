/* Tests of the frequent-symbol histogram (pmc_hist_avx512.c, chosen in pmc_histogram.c), included
 * by test_main.c after its CHECK and rnd. */
#ifndef PMC_TEST_HISTOGRAM_H
#define PMC_TEST_HISTOGRAM_H

/* in[i] for the kinds below: mostly the symbols 40..40+k-1, with a given share of others. */
static void fill_frequent(uint8_t *in, uint64_t n, int kind) {
  for (uint64_t i = 0; i < n; i++) {
    const uint64_t r = rnd();
    const unsigned few = 40 + (unsigned)((r >> 8) % 8), other = (unsigned)(r >> 24) & 255;
    switch (kind) {
      case 0: in[i] = (uint8_t)(40 + (r >> 8) % 3); break;                /* 3 symbols */
      case 1: in[i] = (uint8_t)few; break;                                 /* exactly 8 */
      case 2: in[i] = (uint8_t)((r & 31) == 0 ? other : few); break;       /* ~3% others */
      case 3: in[i] = (uint8_t)((r & 3) == 0 ? other : few); break;        /* ~25% others */
      case 4: in[i] = (uint8_t)(i < n / 2 ? few : other); break;           /* then uniform */
      case 5: in[i] = (uint8_t)((i & 1) ? (r >> 40) % 3 : few); break;     /* uint16-like */
      case 6: in[i] = (uint8_t)(((i >> 9) & 1) ? 7 : few); break;         /* long runs */
      /* 3 symbols and one byte of a low symbol, which a sample sees once (slots left empty are
       * filled from symbol 0 up: they must skip it) */
      default: in[i] = (uint8_t)(i == 3 ? 2 : 40 + (r >> 8) % 3); break;
    }
  }
}

static void direct_count(const uint8_t *in, uint64_t n, uint32_t count[256], uint32_t odd[256]) {
  memset(count, 0, 256 * sizeof *count);
  memset(odd, 0, 256 * sizeof *odd);
  for (uint64_t i = 0; i < n; i++) {
    count[in[i]]++;
    if (i & 1) odd[in[i]]++;
  }
}

/* The body against a direct count of the bytes it says it counted, with and without odd[],
 * for symbol sets present, partly absent, and beside the data (every count then comes from the
 * other bytes); and pmc_histogram_odd (which uses the body where the CPU has it) against a
 * direct count of the whole input, around its size thresholds and at odd offsets. */
static void test_frequent_histogram(void) {
  const uint64_t buf_n = 65536;
  uint8_t *buf = (uint8_t *)malloc(buf_n + 4);
  uint32_t want[256], want_odd[256], got[256], got_odd[256];
#if PMC_HAVE_AVX512_BODY
  const uint64_t max_n = 5 * PMC_HIST_CHUNK + 200;
  static const uint8_t tops[3][PMC_HIST_TOP] = {
      {40, 41, 42, 43, 44, 45, 46, 47},  /* the frequent symbols */
      {47, 40, 200, 42, 0, 255, 44, 41}, /* some of them, in any order, and absent ones */
      {1, 2, 3, 4, 5, 6, 8, 9},          /* none of them */
  };
  static const uint64_t sizes[] = {0, 1, 63, 64, 65, 127, PMC_HIST_CHUNK - 1, PMC_HIST_CHUNK,
                                   PMC_HIST_CHUNK + 64, 3 * PMC_HIST_CHUNK + 77, max_n};
  int stopped = 0, whole = 0;
  if (pmc_cpu_has_avx512_vbmi2()) {
    for (int kind = 0; kind < 8; kind++) {
      fill_frequent(buf, buf_n + 4, kind);
      for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        for (int t = 0; t < 3; t++) {
          for (int with_odd = 0; with_odd < 2; with_odd++) {
            const uint64_t n = sizes[z];
            const uint8_t *in = buf + (z + t) % 4; /* unaligned starts */
            memset(got, 0, sizeof got);
            memset(got_odd, 0, sizeof got_odd);
            const uint64_t done =
                pmc_hist_frequent_avx512(in, n, tops[t], got, with_odd ? got_odd : NULL);
            CHECK(done % 64 == 0 && done <= n, "frequent body: %llu of %llu bytes",
                  (unsigned long long)done, (unsigned long long)n);
            if (done < n / 64 * 64) stopped = 1;
            if (n >= PMC_HIST_CHUNK && done == n / 64 * 64) whole = 1;
            direct_count(in, done, want, want_odd);
            CHECK(memcmp(want, got, sizeof want) == 0,
                  "frequent body counts, kind %d n %llu top %d", kind, (unsigned long long)n, t);
            if (with_odd) {
              CHECK(memcmp(want_odd, got_odd, sizeof want_odd) == 0,
                    "frequent body odd counts, kind %d n %llu top %d", kind,
                    (unsigned long long)n, t);
            }
          }
        }
      }
    }
    CHECK(stopped && whole, "frequent body: both a stop and a whole input (%d %d)", stopped, whole);
  }
#endif
  /* The entry point: whatever path it takes, the counts of the whole input. */
  const uint64_t big = PMC_HIST_PAIR_MIN_N + 333;
  uint8_t *large = (uint8_t *)malloc(big);
  for (int kind = 0; kind < 8; kind++) {
    fill_frequent(buf, buf_n + 4, kind);
    fill_frequent(large, big, kind);
    static const uint64_t ns[] = {32767, 32768, 32769, 40000};
    for (int k = 0; k < 5; k++) {
      const uint8_t *in = k < 4 ? buf + (k & 3) : large + 1;
      const uint64_t n = k < 4 ? ns[k] : big - 1;
      direct_count(in, n, want, want_odd);
      memset(got, 0, sizeof got);
      memset(got_odd, 0, sizeof got_odd);
      const int sets = pmc_histogram_odd(in, n, got, got_odd);
      CHECK(memcmp(want, got, sizeof want) == 0, "histogram, kind %d n %llu", kind,
            (unsigned long long)n);
      CHECK(sets == (n < PMC_HIST_PAIR_MIN_N), "histogram odd counted %d (n %llu)", sets,
            (unsigned long long)n);
      if (sets) {
        CHECK(memcmp(want_odd, got_odd, sizeof want_odd) == 0, "histogram odd, kind %d n %llu",
              kind, (unsigned long long)n);
      }
    }
  }
  free(large);
  free(buf);
}

/* pmc_quantize_into_plan of frame[0 .. n) with (offset 100, scale 1) and every body up to
 * top_body gives the symbols `want` (the scalar model's) and their counts; `got` has room for n.
 * Shared with test_quantize's fused-pass sizes. */
static void check_fused_count(const uint16_t *frame, uint64_t n, const uint8_t *want, uint8_t *got,
                              int top_body, const char *what) {
  static pmc_huff_plan plan;
  uint32_t want_count[256];
  memset(want_count, 0, sizeof want_count);
  for (uint64_t i = 0; i < n; i++) want_count[want[i]]++;
  for (int body = 1; body <= top_body; body++) {
    memset(got, 0xAB, n);
    CHECK(pmc_quantize_into_plan(frame, n, 100, 1, (pmc_dispatch)body, got, &plan) == PMC_OK,
          "%s: into_plan n=%llu", what, (unsigned long long)n);
    CHECK(memcmp(got, want, n) == 0 && memcmp(plan.count, want_count, sizeof want_count) == 0,
          "%s: quantize + count n=%llu body %d", what, (unsigned long long)n, body);
  }
}

/* The fused quantize + count of each body (AVX-512: blocks counted by the frequent-symbol
 * histogram when a sample allows) against the scalar model's symbols and their counts: frames
 * of few symbols, of few with stretches of spread ones (the pass stops there and the fused body
 * finishes), and of spread symbols only (the sample declines), around the sizes where it starts. */
static void test_frequent_quantize(int top_body) {
  const uint64_t max_n = 100003;
  uint16_t *frame = (uint16_t *)malloc(max_n * 2);
  uint8_t *want = (uint8_t *)malloc(max_n), *got = (uint8_t *)malloc(max_n);
  static const uint64_t sizes[] = {32767, 32768, 32769, 4 * 8192 + 65, 6 * 8192, max_n};
  for (int kind = 0; kind < 3; kind++) {
    for (uint64_t i = 0; i < max_n; i++) {
      const uint64_t r = rnd();
      const uint16_t dim = (uint16_t)(100 + r % 40), spread = (uint16_t)(r >> 16);
      frame[i] = kind == 0 ? dim : kind == 1 ? (i % 32768 < 29000 ? dim : spread) : spread;
    }
    static const char *const what[] = {"few symbols", "stretches of spread ones", "spread"};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
      pmc_quantize(frame, sizes[z], 100, 1, want, PMC_DISPATCH_SCALAR);
      check_fused_count(frame, sizes[z], want, got, top_body, what[kind]);
    }
  }
  free(frame);
  free(want);
  free(got);
}

#endif
