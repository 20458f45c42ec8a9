/*
 * Encoder of the Basic Compression Library Huffman stream as written by pymecompress 0.3.6
 * (docs/FORMAT.md §1): the reference's exact tree-building rule (lightest two alive nodes, ties
 * to the later index), codes of any depth (up to 255 bits), a 64-bit MSB-first bit accumulator
 * that takes a group of codes (as many as fit in 56 bits) between branch-free 8-byte flushes;
 * codes of at most 14 bits and a mean of 5+ bits take a fixed number per flush, no branch.
 * Inputs of 1 MiB and more look codes up two symbols at a time (a 64 Ki-entry pair table). The
 * loops are compiled twice, portable and with BMI2 (chosen per call from the CPU); the tests
 * run every body (pmc_huffman_encode_body) and compare their bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "pmc_internal.h"

uint64_t pmc_max_compressed_size(uint64_t n) { return n == 0 ? 0 : n + 321; }

/* Merge order of the reference's tree building: a before b when lighter, or as heavy and
 * created later. */
PMC_INLINE int merges_before(const uint64_t *cnt, int a, int b) {
  return cnt[a] < cnt[b] || (cnt[a] == cnt[b] && a > b);
}

static void heap_push(int *heap, int *size, int node, const uint64_t *cnt) {
  int i = (*size)++;
  while (i > 0) {
    const int parent = (i - 1) / 2;
    if (!merges_before(cnt, node, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = node;
}

static int heap_pop(int *heap, int *size, const uint64_t *cnt) {
  const int top = heap[0];
  const int last = heap[--(*size)];
  int i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= *size) break;
    if (c + 1 < *size && merges_before(cnt, heap[c + 1], heap[c])) c++;
    if (!merges_before(cnt, heap[c], last)) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
  return top;
}

pmc_status pmc_huffman_plan_from_histogram(const uint32_t count[256], uint64_t n,
                                           pmc_huff_plan *plan) {
  if (pmc_too_large(n)) return PMC_ERR_INPUT_TOO_LARGE;
  memset(plan, 0, sizeof *plan);
  plan->n = n;
  if (n == 0) return PMC_OK;
  memcpy(plan->count, count, sizeof plan->count);

  uint64_t cnt[511];
  int nn = 0;
  for (int s = 0; s < 256; s++) {
    if (count[s] != 0) {
      cnt[nn] = count[s];
      plan->sym[nn] = (uint8_t)s;
      plan->child[nn][0] = plan->child[nn][1] = -1;
      nn++;
    }
  }
  const int m = nn;
  if (m == 0) return PMC_ERR_INVALID_ARGUMENT; /* counts that do not sum to n > 0 */
  /* The reference's merge loop scans every created node in index order and keeps the lightest
   * (n1) and second lightest (n2) with `<=`, so ties go to the later index: n1 and n2 are the two
   * smallest nodes in (count, later index first) order. A binary heap in that order gives the
   * same pairs in O(m log m) instead of O(m^2) (which cost 2 cycles per byte on 256x256 tiles).
   * Checked against the scan on random and tie-heavy histograms (test_main.c, test_plan_heap). */
  int heap[256];
  int size = 0;
  for (int k = 0; k < m; k++) heap_push(heap, &size, k, cnt);
  for (int alive = m; alive > 1; alive--) {
    const int n1 = heap_pop(heap, &size, cnt);
    const int n2 = heap_pop(heap, &size, cnt);
    cnt[nn] = cnt[n1] + cnt[n2];
    plan->child[nn][0] = (int16_t)n1;
    plan->child[nn][1] = (int16_t)n2;
    plan->sym[nn] = 0;
    heap_push(heap, &size, nn, cnt);
    nn++;
  }
  plan->n_nodes = (uint16_t)nn;
  plan->root = (uint16_t)(nn - 1);
  plan->tree_bits = (uint16_t)(10 * m - 1);

  if (m == 1) {
    /* One leaf: the encoder writes a single 0 bit per input byte. */
    const int s = plan->sym[0];
    plan->len[s] = 1;
    plan->max_len = 1;
    plan->code[s][0] = 0;
  } else {
    /* Children always have smaller indices than their parent: assign codes top-down. */
    uint64_t ncode[511][4];
    uint8_t depth[511];
    memset(ncode[nn - 1], 0, sizeof ncode[0]);
    depth[nn - 1] = 0;
    int max_len = 0;
    for (int k = nn - 1; k >= m; k--) {
      const int d = depth[k];
      for (int b = 0; b < 2; b++) {
        const int c = plan->child[k][b];
        memcpy(ncode[c], ncode[k], sizeof ncode[0]);
        if (b) ncode[c][d >> 6] |= (uint64_t)1 << (63 - (d & 63));
        depth[c] = (uint8_t)(d + 1);
      }
    }
    for (int k = 0; k < m; k++) {
      const int s = plan->sym[k];
      plan->len[s] = depth[k];
      memcpy(plan->code[s], ncode[k], sizeof ncode[0]);
      if (depth[k] > max_len) max_len = depth[k];
    }
    plan->max_len = (uint8_t)max_len;
  }

  uint64_t data_bits = 0;
  for (int s = 0; s < 256; s++) data_bits += (uint64_t)count[s] * plan->len[s];
  plan->out_bytes = (plan->tree_bits + data_bits + 7) >> 3;
  return PMC_OK;
}

pmc_status pmc_huffman_plan(const uint8_t *in, uint64_t n, pmc_huff_plan *plan) {
  if (pmc_too_large(n)) return PMC_ERR_INPUT_TOO_LARGE;
  uint32_t count[256];
  memset(count, 0, sizeof count);
  pmc_histogram(in, n, count);
  return pmc_huffman_plan_from_histogram(count, n, plan);
}

/* Bit writer for the slow paths: byte-at-a-time flushes, bounds-checked. */
typedef struct bitw {
  uint64_t acc; /* pending bits, MSB-aligned */
  unsigned nbits;
  uint8_t *op;
  uint8_t *end;
} bitw;

/* Appends the low `l` bits of `v` (l <= 56). */
static inline int bitw_put(bitw *w, uint64_t v, unsigned l) {
  if (l == 0) return 1;
  w->acc |= v << (64 - w->nbits - l);
  w->nbits += l;
  while (w->nbits >= 8) {
    if (PMC_UNLIKELY(w->op >= w->end)) return 0;
    *w->op++ = (uint8_t)(w->acc >> 56);
    w->acc <<= 8;
    w->nbits -= 8;
  }
  return 1;
}

/* Appends the first `l` bits of a left-aligned 256-bit code. */
static int bitw_put_long(bitw *w, const uint64_t code[4], unsigned l) {
  unsigned done = 0;
  while (done < l) {
    unsigned chunk = l - done;
    if (chunk > 32) chunk = 32;
    const unsigned word = done >> 6, bit = done & 63;
    /* bits [done, done+chunk) live in at most two words */
    uint64_t hi = code[word] << bit;
    if (bit + chunk > 64) hi |= code[word + 1] >> (64 - bit);
    if (!bitw_put(w, hi >> (64 - chunk), chunk)) return 0;
    done += chunk;
  }
  return 1;
}

static int write_tree(bitw *w, const pmc_huff_plan *plan) {
  int stack[512];
  int sp = 0;
  stack[sp++] = plan->root;
  while (sp > 0) {
    const int k = stack[--sp];
    if (plan->child[k][0] < 0) {
      if (!bitw_put(w, 0x100u | plan->sym[k], 9)) return 0;
    } else {
      if (!bitw_put(w, 0, 1)) return 0;
      stack[sp++] = plan->child[k][1];
      stack[sp++] = plan->child[k][0];
    }
  }
  return 1;
}

/* acc holds nbits pending bits MSB-first; codes are stored left-aligned so that appending one is
 * a shift right by nbits (nbits + len <= 63 between flushes). */
#define ENC_PUT(sym)                 \
  do {                               \
    const unsigned s_ = (sym);       \
    acc |= lcode[s_] >> nbits;       \
    nbits += lens[s_];               \
  } while (0)

#define ENC_FLUSH()                   \
  do {                                \
    pmc_store_be64(op, acc);          \
    op += nbits >> 3;                 \
    acc <<= (nbits & ~7u);            \
    nbits &= 7u;                      \
  } while (0)

/* Grouped codes (docs/FORMAT.md §1.3 bit order unchanged): four codes are concatenated among
 * themselves, as a tree (a|b, c|d, then both), before they touch the accumulator, so the chain
 * from one group to the next is only the accumulator's shift, OR and flush; the loads and
 * concatenations of the next group run in parallel with it. With codes of at most
 * ENC_GROUP_MAX_LEN bits a pair is at most 56 bits, so every shift below stays under 64; a group
 * of more than ENC_FLUSH_BITS bits (possible only when max_len > 14) is put code by code. */
#define ENC_GROUP_MAX_LEN 28
/* Bits one flush may take: the flush leaves fewer than 8 pending bits, and 7 + 56 <= 63. */
#define ENC_FLUSH_BITS 56
_Static_assert(2 * ENC_GROUP_MAX_LEN <= ENC_FLUSH_BITS, "a pair of codes fits one flush");
_Static_assert(7 + ENC_FLUSH_BITS <= 63, "pending bits + a flush's group fit the accumulator");
_Static_assert(4 * 14 <= ENC_FLUSH_BITS, "groups of codes up to 14 bits never split");

/* g, L: the concatenated codes of p[0..3] (left-aligned) and their total length; the result is
 * exact when L <= 64 (always when max_len <= 16), and only used when L <= ENC_FLUSH_BITS. */
#define ENC_GROUP4(g, L, p)                                             \
  uint64_t g;                                                           \
  unsigned L;                                                           \
  do {                                                                  \
    const unsigned a_ = (p)[0], b_ = (p)[1], c_ = (p)[2], d_ = (p)[3];  \
    const unsigned la_ = lens[a_], lc_ = lens[c_];                      \
    const unsigned lab_ = la_ + lens[b_];                               \
    const uint64_t ab_ = lcode[a_] | (lcode[b_] >> la_);                \
    const uint64_t cd_ = lcode[c_] | (lcode[d_] >> lc_);                \
    g = ab_ | (cd_ >> lab_);                                            \
    L = lab_ + lc_ + lens[d_];                                          \
  } while (0)

/* Puts group (g, L) of p[0..3] and flushes; code by code when the group is over a flush. */
#define ENC_PUT_GROUP(p, g, L)                        \
  do {                                                \
    if (PMC_LIKELY((L) <= ENC_FLUSH_BITS)) {          \
      acc |= (g) >> nbits;                            \
      nbits += (L);                                   \
      ENC_FLUSH();                                    \
    } else {                                          \
      for (int j_ = 0; j_ < 4; j_++) {                \
        ENC_PUT((p)[j_]);                             \
        ENC_FLUSH();                                  \
      }                                               \
    }                                                 \
  } while (0)

/* Puts groups (g0, L0) and (g1, L1) of p[0..7]: one flush when they fit it together. */
#define ENC_ROUND8(p, g0, L0, g1, L1)                                                  \
  do {                                                                                 \
    if (PMC_LIKELY((L0) + (L1) <= ENC_FLUSH_BITS)) {                                   \
      acc |= ((g0) | ((g1) >> (L0))) >> nbits; /* L0 <= 56 here: the shift is defined */ \
      nbits += (L0) + (L1);                                                            \
      ENC_FLUSH();                                                                     \
    } else {                                                                           \
      ENC_PUT_GROUP((p), g0, L0);                                                      \
      ENC_PUT_GROUP((p) + 4, g1, L1);                                                  \
    }                                                                                  \
  } while (0)

/* Sixteen codes a round when their mean total is at most 40 of the 56 bits (2.5 bits/symbol:
 * rounds that do not fit are then rare), else eight. */
static int enc_sixteen_fit(const pmc_huff_plan *plan) {
  const uint64_t data_bits = plan->out_bytes * 8 - plan->tree_bits;
  return 16 * data_bits <= 40 * plan->n;
}

/* Short codes (max_len <= ENC_SHORT_MAX_LEN): K = 56 / max_len codes always fit one flush, so
 * the K codes of a round are concatenated off the accumulator's chain (they do not depend on it)
 * and put with one shift, OR and flush, and no branch on their length: when the mean code is long
 * (high-entropy bytes, ~6 bits/symbol and more) the eight-code round's "do both groups fit one
 * flush" test is close to a coin toss and its mispredictions cost more than the extra flushes. */
#define ENC_SHORT_MAX_LEN 14
_Static_assert(4 * ENC_SHORT_MAX_LEN <= ENC_FLUSH_BITS, "at least four short codes per flush");
#define ENC_ROUND_K(K)                                                   \
  do {                                                                   \
    _Static_assert((K) >= 1 && (K) <= 8, "1..8 codes per round");        \
    while (i + (K) <= n && op <= safe) {                                 \
      const uint8_t *p_ = in + i;                                        \
      uint64_t g_ = lcode[p_[0]];                                        \
      unsigned L_ = lens[p_[0]];                                         \
      for (int j_ = 1; j_ < (K); j_++) {                                 \
        g_ |= lcode[p_[j_]] >> L_; /* L_ < K * max_len <= 56 */          \
        L_ += lens[p_[j_]];                                              \
      }                                                                  \
      acc |= g_ >> nbits;                                                \
      nbits += L_;                                                       \
      ENC_FLUSH();                                                       \
      i += (K);                                                          \
    }                                                                    \
  } while (0)

/* The short-code rounds pay when the mean code is long enough that eight codes often exceed one
 * flush (5 bits: eight average 40 of the 56 bits); below it the eight-code round's test is
 * predictable and its single flush per eight codes wins (measured on the corpus and on uniform
 * and two-level synthetic bytes: bench-encode in the Makefile). */
static int enc_short_pays(const pmc_huff_plan *plan) {
  const uint64_t data_bits = plan->out_bytes * 8 - plan->tree_bits; /* rounded up to a byte */
  return data_bits >= 5 * plan->n;
}

/* Pair codes (docs/FORMAT.md §1.3 bit order unchanged): for inputs of at least ENC_PAIR_MIN_N
 * bytes with codes of at most ENC_GROUP_MAX_LEN bits, a 64 Ki-entry table gives the
 * concatenated codes of two consecutive bytes (right-aligned) and a second their total length,
 * so three loads, a shift, an OR and an add put two symbols. Camera data (the low and high byte
 * of a pixel, or two neighbouring quantized pixels) touches a small part of the tables; their
 * 64 Ki-entry fill is amortised only over large inputs.
 * These rounds keep the accumulator right-aligned (the newest bit lowest, `nbits` of them
 * pending): a round's codes are concatenated off the accumulator's chain, which is then only a
 * shift and an OR; the flush left-aligns a copy (shift by 64 - nbits), so 57 bits fit a round
 * (7 pending + 57 = 64). Codes of at most ENC_SHORT_MAX_LEN bits with a long mean take
 * K = 57 / max_len codes a round (pairs plus one single code when K is odd), no branch; the
 * others take ENC_PAIR_GROUP codes and test that they fit (pairs of more than 32 bits have the
 * length ENC_PAIR_TOO_LONG, which fails the test), else put them code by code. */
#define ENC_PAIR_MIN_N ((uint64_t)1 << 20)
#define ENC_ROUND_BITS 57
#define ENC_PAIR_TOO_LONG 58u /* > ENC_ROUND_BITS, and a defined shift of a 64-bit value */
_Static_assert(7 + ENC_ROUND_BITS <= 64, "pending bits + a round fit the accumulator");
_Static_assert(2 * ENC_SHORT_MAX_LEN <= 32, "a short pair code fits 32 bits");
_Static_assert(ENC_GROUP_MAX_LEN <= 32, "a single code fits 32 bits");

typedef struct enc_pairs {
  uint32_t code[65536]; /* codes of in[i] then in[i + 1], index in[i] | in[i + 1] << 8 */
  uint8_t len[65536];   /* their total length, or ENC_PAIR_TOO_LONG over 32 bits */
  uint32_t scode[256];  /* right-aligned single codes */
  uint8_t slen[256];
} enc_pairs;

static void fill_pairs(enc_pairs *t, const pmc_huff_plan *plan) {
  for (unsigned s = 0; s < 256; s++) {
    const unsigned l = plan->len[s];
    t->scode[s] = l ? (uint32_t)(plan->code[s][0] >> (64 - l)) : 0;
    t->slen[s] = (uint8_t)l;
  }
  for (unsigned b = 0; b < 256; b++) {
    const uint32_t cb = t->scode[b];
    const unsigned lb = t->slen[b];
    uint32_t *code = t->code + (b << 8);
    uint8_t *len = t->len + (b << 8);
    for (unsigned a = 0; a < 256; a++) {
      const unsigned l = t->slen[a] + lb;
      code[a] = l <= 32 ? (uint32_t)(((uint64_t)t->scode[a] << lb) | cb) : 0;
      len[a] = (uint8_t)(l <= 32 ? l : ENC_PAIR_TOO_LONG);
    }
  }
}

#define ENC_PAIR_AT(p) ((unsigned)(p)[0] | ((unsigned)(p)[1] << 8))

/* Right-aligned flush: the top nbits (1..64) of the left-aligned copy, whole bytes kept. */
#define ENC_RFLUSH()                                          \
  do {                                                        \
    pmc_store_be64(op, racc << ((0u - nbits) & 63u));         \
    op += nbits >> 3;                                         \
    nbits &= 7u;                                              \
  } while (0)

/* One round at p: KP pairs then ODD (0 or 1) single codes, 2 * KP + ODD = 57 / max_len codes. */
#define ENC_PAIR_ROUND1(p, KP, ODD)                                  \
  do {                                                               \
    const uint8_t *p_ = (p);                                         \
    const unsigned x_ = ENC_PAIR_AT(p_);                             \
    uint64_t g_ = pt->code[x_];                                      \
    unsigned L_ = pt->len[x_];                                       \
    for (int j_ = 1; j_ < (KP); j_++) {                              \
      const unsigned y_ = ENC_PAIR_AT(p_ + 2 * j_);                  \
      const unsigned l_ = pt->len[y_];                               \
      g_ = (g_ << l_) | pt->code[y_];                                \
      L_ += l_;                                                      \
    }                                                                \
    if (ODD) {                                                       \
      const unsigned z_ = p_[2 * (KP)];                              \
      const unsigned l_ = pt->slen[z_];                              \
      g_ = (g_ << l_) | pt->scode[z_];                               \
      L_ += l_;                                                      \
    }                                                                \
    racc = (racc << L_) | g_;                                        \
    nbits += L_;                                                     \
    ENC_RFLUSH();                                                    \
  } while (0)

/* Two rounds per loop test (16 bytes of room), then single rounds. */
#define ENC_PAIR_ROUND(KP, ODD)                                           \
  do {                                                                    \
    const uint64_t k_ = 2 * (KP) + (ODD);                                 \
    const uint8_t *safe2_ = plan->out_bytes >= 16 ? out + plan->out_bytes - 16 : NULL; \
    if (safe2_) {                                                         \
      while (i + 2 * k_ <= n && op <= safe2_) {                           \
        ENC_PAIR_ROUND1(in + i, KP, ODD);                                 \
        ENC_PAIR_ROUND1(in + i + k_, KP, ODD);                            \
        i += 2 * k_;                                                      \
      }                                                                   \
    }                                                                     \
    while (i + k_ <= n && op <= safe) {                                   \
      ENC_PAIR_ROUND1(in + i, KP, ODD);                                   \
      i += k_;                                                            \
    }                                                                     \
  } while (0)

/* ENC_PAIR_GROUP codes (pairs) per round when they fit ENC_ROUND_BITS (predictable below ~5
 * bits/symbol), else code by code with a flush after each (codes of at most 28 bits). */
#define ENC_PAIR_GROUP 8
#define ENC_PAIR_GROUPED()                                                  \
  do {                                                                      \
    while (i + ENC_PAIR_GROUP <= n && op <= safe) {                         \
      const uint8_t *p_ = in + i;                                           \
      unsigned x_[ENC_PAIR_GROUP / 2], L_ = 0;                              \
      for (int j_ = 0; j_ < ENC_PAIR_GROUP / 2; j_++) {                     \
        x_[j_] = ENC_PAIR_AT(p_ + 2 * j_);                                  \
        L_ += pt->len[x_[j_]];                                              \
      }                                                                     \
      if (PMC_LIKELY(L_ <= ENC_ROUND_BITS)) {                               \
        uint64_t g_ = pt->code[x_[0]];                                      \
        for (int j_ = 1; j_ < ENC_PAIR_GROUP / 2; j_++)                     \
          g_ = (g_ << pt->len[x_[j_]]) | pt->code[x_[j_]];                  \
        racc = (racc << L_) | g_;                                           \
        nbits += L_;                                                        \
        ENC_RFLUSH();                                                       \
      } else {                                                              \
        for (int j_ = 0; j_ < ENC_PAIR_GROUP; j_++) {                       \
          const unsigned z_ = p_[j_], l_ = pt->slen[z_];                    \
          racc = (racc << l_) | pt->scode[z_];                              \
          nbits += l_;                                                      \
          ENC_RFLUSH();                                                     \
        }                                                                   \
      }                                                                     \
      i += ENC_PAIR_GROUP;                                                  \
    }                                                                       \
  } while (0)

/* The accumulator between the fast loops and the bounds-checked tail. */
typedef struct enc_state {
  uint64_t acc;
  unsigned nbits;
  uint8_t *op;
} enc_state;

/* The branch-free loops over in[0..n): returns how many symbols they put (the rest go through
 * the bounds-checked tail). pair: the pair table or NULL. Inlined into each body. */
PMC_INLINE uint64_t emit_fast(const uint8_t *in, uint64_t n, const pmc_huff_plan *plan,
                              const uint64_t *lcode, const uint32_t *lens, const enc_pairs *pt,
                              uint8_t *out, enc_state *st) {
  uint64_t i = 0;
  const unsigned max_len = plan->max_len;
  uint64_t acc = st->acc;
  unsigned nbits = st->nbits; /* < 8 */
  uint8_t *op = st->op;
  /* The 8-byte store needs op + 8 <= end. */
  const uint8_t *safe = plan->out_bytes >= 8 ? out + plan->out_bytes - 8 : NULL;
  /* Symbols per flush so that nbits stays <= 63: 7 + k * max_len <= 63. */
  const unsigned k = 56 / max_len;
  if (safe && pt) {
    uint64_t racc = nbits ? acc >> (64 - nbits) : 0;
    if (max_len <= ENC_SHORT_MAX_LEN && enc_short_pays(plan)) {
      switch (ENC_ROUND_BITS / max_len) {
        case 4: ENC_PAIR_ROUND(2, 0); break;
        case 5: ENC_PAIR_ROUND(2, 1); break;
        case 6: ENC_PAIR_ROUND(3, 0); break;
        case 7: ENC_PAIR_ROUND(3, 1); break;
        default: ENC_PAIR_ROUND(4, 0); break;
      }
    } else {
      ENC_PAIR_GROUPED();
    }
    acc = nbits ? racc << (64 - nbits) : 0;
  } else if (safe && max_len <= ENC_SHORT_MAX_LEN && enc_short_pays(plan)) {
    switch (k) { /* k = 56 / max_len >= 4 */
      case 4: ENC_ROUND_K(4); break;
      case 5: ENC_ROUND_K(5); break;
      case 6: ENC_ROUND_K(6); break;
      case 7: ENC_ROUND_K(7); break;
      default: ENC_ROUND_K(8); break;
    }
  } else if (safe && max_len <= ENC_GROUP_MAX_LEN && plan->out_bytes >= 16 &&
             !(max_len <= ENC_SHORT_MAX_LEN && enc_sixteen_fit(plan))) {
    /* Two groups of four per round, one flush when they fit it together (the usual case
     * below ~6 bits/symbol; measured on the corpus, this beat one group per flush and the
     * code-by-code loops below on every frame, 6.25 bits/symbol included). A split round
     * flushes twice: 16 bytes of room. */
    const uint8_t *safe2 = out + plan->out_bytes - 16;
    while (i + 8 <= n && op <= safe2) {
      ENC_GROUP4(g0, L0, in + i);
      ENC_GROUP4(g1, L1, in + i + 4);
      ENC_ROUND8(in + i, g0, L0, g1, L1);
      i += 8;
    }
  } else if (safe && max_len <= ENC_GROUP_MAX_LEN && plan->out_bytes >= 16) {
    /* Codes of at most 14 bits with a mean of at most 2.5 bits (e.g. small quantized tiles):
     * rounds of sixteen, then of eight for the rest (measured ~10% faster than eight alone). */
    const uint8_t *safe2 = out + plan->out_bytes - 16;
    if (plan->out_bytes >= 32) {
      /* Sixteen codes per flush when they fit (four groups of at most 56 bits each; a round
       * that does not fit is put as two rounds of eight: 32 bytes of room). */
      const uint8_t *safe4 = out + plan->out_bytes - 32;
      while (i + 16 <= n && op <= safe4) {
        ENC_GROUP4(g0, L0, in + i);
        ENC_GROUP4(g1, L1, in + i + 4);
        ENC_GROUP4(g2, L2, in + i + 8);
        ENC_GROUP4(g3, L3, in + i + 12);
        const unsigned L01 = L0 + L1, L012 = L01 + L2;
        if (PMC_LIKELY(L012 + L3 <= ENC_FLUSH_BITS)) {
          acc |= (g0 | (g1 >> L0) | (g2 >> L01) | (g3 >> L012)) >> nbits;
          nbits += L012 + L3;
          ENC_FLUSH();
        } else {
          ENC_ROUND8(in + i, g0, L0, g1, L1);
          ENC_ROUND8(in + i + 8, g2, L2, g3, L3);
        }
        i += 16;
      }
    }
    while (i + 8 <= n && op <= safe2) {
      ENC_GROUP4(g0, L0, in + i);
      ENC_GROUP4(g1, L1, in + i + 4);
      ENC_ROUND8(in + i, g0, L0, g1, L1);
      i += 8;
    }
  } else if (safe) {
    if (k >= 4) {
      while (i + 4 <= n && op <= safe) {
        ENC_PUT(in[i]);
        ENC_PUT(in[i + 1]);
        ENC_PUT(in[i + 2]);
        ENC_PUT(in[i + 3]);
        ENC_FLUSH();
        i += 4;
      }
    } else if (k == 3) {
      while (i + 3 <= n && op <= safe) {
        ENC_PUT(in[i]);
        ENC_PUT(in[i + 1]);
        ENC_PUT(in[i + 2]);
        ENC_FLUSH();
        i += 3;
      }
    } else if (k == 2) {
      while (i + 2 <= n && op <= safe) {
        ENC_PUT(in[i]);
        ENC_PUT(in[i + 1]);
        ENC_FLUSH();
        i += 2;
      }
    } else {
      while (i < n && op <= safe) {
        ENC_PUT(in[i]);
        ENC_FLUSH();
        i += 1;
      }
    }
  }
  st->acc = acc;
  st->nbits = nbits;
  st->op = op;
  return i;
}

/* The loops twice: portable, and with BMI2's shifts (shrx/shlx: no CL register, no flag merge;
 * the same C, so the same bytes), chosen per call from the cached CPU features. */
static uint64_t emit_fast_portable(const uint8_t *in, uint64_t n, const pmc_huff_plan *plan,
                                   const uint64_t *lcode, const uint32_t *lens,
                                   const enc_pairs *pt, uint8_t *out, enc_state *st) {
  return emit_fast(in, n, plan, lcode, lens, pt, out, st);
}

#if PMC_HAVE_BMI2_BODY
PMC_TARGET_BMI2 static uint64_t emit_fast_bmi2(const uint8_t *in, uint64_t n,
                                               const pmc_huff_plan *plan, const uint64_t *lcode,
                                               const uint32_t *lens, const enc_pairs *pt,
                                               uint8_t *out, enc_state *st) {
  return emit_fast(in, n, plan, lcode, lens, pt, out, st);
}
#endif

int pmc_enc_body_available(pmc_enc_body body) {
  switch (body) {
    case PMC_ENC_AUTO:
    case PMC_ENC_PORTABLE:
    case PMC_ENC_PORTABLE_PAIRS:
      return 1;
    case PMC_ENC_BMI2:
    case PMC_ENC_BMI2_PAIRS:
      return PMC_HAVE_BMI2_BODY && pmc_cpu_has_bmi2();
  }
  return 0;
}

pmc_status pmc_huffman_encode_body(const uint8_t *in, uint64_t n, const pmc_huff_plan *plan,
                                   uint8_t *out, uint64_t out_cap, pmc_enc_body body) {
  if (n != plan->n) return PMC_ERR_INVALID_ARGUMENT;
  if (n == 0) return PMC_OK;
  if (out_cap < plan->out_bytes) return PMC_ERR_INVALID_ARGUMENT;
  if (!pmc_enc_body_available(body)) return PMC_ERR_INVALID_ARGUMENT;

  bitw w = {0, 0, out, out + plan->out_bytes};
  if (!write_tree(&w, plan)) return PMC_ERR_INVALID_ARGUMENT;

  uint64_t i = 0;
  const unsigned max_len = plan->max_len;
  if (max_len <= 56) {
    /* left-aligned codes (only the first word: max_len <= 56) and their lengths */
    uint64_t lcode[256];
    uint32_t lens[256];
    uint64_t tab[256]; /* right-aligned code << 8 | len, for the byte-wise tail */
    for (int s = 0; s < 256; s++) {
      const unsigned l = plan->len[s];
      lcode[s] = plan->code[s][0];
      lens[s] = l;
      tab[s] = l ? ((plan->code[s][0] >> (64 - l)) << 8) | l : 0;
    }
    if (body == PMC_ENC_AUTO) {
      const int bmi2 = pmc_enc_body_available(PMC_ENC_BMI2);
      const int pairs = n >= ENC_PAIR_MIN_N;
      body = bmi2 ? (pairs ? PMC_ENC_BMI2_PAIRS : PMC_ENC_BMI2)
                  : (pairs ? PMC_ENC_PORTABLE_PAIRS : PMC_ENC_PORTABLE);
    }
    enc_pairs *pt = NULL;
    if ((body == PMC_ENC_PORTABLE_PAIRS || body == PMC_ENC_BMI2_PAIRS) &&
        max_len <= ENC_GROUP_MAX_LEN) {
      pt = (enc_pairs *)malloc(sizeof *pt); /* NULL: the loops without pairs */
      if (pt) fill_pairs(pt, plan);
    }
    enc_state st = {w.acc, w.nbits, w.op};
#if PMC_HAVE_BMI2_BODY
    if (body == PMC_ENC_BMI2 || body == PMC_ENC_BMI2_PAIRS)
      i = emit_fast_bmi2(in, n, plan, lcode, lens, pt, out, &st);
    else
#endif
      i = emit_fast_portable(in, n, plan, lcode, lens, pt, out, &st);
    free(pt);
    w.acc = st.acc;
    w.nbits = st.nbits;
    w.op = st.op;
    for (; i < n; i++) {
      const uint64_t e = tab[in[i]];
      if (!bitw_put(&w, e >> 8, (unsigned)(e & 0xff))) return PMC_ERR_INVALID_ARGUMENT;
    }
  } else {
    for (; i < n; i++) {
      const uint8_t s = in[i];
      if (!bitw_put_long(&w, plan->code[s], plan->len[s])) return PMC_ERR_INVALID_ARGUMENT;
    }
  }
  if (w.nbits > 0) {
    if (w.op >= w.end) return PMC_ERR_INVALID_ARGUMENT;
    *w.op++ = (uint8_t)(w.acc >> 56);
  }
  if (w.op != w.end) return PMC_ERR_INVALID_ARGUMENT; /* plan does not match the input */
  return PMC_OK;
}

pmc_status pmc_huffman_encode(const uint8_t *in, uint64_t n, const pmc_huff_plan *plan,
                              uint8_t *out, uint64_t out_cap) {
  return pmc_huffman_encode_body(in, n, plan, out, out_cap, PMC_ENC_AUTO);
}

pmc_status pmc_huffman_compress(const uint8_t *in, uint64_t n, uint8_t *out, uint64_t out_cap,
                                uint64_t *out_len) {
  pmc_huff_plan *plan = (pmc_huff_plan *)malloc(sizeof *plan);
  if (!plan) return PMC_ERR_NO_MEMORY;
  pmc_status st = pmc_huffman_plan(in, n, plan);
  if (st == PMC_OK) st = pmc_huffman_encode(in, n, plan, out, out_cap);
  if (st == PMC_OK && out_len) *out_len = plan->out_bytes;
  free(plan);
  return st;
}
