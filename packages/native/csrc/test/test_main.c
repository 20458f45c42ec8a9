/* Standalone tests of the C core (no Node). Build and run: make -C csrc test */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pymecompress.h"
#include "../pmc_decode.h"
#include "ref_decode.h"
#include "../fuzz/fuzz_bodies.h"

static int g_failed = 0, g_checks = 0;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    g_checks++;                                            \
    if (!(cond)) {                                         \
      g_failed++;                                          \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fprintf(stderr, "\n");                               \
    }                                                      \
  } while (0)

/* xorshift64* */
static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
  g_rng ^= g_rng >> 12;
  g_rng ^= g_rng << 25;
  g_rng ^= g_rng >> 27;
  return g_rng * 0x2545F4914F6CDD1Dull;
}

#include "test_histogram.h"

static unsigned g_enc_bodies_run = 0;  /* bit b: encoder body b compared at least once */
static uint64_t g_large_max_lens = 0; /* bit l: a large input had deepest code l */

static uint8_t *compress(const uint8_t *in, uint64_t n, uint64_t *len) {
  uint64_t cap = pmc_max_compressed_size(n);
  uint8_t *out = (uint8_t *)malloc(cap ? cap : 1);
  pmc_status st = pmc_huffman_compress(in, n, out, cap, len);
  CHECK(st == PMC_OK, "compress status %d (n=%llu)", st, (unsigned long long)n);
  CHECK(*len <= cap, "stream longer than the bound");
  /* every encoder body that runs here writes the same bytes (pairs or not, BMI2 or not) */
  if (st == PMC_OK && n > 0) {
    pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
    uint8_t *other = (uint8_t *)malloc(*len);
    CHECK(pmc_huffman_plan(in, n, plan) == PMC_OK, "plan");
    for (int b = 1; b < PMC_ENC_BODIES; b++) {
      if (!pmc_enc_body_available((pmc_enc_body)b)) continue;
      g_enc_bodies_run |= 1u << b;
      st = pmc_huffman_encode_body(in, n, plan, other, *len, (pmc_enc_body)b);
      CHECK(st == PMC_OK && memcmp(other, out, *len) == 0, "encoder body %d differs (n=%llu)", b,
            (unsigned long long)n);
    }
    free(other);
    free(plan);
  }
  return out;
}

static void roundtrip(const uint8_t *in, uint64_t n, const char *what) {
  uint64_t len = 0;
  uint8_t *s = compress(in, n, &len);
  /* unaligned copy of the stream */
  uint8_t *s1 = (uint8_t *)malloc(len + 1);
  memcpy(s1 + 1, s, len);
  uint8_t *back = (uint8_t *)malloc(n + 1);
  pmc_status st = pmc_huffman_decompress(s1 + 1, len, back + 1, n);
  CHECK(st == PMC_OK, "%s: decompress status %s (n=%llu)", what, pmc_status_code(st),
        (unsigned long long)n);
  CHECK(n == 0 || memcmp(back + 1, in, n) == 0, "%s: round trip differs (n=%llu)", what,
        (unsigned long long)n);
  if (n > 0) {
    uint8_t *ref = (uint8_t *)malloc(n);
    st = ref_decode(s, len, ref, n);
    CHECK(st == PMC_OK && memcmp(ref, in, n) == 0, "%s: oracle decode differs", what);
    free(ref);
  }
  free(s);
  free(s1);
  free(back);
}

static void test_worked_example(void) {
  uint8_t in[10];
  memset(in, 7, sizeof in);
  uint64_t len = 0;
  uint8_t *s = compress(in, 10, &len);
  CHECK(len == 3 && s[0] == 0x83 && s[1] == 0x80 && s[2] == 0x00, "ten 7s -> 83 80 00");
  free(s);
  uint64_t z = 123;
  uint8_t *e = compress(in, 0, &z);
  CHECK(z == 0, "empty input -> empty stream");
  free(e);
}

static void test_roundtrips(void) {
  for (uint64_t n = 0; n < 300; n++) {
    uint8_t *in = (uint8_t *)malloc(n + 1);
    for (uint64_t i = 0; i < n; i++) in[i] = (uint8_t)rnd();
    roundtrip(in, n, "uniform");
    for (uint64_t i = 0; i < n; i++) in[i] = (uint8_t)(rnd() % 3 == 0 ? rnd() & 3 : 200);
    roundtrip(in, n, "skewed");
    free(in);
  }
  const uint64_t sizes[] = {1000, 4096, 65537, 1000003};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    uint64_t n = sizes[k];
    uint8_t *in = (uint8_t *)malloc(n);
    for (uint64_t i = 0; i < n; i++) {
      uint64_t r = rnd();
      /* geometric-ish: short and long codes */
      unsigned v = 0;
      while ((r & 1) && v < 255) {
        v++;
        r >>= 1;
        if (r == 0) r = rnd();
      }
      in[i] = (uint8_t)v;
    }
    roundtrip(in, n, "geometric");
    for (uint64_t i = 0; i < n; i++) in[i] = (uint8_t)rnd();
    roundtrip(in, n, "uniform-large");
    free(in);
  }
}

/* Fibonacci histograms give the deepest trees: 27 symbols break the reference (codes > 25 bits).
 * Up to 34 symbols here (codes of 33 bits: longer than the 32-bit integers of the reference). */
static void test_fibonacci(void) {
  static const int ms[] = {20, 26, 27, 30, 34};
  for (size_t mi = 0; mi < sizeof ms / sizeof ms[0]; mi++) {
    const int m = ms[mi];
    uint64_t f[64];
    f[0] = 1;
    f[1] = 1;
    uint64_t n = 2;
    for (int i = 2; i < m; i++) {
      f[i] = f[i - 1] + f[i - 2];
      n += f[i];
    }
    if (n > 300000000ull) break;
    uint8_t *in = (uint8_t *)malloc(n);
    uint64_t o = 0;
    for (int i = 0; i < m; i++)
      for (uint64_t j = 0; j < f[i]; j++) in[o++] = (uint8_t)(i * 5 + 1);
    for (uint64_t i = n - 1; i > 0; i--) { /* shuffle */
      uint64_t j = rnd() % (i + 1);
      uint8_t t = in[i];
      in[i] = in[j];
      in[j] = t;
    }
    pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
    CHECK(pmc_huffman_plan(in, n, plan) == PMC_OK, "plan");
    CHECK(plan->max_len == m - 1, "fibonacci depth %d (m=%d)", plan->max_len, m);
    free(plan);
    roundtrip(in, n, "fibonacci");
    free(in);
  }
}

/* The encoder's grouped codes (pmc_huffman_encode.c, ENC_GROUP4): Fibonacci histograms with
 * deepest codes of 15 .. 28 bits (the grouped loop's range) and 29 (the code-by-code loop), laid
 * out so that rounds of eight codes take every path: both groups in one flush, a split round,
 * and groups over a flush put code by code (runs of the longest codes). */
/* The longest codes at the very end of the stream: a round that falls back to code-by-code
 * flushes advances up to 29 bytes, so the fast loops must stop that far from the end (an
 * 8-byte room overran the exact-size buffer of compress()'s body comparison: ASan). Common
 * symbols 0..15, then 24 rare ones, once each, last; small (eight-code rounds) and 1 MiB+
 * (pair rounds) inputs. */
static void test_long_codes_at_end(void) {
  static const uint64_t ns[] = {4096, 100003, ((uint64_t)1 << 20) + 4093};
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    const uint64_t n = ns[k];
    uint8_t *in = (uint8_t *)malloc(n);
    for (uint64_t i = 0; i < n - 24; i++) in[i] = (uint8_t)(rnd() & 15);
    for (int r = 0; r < 24; r++) in[n - 24 + r] = (uint8_t)(16 + r);
    roundtrip(in, n, "long codes at the end");
    roundtrip(in + 1, n - 1, "long codes at the end, offset");
    free(in);
  }
}

static void test_grouped_encode(void) {
  static const int ms[] = {16, 22, 29, 30};
  for (size_t mi = 0; mi < sizeof ms / sizeof ms[0]; mi++) {
    const int m = ms[mi];
    uint64_t f[64];
    f[0] = f[1] = 1;
    uint64_t n = 2;
    for (int i = 2; i < m; i++) {
      f[i] = f[i - 1] + f[i - 2];
      n += f[i];
    }
    uint8_t *in = (uint8_t *)malloc(n);
    for (int layout = 0; layout < 3; layout++) {
      uint64_t o = 0;
      if (layout == 0) { /* rarest (longest) first: runs of long codes */
        for (int i = 0; i < m; i++)
          for (uint64_t j = 0; j < f[i]; j++) in[o++] = (uint8_t)i;
      } else { /* long codes spread over rounds: every 3rd / 7th symbol from the rare end */
        uint64_t left[64];
        memcpy(left, f, sizeof left);
        const uint64_t every = layout == 1 ? 3 : 7;
        int rare = 0, common = m - 1;
        for (; o < n; o++) {
          int pick;
          if (o % every == 0) {
            while (rare < m && left[rare] == 0) rare++;
            pick = rare < m ? rare : -1;
          } else {
            while (common >= 0 && left[common] == 0) common--;
            pick = common;
          }
          if (pick < 0) { /* one side exhausted: take from the other */
            pick = 0;
            while (left[pick] == 0) pick++;
          }
          left[pick]--;
          in[o] = (uint8_t)pick;
        }
      }
      roundtrip(in, n, "grouped encode");
      /* an odd tail and an unaligned start */
      roundtrip(in + 3, n - 8, "grouped encode, offset");
    }
    free(in);
  }
}

/* The short-code rounds (max_len <= 14, mean >= 5 bits: 56 / max_len codes per flush): 32 common
 * symbols plus a geometric tail of rarer ones, deeper tails giving longer codes, so that every
 * round size 4..8 is used; round trips with odd lengths and offsets (tails, the last flushes). */
static void test_short_codes(void) {
  unsigned covered = 0;
  const uint64_t n = 50000;
  uint8_t *in = (uint8_t *)malloc(n);
  pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
  for (int depth = 0; depth <= 14; depth++) { /* max_len 6..15 */
    for (uint64_t i = 0; i < n; i++) {
      const uint64_t r = rnd();
      int j = 0; /* P(tail symbol j >= 1) = 2^-(j+3) */
      if (((r >> 40) & 3) == 0) {
        j = 1;
        while (j < depth && ((r >> (8 + j)) & 1)) j++;
      }
      in[i] = j == 0 ? (uint8_t)(r & 31) : (uint8_t)(31 + j);
    }
    CHECK(pmc_huffman_plan(in, n, plan) == PMC_OK, "short codes: plan");
    const uint64_t data_bits = plan->out_bytes * 8 - plan->tree_bits;
    if (plan->max_len <= 14 && data_bits >= 5 * n) {
      const unsigned k = 56u / plan->max_len;
      covered |= 1u << (k > 8 ? 8 : k);
    }
    for (uint64_t len = n - 7; len <= n; len++) roundtrip(in, len, "short codes");
    roundtrip(in + 5, n - 5, "short codes, offset");
    for (uint64_t len = 1; len < 80; len += 3) roundtrip(in, len, "short codes, small");
  }
  CHECK((covered & 0x1f0u) == 0x1f0u, "short codes: rounds of 4..8 all used (0x%x)", covered);
  free(plan);
  free(in);
}

/* Rounds of sixteen codes (pmc_huffman_encode.c: codes of at most 14 bits, mean of at most 2.5
 * bits): a skewed head of four symbols, a geometric tail down to 14-bit codes, and runs of tail
 * symbols every so often, so that some rounds of sixteen do not fit one flush. */
static void test_sixteen_rounds(void) {
  const uint64_t n = 40000;
  uint8_t *in = (uint8_t *)malloc(n);
  pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
  int covered = 0;
  for (int depth = 6; depth <= 14; depth += 2) {
    for (uint64_t i = 0; i < n; i++) {
      const uint64_t r = rnd();
      int j = 0; /* tail symbol 4 + j with P ~ 2^-(j+6) */
      if (((r >> 40) & 31) == 0) {
        while (j < depth && ((r >> (8 + j)) & 1)) j++;
        in[i] = (uint8_t)(4 + j);
      } else {
        in[i] = (uint8_t)((r & 7) < 5 ? 0 : (r & 7) - 4); /* 0 (5/8), 1, 2, 3 */
      }
      if (i % 1009 < 9) in[i] = (uint8_t)(4 + (i % 1009) % 4); /* runs of the tail's head */
    }
    CHECK(pmc_huffman_plan(in, n, plan) == PMC_OK, "sixteen rounds: plan");
    const uint64_t data_bits = plan->out_bytes * 8 - plan->tree_bits;
    if (plan->max_len >= 10 && plan->max_len <= 14 && 16 * data_bits <= 40 * n) covered++;
    roundtrip(in, n, "sixteen rounds");
    roundtrip(in + 3, n - 10, "sixteen rounds, offset");
    for (uint64_t len = 20; len < 200; len += 7) roundtrip(in, len, "sixteen rounds, small");
  }
  CHECK(covered >= 2, "sixteen rounds: inputs in range (%d)", covered);
  free(plan);
  free(in);
}

/* Inputs from PMC_HIST_PAIR_MIN_N bytes: the pair-table histogram (against a byte count, odd
 * lengths and offsets, runs of one pair) and the pair-code emission with 2, 3 and 4 pairs per
 * flush (deepest codes of 7, 9 and 14 bits) and beyond its range (15+ bits). */
static void test_large_inputs(void) {
  const uint64_t n = PMC_HIST_PAIR_MIN_N + 4099;
  uint8_t *in = (uint8_t *)malloc(n);
  for (int kind = 0; kind < 6; kind++) {
    for (uint64_t i = 0; i < n; i++) {
      const uint64_t r = rnd();
      switch (kind) {
        case 0: in[i] = (uint8_t)r; break; /* uniform: 8-bit codes */
        case 1: in[i] = (i & 1) ? (uint8_t)((r >> 20) % 3) : (uint8_t)r; break; /* pixels */
        case 2: in[i] = (i >> 12) & 1 ? 0 : (uint8_t)(r & 63); break; /* runs of zeros */
        case 3: in[i] = (uint8_t)(r & 127); break;                    /* 7-bit codes */
        case 4: in[i] = (uint8_t)(__builtin_ctzll(r | (1ull << 40))); break; /* deep codes */
        default: /* half 64 common symbols, half a geometric tail: 10..14-bit codes */
          in[i] = (r & 1) ? (uint8_t)((r >> 8) & 63)
                          : (uint8_t)(64 + __builtin_ctzll((r >> 16) | (1ull << 11)));
      }
    }
    /* both pair-table sizes (16-bit counters below 256 KiB, 32-bit from 1 MiB) */
    static const uint64_t mid = PMC_HIST_PAIR16_MIN_N + 13;
    for (int off = 0; off < 6; off++) {
      const uint64_t len = off < 3 ? n - off : mid - off;
      uint32_t want[256], got[256];
      memset(want, 0, sizeof want);
      memset(got, 0, sizeof got);
      for (uint64_t i = off; i < off + len; i++) want[in[i]]++;
      pmc_histogram(in + off, len, got);
      CHECK(memcmp(want, got, sizeof want) == 0, "pair histogram, kind %d offset %d", kind, off);
    }
    pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
    CHECK(pmc_huffman_plan(in, n, plan) == PMC_OK, "large plan");
    g_large_max_lens |= 1ull << (plan->max_len < 63 ? plan->max_len : 63);
    free(plan);
    roundtrip(in, n, "large input");
    roundtrip(in + 1, n - 2, "large input, offset");
  }
  /* one pair throughout, up to the 16-bit counters' limit: no counter overflows */
  const uint64_t all = ((uint64_t)1 << 18) - 1;
  memset(in, 7, all);
  uint32_t got[256];
  memset(got, 0, sizeof got);
  pmc_histogram(in, all, got);
  CHECK(got[7] == all, "one-pair histogram %u of %llu", got[7], (unsigned long long)all);
  free(in);
  CHECK((g_large_max_lens & 0xffull) && (g_large_max_lens & 0x300ull) &&
            (g_large_max_lens & 0x7c00ull) && (g_large_max_lens >> 15),
        "large inputs: 4, 3 and 2 pairs per flush and no pairs all used (0x%llx)",
        (unsigned long long)g_large_max_lens);
}

/* Bit writer for hand-made streams */
typedef struct {
  uint8_t buf[4096];
  uint64_t bits;
} bw;
static void bw_put(bw *w, unsigned v, int l) {
  for (int i = l - 1; i >= 0; i--) {
    if ((v >> i) & 1) w->buf[w->bits >> 3] |= (uint8_t)(0x80 >> (w->bits & 7));
    w->bits++;
  }
}

/* A caterpillar tree of depth 255 (256 leaves): codes up to 255 bits, sub-table chains. */
static void test_deep_tree(void) {
  bw w;
  memset(&w, 0, sizeof w);
  for (int i = 0; i < 255; i++) {
    bw_put(&w, 0, 1);     /* internal */
    bw_put(&w, 1, 1);     /* leaf A */
    bw_put(&w, i, 8);
  }
  bw_put(&w, 1, 1);
  bw_put(&w, 255, 8); /* the deepest B leaf */
  /* data: symbols 0 (code 0), 254 (254 ones then 0), 255 (255 ones), 3 (1110) */
  uint8_t expect[5] = {0, 254, 255, 3, 0};
  bw_put(&w, 0, 1);
  for (int i = 0; i < 254; i++) bw_put(&w, 1, 1);
  bw_put(&w, 0, 1);
  for (int i = 0; i < 255; i++) bw_put(&w, 1, 1);
  bw_put(&w, 0xE, 4);
  bw_put(&w, 0, 1);
  const uint64_t len = (w.bits + 7) / 8;
  uint8_t out[5], ref[5];
  pmc_status st = pmc_huffman_decompress(w.buf, len, out, 5);
  CHECK(st == PMC_OK && memcmp(out, expect, 5) == 0, "deep tree decode (%s)", pmc_status_code(st));
  CHECK(ref_decode(w.buf, len, ref, 5) == PMC_OK && memcmp(ref, expect, 5) == 0, "oracle deep");
  /* truncating anywhere inside the long codes */
  for (uint64_t cut = 1; cut < len; cut++) {
    pmc_status a = pmc_huffman_decompress(w.buf, cut, out, 5);
    pmc_status b = ref_decode(w.buf, cut, ref, 5);
    CHECK(a == b, "deep tree cut %llu: %s vs %s", (unsigned long long)cut, pmc_status_code(a),
          pmc_status_code(b));
  }
}

/* The heap-ordered merge of pmc_huffman_plan_from_histogram against the reference's own
 * O(m^2) scan (ties to the later index), on random and tie-heavy histograms. */
static void test_plan_heap(void) {
  static pmc_huff_plan plan;
  for (int iter = 0; iter < 3000; iter++) {
    uint32_t count[256];
    memset(count, 0, sizeof count);
    const int alphabet = 1 + (int)(rnd() % 256);
    const uint32_t spread = iter % 3 == 0 ? 3 : (iter % 3 == 1 ? 50 : 100000);
    uint64_t n = 0;
    for (int s = 0; s < alphabet; s++) {
      if (rnd() % 4 == 0) continue;
      count[(s * 37 + iter) % 256] = 1 + (uint32_t)(rnd() % spread);
    }
    for (int s = 0; s < 256; s++) n += count[s];
    if (n == 0) continue;
    CHECK(pmc_huffman_plan_from_histogram(count, n, &plan) == PMC_OK, "plan %d", iter);
    uint64_t cnt[511];
    int16_t child[511][2];
    int nn = 0;
    for (int s = 0; s < 256; s++)
      if (count[s]) cnt[nn++] = count[s];
    const int m = nn;
    for (int alive = m; alive > 1; alive--) {
      int n1 = -1, n2 = -1;
      for (int k = 0; k < nn; k++) {
        const uint64_t c = cnt[k];
        if (c == 0) continue;
        if (n1 < 0 || c <= cnt[n1]) {
          n2 = n1;
          n1 = k;
        } else if (n2 < 0 || c <= cnt[n2]) {
          n2 = k;
        }
      }
      cnt[nn] = cnt[n1] + cnt[n2];
      cnt[n1] = cnt[n2] = 0;
      child[nn][0] = (int16_t)n1;
      child[nn][1] = (int16_t)n2;
      nn++;
    }
    CHECK(plan.n_nodes == nn, "plan %d: node count", iter);
    int same = 1;
    for (int k = m; k < nn; k++)
      same &= plan.child[k][0] == child[k][0] && plan.child[k][1] == child[k][1];
    CHECK(same, "plan %d: merge order differs from the scan", iter);
  }
}

static void test_errors(void) {
  uint8_t out[4096];
  uint8_t zeros[200];
  memset(zeros, 0, sizeof zeros);
  CHECK(pmc_huffman_decompress(zeros, 200, out, 10) == PMC_ERR_CORRUPT_STREAM, "200 zeros");
  CHECK(pmc_huffman_decompress(zeros, 0, out, 0) == PMC_OK, "empty, 0");
  CHECK(pmc_huffman_decompress(zeros, 0, out, 1) == PMC_ERR_OUTPUT_TOO_LARGE, "empty, 1");
  CHECK(pmc_huffman_decompress(zeros, 1, out, 1) == PMC_ERR_OUTPUT_TOO_LARGE, "1 byte");
  uint8_t leaf[2] = {0x83, 0x80};
  CHECK(pmc_huffman_decompress(leaf, 2, out, 7) == PMC_OK && out[6] == 7, "single leaf, 7");
  CHECK(pmc_huffman_decompress(leaf, 2, out, 8) == PMC_ERR_OUTPUT_TOO_LARGE, "single leaf, 8");
  uint8_t dup[3] = {0x40, 0x20, 0x00}; /* 0 1 00000000 1 00000000: duplicate symbol 0 */
  CHECK(pmc_huffman_decompress(dup, 3, out, 1) == PMC_ERR_CORRUPT_STREAM, "duplicate leaf");
  uint8_t trunc[2] = {0x40, 0x20}; /* second leaf cut */
  CHECK(pmc_huffman_decompress(trunc, 2, out, 1) == PMC_ERR_TRUNCATED_STREAM, "truncated tree");
  CHECK(pmc_huffman_check_output_size(1000, 7991) == PMC_OK, "bound ok");
  CHECK(pmc_huffman_check_output_size(1000, 7992) == PMC_ERR_OUTPUT_TOO_LARGE, "bound");
  uint8_t one = 0;
  CHECK(pmc_huffman_plan(&one, (uint64_t)1 << 32, NULL) == PMC_ERR_INPUT_TOO_LARGE, "too large");
}

/* Raw bytes of uint16 pixels under 1 MiB: every low byte at even positions, a few high bytes at
 * odd ones (dark level ~100, photons, rare hot pixels), so the plan knows the two sets
 * (pair_sets: checked against a direct count) and the encoder fills the pair table for
 * (even x odd) and (odd x even) only. Round trips at even and odd offsets (the sets swap) and
 * odd lengths, every body compared (compress). */
static void test_pixel_bytes(void) {
  const uint64_t rng_before = g_rng; /* the later tests keep their random inputs */
  static const uint64_t pixels[] = {2100, 9000, 65536, 200000, 400000};
  pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
  for (size_t k = 0; k < sizeof pixels / sizeof pixels[0]; k++) {
    const uint64_t n = 2 * pixels[k];
    uint8_t *in = (uint8_t *)malloc(n);
    for (uint64_t i = 0; i < pixels[k]; i++) {
      const uint64_t r = rnd();
      unsigned v = 100 + (unsigned)(r % (k % 2 ? 900 : 3000));
      if ((r >> 40) % 5000 == 0) v = 40000 + (unsigned)((r >> 20) % 20000); /* hot pixel */
      in[2 * i] = (uint8_t)v;
      in[2 * i + 1] = (uint8_t)(v >> 8);
    }
    for (uint64_t off = 0; off < 4; off++) {
      const uint64_t len = n - off - (k & 1);
      CHECK(pmc_huffman_plan(in + off, len, plan) == PMC_OK, "pixel bytes: plan");
      CHECK(plan->pair_sets == 1, "pixel bytes: sets known (n=%llu)", (unsigned long long)len);
      int sets_ok = 1;
      for (int s = 0; s < 256; s++) {
        int even = 0, odd = 0;
        for (uint64_t i = 0; i < len; i++) {
          if (in[off + i] == s) *(i & 1 ? &odd : &even) = 1;
        }
        sets_ok &= even == !!(plan->even_present[s >> 3] & (1u << (s & 7)));
        sets_ok &= odd == !!(plan->odd_present[s >> 3] & (1u << (s & 7)));
      }
      CHECK(sets_ok, "pixel bytes: even/odd sets (n=%llu, offset %llu)", (unsigned long long)len,
            (unsigned long long)off);
      roundtrip(in + off, len, "pixel bytes");
    }
    free(in);
  }
  free(plan);
  g_rng = rng_before;
}

/* An input that no longer matches its plan (a caller's buffer changed between plan and encode,
 * e.g. a shared buffer written during an async call): every body returns an error or a stream
 * of exactly plan->out_bytes, and never writes outside its output (run under ASan by make
 * sanitize). Absent symbols among present ones reach the pair tables' unfilled entries on
 * small inputs with few symbols (pmc_encode_rounds.h, fill_pairs) and on large ones. */
static void test_mismatched_plan(void) {
  const uint64_t rng_before = g_rng; /* the later tests keep their random inputs */
  static const uint64_t sizes[] = {4000, 40000, ((uint64_t)1 << 20) + 3};
  /* 6 symbols: the grouped pair rounds; 48 (5.6 bits each): the short-code pair rounds */
  for (size_t si = 0; si < 2 * sizeof sizes / sizeof sizes[0]; si++) {
    const uint64_t n = sizes[si / 2];
    const unsigned alphabet = si % 2 ? 48 : 6;
    uint8_t *a = (uint8_t *)malloc(n), *b = (uint8_t *)malloc(n);
    for (uint64_t i = 0; i < n; i++) a[i] = (uint8_t)(rnd() % alphabet);
    pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
    CHECK(pmc_huffman_plan(a, n, plan) == PMC_OK, "mismatched plan: plan");
    for (int variant = 0; variant < 3; variant++) {
      memcpy(b, a, n);
      /* absent symbols: scattered, in runs, or every other byte */
      for (uint64_t i = 0; i < n; i++) {
        const int put = variant == 0 ? rnd() % 17 == 0 : variant == 1 ? i % 997 < 40 : i % 2 == 1;
        if (put) b[i] = (uint8_t)(200 + rnd() % 56);
      }
      for (int body = 1; body < PMC_ENC_BODIES; body++) {
        if (!pmc_enc_body_available((pmc_enc_body)body)) continue;
        uint8_t *out = (uint8_t *)malloc(plan->out_bytes);
        const pmc_status st =
            pmc_huffman_encode_body(b, n, plan, out, plan->out_bytes, (pmc_enc_body)body);
        CHECK(st == PMC_ERR_INVALID_ARGUMENT || st == PMC_OK,
              "mismatched plan: body %d status %d (n=%llu, variant %d)", body, st,
              (unsigned long long)n, variant);
        CHECK(variant != 2 || st == PMC_ERR_INVALID_ARGUMENT,
              "mismatched plan: body %d accepted half the input absent (n=%llu)", body,
              (unsigned long long)n);
        free(out);
      }
    }
    free(plan);
    free(a);
    free(b);
  }
  g_rng = rng_before;
}

/* Random and mutated streams: the table decoder must agree with the oracle exactly. */
static void test_decoder_vs_oracle(void) {
  uint8_t in[3000], out[9000], ref[9000];
  for (int iter = 0; iter < 20000; iter++) {
    uint64_t n = rnd() % 3000;
    unsigned alpha = 1 + (unsigned)(rnd() % 256);
    for (uint64_t i = 0; i < n; i++) {
      uint64_t r = rnd();
      in[i] = (uint8_t)((r & 1) ? (r >> 8) % alpha : (r >> 8) % (1 + alpha / 8));
    }
    uint64_t len = 0;
    uint8_t *s = compress(in, n, &len);
    uint8_t *m = (uint8_t *)malloc(len + 64);
    memcpy(m, s, len);
    uint64_t mlen = len;
    switch (iter % 4) {
      case 0: /* bit flips */
        for (int k = 0; k < 1 + (int)(rnd() % 4) && len; k++) m[rnd() % len] ^= (uint8_t)(1 << (rnd() % 8));
        break;
      case 1: /* truncation */
        mlen = len ? rnd() % len : 0;
        break;
      case 2: /* random bytes */
        mlen = rnd() % 64;
        for (uint64_t i = 0; i < mlen; i++) m[i] = (uint8_t)rnd();
        break;
      default:
        break;
    }
    uint64_t want = iter % 8 == 7 ? rnd() % 9000 : n;
    if (want > 9000) want = 9000;
    pmc_status a = pmc_huffman_decompress(m, mlen, out, want);
    pmc_status b = ref_decode(m, mlen, ref, want);
    CHECK(a == b, "iter %d: status %s vs oracle %s", iter, pmc_status_code(a), pmc_status_code(b));
    if (a == PMC_OK && b == PMC_OK) CHECK(memcmp(out, ref, want) == 0, "iter %d: bytes differ", iter);
    if (iter % 4 == 3 && want == n) CHECK(a == PMC_OK && memcmp(out, in, n) == 0, "iter %d rt", iter);
    free(s);
    free(m);
  }
}

/* Batches: every call's status and bytes equal a lone pmc_huffman_decompress, for streams of
 * both table layouts (wide needs >= 256 KiB of output), corrupt and truncated streams, empty
 * calls, and pairs whose buffers overlap. */
static void fill_kind(uint8_t *buf, uint64_t n, int kind) {
  for (uint64_t i = 0; i < n; i++) {
    const uint64_t r = rnd();
    switch (kind) {
      case 0: buf[i] = (uint8_t)(r % 13); break;                           /* memoryless */
      case 1: buf[i] = (i & 1) ? (uint8_t)(r % 2) : (uint8_t)(r >> 8); break; /* uint16 bytes */
      case 2: buf[i] = (uint8_t)((r % 97 == 0) ? r >> 16 : 3); break;      /* sparse */
      default: buf[i] = (uint8_t)(r >> 24); break;                         /* flat */
    }
  }
}

/* Every multi-symbol table layout and width, on valid and hostile streams: each entry equals the
 * greedy decode of its window from the single-symbol table (codes entirely inside, at most the
 * layout's count, 0 when the first code is longer), and decoding with the table agrees with the
 * oracle on status and bytes. */
static uint64_t naive_entry(const uint32_t *tab, unsigned w, uint32_t i, int wide) {
  const uint32_t n = 1u << w;
  const unsigned max = wide ? PMC_WIDE_MAX : PMC_COMPACT_MAX;
  unsigned used = 0, cnt = 0;
  uint64_t m = 0;
  while (cnt < max && used < w) {
    const uint32_t e = tab[(i << used) & (n - 1)];
    if (e & PMC_E_PTR) break;
    const unsigned l = (e >> 16) & 0xff;
    if (used + l > w) break;
    m |= (uint64_t)(e & 0xff) << (8 * (1 + cnt));
    used += l;
    cnt++;
  }
  if (!cnt) return 0;
  return wide ? m | used | ((uint64_t)cnt << 56) : m | used | ((uint64_t)cnt << 6);
}

static void test_table_layouts(void) {
  uint8_t in[6000], out[6000], ref[6000];
  for (int iter = 0; iter < 600; iter++) {
    const uint64_t n = 1 + rnd() % 6000;
    const int kind = (int)(rnd() % 5);
    if (kind < 4) {
      fill_kind(in, n, kind);
    } else {
      for (uint64_t i = 0; i < n; i++) in[i] = (uint8_t)(rnd() % (1 + iter % 40));
    }
    uint64_t len = 0;
    uint8_t *s = compress(in, n, &len);
    uint64_t want = n;
    switch (iter % 5) {
      case 1: if (len) s[rnd() % len] ^= (uint8_t)(1 << (rnd() % 8)); break; /* bit flip */
      case 2: len = len ? rnd() % len : 0; break;                             /* truncated */
      case 3: for (uint64_t i = 0; i < len && i < 40; i++) s[i] = (uint8_t)rnd(); break;
      case 4: want = rnd() % 6000; break; /* too many or too few symbols asked for */
      default: break;
    }
    if (want > sizeof out) want = sizeof out;
    /* the output-size check (contract step 2) is the caller's: stay inside it */
    if (pmc_huffman_check_output_size(len, want) != PMC_OK) want = 8 * len >= 9 ? 8 * len - 9 : 0;
    if (want > sizeof out) want = sizeof out;
    const pmc_status expect = want ? ref_decode(s, len, ref, want) : PMC_OK;
    for (int wide = 0; wide < 2; wide++) {
      const unsigned wmax = wide ? PMC_WIDE_BITS : PMC_COMPACT_BITS;
      for (unsigned w = 1; w <= wmax; w++) {
        pmc_decoder d;
        pmc_status st = pmc_decoder_init_layout(&d, s, len,
                                                wide ? PMC_LAYOUT_WIDE : PMC_LAYOUT_COMPACT, w);
        if (st == PMC_OK && d.layout != PMC_LAYOUT_ONE_SYMBOL) {
          int bad = 0;
          for (uint32_t i = 0; i < (1u << d.w) && !bad; i++) {
            const uint64_t got = wide ? ((const uint64_t *)d.multi)[i]
                                      : ((const uint32_t *)d.multi)[i];
            bad = got != naive_entry(d.tab, d.w, i, wide);
          }
          CHECK(!bad, "iter %d: %s table at w=%u differs from the greedy decode", iter,
                wide ? "wide" : "compact", w);
        }
        if (want) { /* with nothing to decode the contract never parses the stream */
          if (st == PMC_OK) st = pmc_decoder_run(&d, out, want, 0);
          CHECK(st == expect, "iter %d w=%u wide=%d: status %s vs oracle %s", iter, w, wide,
                pmc_status_code(st), pmc_status_code(expect));
          if (st == PMC_OK && expect == PMC_OK)
            CHECK(memcmp(out, ref, want) == 0, "iter %d w=%u wide=%d: bytes differ", iter, w, wide);
        }
        pmc_decoder_free(&d);
      }
    }
    free(s);
  }
}

/* The split decode of one stream (pmc_decode_split.c): on streams long enough to take it, with
 * codes that resynchronise and codes that never do (8-bit codes: B's start is off their phase
 * unless by luck), intact, bit-flipped on either side of the middle, truncated anywhere and
 * asked for fewer or more symbols than they hold: status and bytes equal the oracle's, and the
 * split's own prefix is a true prefix (and, for resynchronising codes, most of the output, so
 * this test does reach the copied half). */
static void test_split_decode(void) {
  int synced = 0, tried = 0;
  for (int iter = 0; iter < 160; iter++) {
    /* every 5th above 2^18 symbols: the sampled estimate of the first half's symbols */
    const uint64_t n = iter % 5 == 4 ? 270000 + rnd() % 300000 : 9000 + rnd() % 150000;
    uint8_t *in = (uint8_t *)malloc(n);
    const int kind = (int)(rnd() % 6);
    if (kind < 4) {
      fill_kind(in, n, kind);
    } else if (kind == 4) {
      for (uint64_t i = 0; i < n; i++) in[i] = (uint8_t)(i < 256 ? i : rnd()); /* 8-bit codes */
    } else {
      for (uint64_t i = 0; i < n; i++) in[i] = (uint8_t)(rnd() % 5 == 0 ? rnd() % 40 : 7);
    }
    uint64_t len = 0;
    uint8_t *st = compress(in, n, &len);
    uint64_t want = n;
    switch (iter % 6) {
      case 1: st[len / 2 + rnd() % 64 - 32] ^= (uint8_t)(1 << (rnd() % 8)); break; /* at B's start */
      case 2: st[rnd() % len] ^= (uint8_t)(1 << (rnd() % 8)); break;
      case 3: len = len / 2 + rnd() % (len / 2); break; /* truncated in B's half */
      case 4: want = n / 2 + rnd() % n; break;          /* fewer or more than the stream holds */
      default: break;
    }
    if (pmc_huffman_check_output_size(len, want) != PMC_OK) want = 8 * len - 9;
    uint8_t *out = (uint8_t *)malloc(want), *ref = (uint8_t *)malloc(want);
    const pmc_status a = pmc_huffman_decompress(st, len, out, want);
    const pmc_status b = ref_decode(st, len, ref, want);
    CHECK(a == b, "split iter %d: status %s vs oracle %s", iter, pmc_status_code(a),
          pmc_status_code(b));
    if (a == PMC_OK && b == PMC_OK) CHECK(memcmp(out, ref, want) == 0, "split iter %d: bytes", iter);
    /* the split alone: a true prefix, at the true position */
    pmc_decoder d;
    if (pmc_decoder_init(&d, st, len, want, PMC_TABLES_ALONE) == PMC_OK) {
      memset(out, 0, want);
      const uint64_t got = pmc_decode_split(&d, out, want);
      if (got > 0 && got < want) { /* resumed by the plain loop: the whole call's result */
        const pmc_status r = pmc_decoder_run(&d, out, want, got);
        CHECK(r == b, "split iter %d: resumed status %s vs %s", iter, pmc_status_code(r),
              pmc_status_code(b));
        if (r == PMC_OK && b == PMC_OK)
          CHECK(memcmp(out, ref, want) == 0, "split iter %d: resumed bytes", iter);
      }
      if (got > 0) { /* the split's prefix is the oracle's first `got` symbols */
        CHECK(ref_decode(st, len, ref, got) == PMC_OK && memcmp(out, ref, got) == 0,
              "split iter %d: prefix of %llu differs", iter, (unsigned long long)got);
      }
      if (kind == 0 && iter % 6 == 0) {
        tried++;
        synced += got > want / 2 + 64;
      }
      pmc_decoder_free(&d);
    }
    free(in);
    free(st);
    free(out);
    free(ref);
  }
  CHECK(tried > 0 && synced == tried, "split synced on %d of %d memoryless streams", synced, tried);
}

/* Span by span (pmc_decode_split_span, as the wasm loader decodes): any span sizes, end
 * estimates exact, short, long or past the stream, on intact, bit-flipped and truncated streams:
 * every span's status and bytes are the oracle's, and on intact memoryless streams with
 * accurate estimates most symbols come from the split. */
static void test_split_span(void) {
  uint64_t split_symbols = 0, memoryless_symbols = 0;
  for (int iter = 0; iter < 60; iter++) {
    const uint64_t n = 200000 + rnd() % 900000;
    uint8_t *in = (uint8_t *)malloc(n);
    const int kind = iter % 8 == 0 ? 0 : (int)(rnd() % 5);
    if (kind < 4) {
      fill_kind(in, n, kind);
    } else { /* density changing from span to span: long codes, then short ones, ... */
      for (uint64_t i = 0; i < n; i++)
        in[i] = (uint8_t)((i / 150000) % 2 ? (rnd() % 9 == 0 ? rnd() % 30 : 3) : rnd());
    }
    uint64_t len = 0;
    uint8_t *st = compress(in, n, &len);
    switch (iter % 4) {
      case 1: st[rnd() % len] ^= (uint8_t)(1 << (rnd() % 8)); break;
      case 2: len = len / 3 + rnd() % (2 * len / 3); break;
      default: break;
    }
    uint64_t want = n;
    if (pmc_huffman_check_output_size(len, want) != PMC_OK) want = 8 * len - 9;
    uint8_t *out = (uint8_t *)malloc(want), *ref = (uint8_t *)malloc(want);
    const pmc_status b = ref_decode(st, len, ref, want);
    pmc_decoder d;
    const pmc_status init = pmc_decoder_init(&d, st, len, want, PMC_TABLES_ALONE);
    pmc_status a = init;
    /* exact, short, long, past the stream */
    const int estimate = iter % 4 == 0 ? 0 : (int)(rnd() % 4);
    for (uint64_t o = 0; a == PMC_OK && o < want;) {
      const uint64_t span = 1 + rnd() % 400000, k = span < want - o ? span : want - o;
      const double bps = (double)(len * 8) / (double)want;
      const double f = estimate == 1 ? 0.7 : estimate == 2 ? 1.4 : 1.0;
      const uint64_t end = estimate == 3 ? ~(uint64_t)0 : d.p + (uint64_t)(bps * f * (double)k);
      const uint64_t got = pmc_decode_split_span(&d, out + o, k, end);
      CHECK(got <= k, "span iter %d: prefix %llu of %llu", iter, (unsigned long long)got,
            (unsigned long long)k);
      if (kind == 0 && iter % 4 == 0 && estimate == 0 && k >= 65536) {
        split_symbols += got;
        memoryless_symbols += k;
      }
      a = pmc_decoder_run(&d, out, o + k, o + got);
      o += k;
    }
    if (init == PMC_OK) pmc_decoder_free(&d);
    CHECK(a == b, "span iter %d: status %s vs oracle %s", iter, pmc_status_code(a),
          pmc_status_code(b));
    if (a == PMC_OK && b == PMC_OK) CHECK(memcmp(out, ref, want) == 0, "span iter %d: bytes", iter);
    free(in);
    free(st);
    free(out);
    free(ref);
  }
  CHECK(memoryless_symbols == 0 || split_symbols > memoryless_symbols / 2,
        "split spans decoded %llu of %llu symbols", (unsigned long long)split_symbols,
        (unsigned long long)memoryless_symbols);
}

static void test_batch(void) {
  enum { CALLS = 13 };
  for (int iter = 0; iter < 40; iter++) {
    const uint8_t *streams[CALLS];
    uint64_t lens[CALLS], sizes[CALLS];
    uint8_t *outs[CALLS], *ins[CALLS], *refs[CALLS];
    uint8_t *owned[CALLS];
    pmc_status st[CALLS], want[CALLS];
    for (int c = 0; c < CALLS; c++) {
      const uint64_t n = (rnd() % 5 == 0) ? 300000 + rnd() % 100000 : rnd() % 5000;
      ins[c] = (uint8_t *)malloc(n ? n : 1);
      fill_kind(ins[c], n, (int)(rnd() % 4));
      uint64_t len = 0;
      owned[c] = compress(ins[c], n, &len);
      sizes[c] = n;
      switch (rnd() % 6) {
        case 0: if (len) owned[c][rnd() % len] ^= (uint8_t)(1 << (rnd() % 8)); break;
        case 1: len = len ? rnd() % len : 0; break;
        case 2: sizes[c] = n ? rnd() % n : 0; break;
        default: break;
      }
      streams[c] = owned[c];
      lens[c] = len;
      outs[c] = (uint8_t *)malloc(sizes[c] ? sizes[c] : 1);
      refs[c] = (uint8_t *)malloc(sizes[c] ? sizes[c] : 1);
      want[c] = pmc_huffman_decompress(streams[c], lens[c], refs[c], sizes[c]);
    }
    const pmc_status first = pmc_huffman_decompress_batch(CALLS, streams, lens, outs, sizes, st);
    pmc_status want_first = PMC_OK;
    for (int c = 0; c < CALLS; c++) {
      if (want_first == PMC_OK) want_first = want[c];
      CHECK(st[c] == want[c], "batch %d call %d: %s vs %s", iter, c, pmc_status_code(st[c]),
            pmc_status_code(want[c]));
      if (st[c] == PMC_OK && want[c] == PMC_OK && sizes[c])
        CHECK(memcmp(outs[c], refs[c], sizes[c]) == 0, "batch %d call %d: bytes differ", iter, c);
    }
    CHECK(first == want_first, "batch %d: first status", iter);
    for (int c = 0; c < CALLS; c++) {
      free(ins[c]);
      free(owned[c]);
      free(outs[c]);
      free(refs[c]);
    }
  }
  /* A pair whose second output is the first's stream: decoded in order, as two calls would. */
  uint8_t a[4000], b[4000];
  fill_kind(a, sizeof a, 0);
  fill_kind(b, sizeof b, 1);
  uint64_t la = 0, lb = 0;
  uint8_t *sa = compress(a, sizeof a, &la), *sb = compress(b, sizeof b, &lb);
  uint8_t *buf = (uint8_t *)malloc(la + sizeof b);
  memcpy(buf, sa, la);
  uint8_t out_a[4000];
  const uint8_t *streams[2] = {buf, sb};
  const uint64_t lens[2] = {la, lb}, sizes[2] = {sizeof a, sizeof b};
  uint8_t *outs[2] = {out_a, buf}; /* call 2 writes over call 1's stream */
  pmc_status st[2];
  CHECK(pmc_huffman_decompress_batch(2, streams, lens, outs, sizes, st) == PMC_OK, "overlap pair");
  CHECK(memcmp(out_a, a, sizeof a) == 0 && memcmp(buf, b, sizeof b) == 0, "overlap pair bytes");
  CHECK(pmc_huffman_decompress_batch(0, NULL, NULL, NULL, NULL, NULL) == PMC_OK, "empty batch");
  free(sa);
  free(sb);
  free(buf);
}

/* Independent model of the quantizer, written with doubles rounded to float like the TS code. */
static uint8_t model_quant(uint16_t x, float off, float scale) {
  float qs = (float)(1.0 / (double)scale);
  float v = (float)((double)x - (double)off);
  if (v < 0) return 0;
  float s = (float)sqrt((double)v);
  float r = (float)((double)qs * (double)s);
  if (r >= 255.5f) return 255;
  return (uint8_t)floor((double)r + 0.5);
}

static void test_quantize(void) {
  const float params[][2] = {{0, 1}, {100, 1}, {100, 0.5f}, {99.5f, 0.37f}, {-3.25f, 2.7f},
                             {1000.7f, 0.01f}, {0, 1e-30f}, {70000.0f, 1.0f}, {0.1f, 3e38f},
                             {-1e30f, 1.0f},
                             /* r = k + 1/2 exactly at x = k^2 + k (the AVX-512 guard's fallback) */
                             {-0.25f, 1.0f}, {-0.25f, 0.5f}, {-0.0625f, 0.25f},
                             /* subnormal v at x = 0 (the AVX-512 body defers to AVX2) */
                             {-1e-40f, 1e-30f}, {255.0f, 1e-3f}, {3.0f, 1e-20f}};
  uint16_t *x = (uint16_t *)malloc(65536 * 2 + 2);
  uint8_t *bytes = (uint8_t *)malloc(65536 * 2 + 3);
  for (uint32_t i = 0; i < 65536; i++) x[i] = (uint16_t)i;
  memcpy(bytes + 1, x, 65536 * 2); /* odd address */
  uint8_t *q1 = (uint8_t *)malloc(65537), *q2 = (uint8_t *)malloc(65537);
  const int have_avx2 = pmc_cpu_has_avx2();
  const int top_body = pmc_cpu_has_avx512() ? 3 : have_avx2 ? 2 : 1; /* every body up to this */
  for (size_t k = 0; k < sizeof params / sizeof params[0]; k++) {
    const float off = params[k][0], sc = params[k][1];
    CHECK(pmc_quantize(bytes + 1, 65536, off, sc, q1 + 1, PMC_DISPATCH_SCALAR) == PMC_OK, "q");
    int bad = 0;
    for (uint32_t i = 0; i < 65536; i++) bad += q1[i + 1] != model_quant((uint16_t)i, off, sc);
    CHECK(bad == 0, "scalar quantize vs model (offset %g scale %g): %d differ", off, sc, bad);
    /* the small-n path (no table) */
    CHECK(pmc_quantize(bytes + 1, 1000, off, sc, q2, PMC_DISPATCH_SCALAR) == PMC_OK, "q");
    CHECK(memcmp(q2, q1 + 1, 1000) == 0, "scalar small path");
    for (int body = 2; body <= top_body; body++) {
      for (uint64_t start = 0; start < 3; start++) {
        CHECK(pmc_quantize(bytes + 1 + 2 * start, 65536 - start, off, sc, q2 + 1,
                           (pmc_dispatch)body) == PMC_OK, "q body %d", body);
        CHECK(memcmp(q2 + 1, q1 + 1 + start, 65536 - start) == 0,
              "body %d quantize vs scalar (offset %g scale %g start %d)", body, off, sc,
              (int)start);
      }
      /* the fused quantize + count body, all 65,536 inputs */
      static pmc_huff_plan plan;
      memset(q2, 0xAB, 65536);
      uint32_t want[256];
      memset(want, 0, sizeof want);
      for (uint32_t i = 0; i < 65536; i++) want[q1[i + 1]]++;
      CHECK(pmc_quantize_into_plan(bytes + 1, 65536, off, sc, (pmc_dispatch)body, q2, &plan) ==
                PMC_OK, "into_plan body %d", body);
      CHECK(memcmp(q2, q1 + 1, 65536) == 0 && memcmp(plan.count, want, sizeof want) == 0,
            "body %d fused quantize + count vs scalar (offset %g scale %g)", body, off, sc);
    }
  }
  CHECK(pmc_quant_check_params(0, 0) == PMC_ERR_INVALID_ARGUMENT, "scale 0");
  CHECK(pmc_quant_check_params(0, -1) == PMC_ERR_INVALID_ARGUMENT, "scale < 0");
  CHECK(pmc_quant_check_params(INFINITY, 1) == PMC_ERR_INVALID_ARGUMENT, "offset inf");
  CHECK(pmc_quant_check_params(0, 1e-45f) == PMC_ERR_INVALID_ARGUMENT, "1/scale inf");
  CHECK(pmc_quant_check_params(0, NAN) == PMC_ERR_INVALID_ARGUMENT, "scale NaN");
  pmc_dispatch d;
  CHECK(pmc_resolve_dispatch(PMC_DISPATCH_AVX2, &d) == (have_avx2 ? PMC_OK : PMC_ERR_INVALID_ARGUMENT),
        "avx2 dispatch");
  CHECK(pmc_resolve_dispatch(PMC_DISPATCH_AVX512, &d) ==
            (top_body == 3 ? PMC_OK : PMC_ERR_INVALID_ARGUMENT), "avx512 dispatch");
  CHECK(pmc_resolve_dispatch(PMC_DISPATCH_AUTO, &d) == PMC_OK && (int)d == top_body, "auto");
  /* dequantize */
  uint8_t qs[256 + 1];
  for (int i = 0; i < 256; i++) qs[i + 1] = (uint8_t)i;
  uint8_t deq[512 + 1];
  CHECK(pmc_dequantize(qs + 1, 256, 100.0f, 1.0f, deq + 1, PMC_DISPATCH_AUTO) == PMC_OK, "dq");
  uint16_t v;
  memcpy(&v, deq + 1 + 2 * 10, 2);
  CHECK(v == 200, "dequantize(10; 100, 1) = 200, got %u", v);
  memcpy(&v, deq + 1 + 2 * 255, 2);
  CHECK(v == 65125, "dequantize(255; 100, 1) = 65125, got %u", v);
  CHECK(pmc_dequantize_one(255, 0, 2.0f) == 65535, "saturate");
  CHECK(pmc_dequantize_one(0, -5.0f, 1.0f) == 0, "clamp 0");
  CHECK(pmc_dequantize_one(3, 0.5f, 0.5f) == 2, "trunc 2.75 -> 2");
  /* quant + encode == encode(quantize) */
  const uint64_t n = 300007; /* above the scalar table threshold */
  uint16_t *frame = (uint16_t *)malloc(n * 2);
  for (uint64_t i = 0; i < n; i++) frame[i] = (uint16_t)(100 + rnd() % 50 + ((rnd() & 255) == 0 ? rnd() % 60000 : 0));
  uint8_t *fq = (uint8_t *)malloc(n);
  pmc_quantize(frame, n, 100, 1, fq, PMC_DISPATCH_SCALAR);
  uint64_t l1 = 0, l2 = 0;
  uint8_t *s1 = compress(fq, n, &l1);
  uint8_t *s2 = NULL;
  for (int body = 1; body <= top_body; body++) {
    CHECK(pmc_huffman_compress_quant(frame, n, 100, 1, (pmc_dispatch)body, &s2, &l2) == PMC_OK, "cq");
    CHECK(l1 == l2 && memcmp(s1, s2, l1) == 0, "compress_quant == compress(quantize) body %d", body);
    free(s2);
  }
  free(s1);
  /* The fused pass's counts (the AVX2 body counts each chunk a few chunks after making it):
   * every size around its chunk, lag and tail boundaries, each body, against a histogram of the
   * scalar model's symbols. */
  static const uint64_t sizes[] = {1,   31,  32,  33,  63,  64,  65,  127,  128,  129, 159,
                                   160, 161, 191, 192, 193, 255, 256, 1000, 8191, 8193};
  uint8_t *fs = (uint8_t *)malloc(n);
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    check_fused_count(frame, sizes[k], fq, fs, top_body, "fused pass");
  }
  free(fs);
  test_frequent_quantize(top_body);
  free(fq);
  free(frame);
  free(x);
  free(bytes);
  free(q1);
  free(q2);
}

/* Regression inputs kept from fuzzing: csrc/test/regressions/<name>. Each file is decoded with
 * several output sizes (table decoder vs oracle) and round-tripped as plain data. */
static void test_regressions(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  int count = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    count++;
    const int is_decode = strncmp(e->d_name, "decode-", 7) == 0;
    const int is_roundtrip = strncmp(e->d_name, "roundtrip-", 10) == 0;
    if (!is_roundtrip) CHECK(fuzz_decode_one(buf, n) == 0, "regression %s: fuzz_decode check", e->d_name);
    if (!is_decode) CHECK(fuzz_roundtrip_one(buf, n) == 0, "regression %s: fuzz_roundtrip check", e->d_name);
    roundtrip(buf, n, e->d_name);
    static uint8_t out[1 << 16], ref[1 << 16];
    const uint64_t sizes[] = {0, 1, 2, 7, 64, 1000, 65535};
    for (size_t k = 0; k < 7; k++) {
      pmc_status a = pmc_huffman_decompress(buf, n, out, sizes[k]);
      pmc_status b = ref_decode(buf, n, ref, sizes[k]);
      CHECK(a == b, "regression %s size %llu: %s vs %s", e->d_name, (unsigned long long)sizes[k],
            pmc_status_code(a), pmc_status_code(b));
      if (a == PMC_OK && b == PMC_OK) CHECK(memcmp(out, ref, sizes[k]) == 0, "regression bytes");
    }
  }
  closedir(d);
  printf("regression inputs: %d\n", count);
}

int main(int argc, char **argv) {
  test_worked_example();
  test_roundtrips();
  test_fibonacci();
  test_grouped_encode();
  test_long_codes_at_end();
  test_short_codes();
  test_deep_tree();
  test_plan_heap();
  test_errors();
  test_mismatched_plan();
  test_pixel_bytes();
  test_decoder_vs_oracle();
  test_table_layouts();
  test_split_decode();
  test_split_span();
  test_batch();
  test_quantize();
  test_sixteen_rounds();
  test_large_inputs();
  test_frequent_histogram();
  test_regressions(argc > 1 ? argv[1] : "test/regressions");
  CHECK((g_enc_bodies_run & 6u) == 6u, "portable encoder bodies run (0x%x)", g_enc_bodies_run);
  if (pmc_enc_body_available(PMC_ENC_BMI2))
    CHECK((g_enc_bodies_run & 24u) == 24u, "BMI2 encoder bodies run (0x%x)", g_enc_bodies_run);
  printf("large inputs' deepest codes: 0x%llx\n", (unsigned long long)g_large_max_lens);
  printf("%d checks, %d failed (avx2 %s, avx512 %s, avx512 vbmi2 %s)\n", g_checks, g_failed,
         pmc_cpu_has_avx2() ? "tested" : "not available",
         pmc_cpu_has_avx512() ? "tested" : "not available",
         pmc_cpu_has_avx512_vbmi2() ? "tested" : "not available");
  return g_failed ? 1 : 0;
}
