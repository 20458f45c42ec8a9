/*
 * The encoder's fast rounds (docs/FORMAT.md §1.3: MSB-first, a 64-bit accumulator flushed 8 bytes
 * at a time): the macros and small tables that pmc_huffman_encode.c's emit_fast inlines into
 * each CPU body (portable, BMI2). A header of its own for the same reason as pmc_decode_fast.h:
 * one text of each round, compiled once per body. Include only from pmc_huffman_encode.c.
 */
#ifndef PMC_ENCODE_ROUNDS_H
#define PMC_ENCODE_ROUNDS_H

#include <stdlib.h>
#include <string.h>

#include "pmc_internal.h"

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

/* The last op a round of `codes` codes (each at most max_len bits, flushed once or code by code)
 * may start at: its flushes advance op by at most (7 + codes * max_len) / 8 bytes before the
 * last 8-byte store. NULL when the output is shorter than that room (no fast round at all). */
static inline const uint8_t *enc_round_limit(const uint8_t *out, uint64_t out_bytes,
                                             unsigned codes, unsigned max_len) {
  const uint64_t room = 8 + (7 + (uint64_t)codes * max_len) / 8;
  return out_bytes >= room ? out + out_bytes - room : NULL;
}

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

/* Pair codes (docs/FORMAT.md §1.3 bit order unchanged): for codes of at most ENC_GROUP_MAX_LEN
 * bits, a 64 Ki-entry table gives the concatenated codes of two consecutive bytes
 * (right-aligned) and a second their total length, so three loads, a shift, an OR and an add put
 * two symbols. Only the pairs an input that matches its plan can index are filled
 * (pair_symbols), so the fill costs as many entries: it pays from ENC_PAIR_INPUT_PER_ENTRY input
 * bytes per entry (enc_pairs_pay). With all 256 symbols in every role that is 1 MiB, the
 * threshold measured when every table filled all 65,536 entries; a 256x256 tile quantized to 35
 * symbols takes the pairs (measured: 1.04 against 1.26 cycles per symbol of emission, 1.09x its
 * whole encode in Node), and so do its raw bytes (7 high bytes at odd positions).
 * These rounds keep the accumulator right-aligned (the newest bit lowest, `nbits` of them
 * pending): a round's codes are concatenated off the accumulator's chain, which is then only a
 * shift and an OR; the flush left-aligns a copy (shift by 64 - nbits), so 57 bits fit a round
 * (7 pending + 57 = 64). Codes of at most ENC_SHORT_MAX_LEN bits with a long mean take
 * K = 57 / max_len codes a round (pairs plus one single code when K is odd), no branch; the
 * others take ENC_PAIR_GROUP codes and test that they fit (pairs of more than 32 bits have the
 * length ENC_PAIR_TOO_LONG, which fails the test), else put them code by code. */
#define ENC_PAIR_INPUT_PER_ENTRY 16
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

/* The symbols the pair table is filled for. A pair at an even offset of the input is (a byte at
 * an even position, one at an odd position), a pair at an odd offset the other way round. The
 * plan of an input under 1 MiB knows both sets (pair_sets): the raw bytes of uint16 pixels have
 * every low byte at even positions but a few high bytes at odd ones (a 256x256 tile of the
 * corpus: 256 and 7), so (even x odd) is 1,792 entries (3,584 with odd x even, for the rounds
 * that read odd offsets) where (present)^2 is 65,536. Otherwise, or when that is no smaller,
 * every present symbol in both roles. */
typedef struct enc_pair_symbols {
  uint8_t even[256], odd[256];
  unsigned n_even, n_odd;
  int split;       /* 1: even x odd (and odd x even); 0: even = odd = every present symbol */
  int odd_offsets; /* the rounds read pairs at odd offsets too (odd x even needed) */
} enc_pair_symbols;

/* Whether the pair rounds emit_fast takes for this plan read pairs at odd offsets: only the
 * short-code rounds with an odd number of codes (ENC_PAIR_ROUND with ODD = 1: 57 / max_len of 5
 * or 7) advance by an odd count; the grouped rounds take 8 codes at a time. */
static int enc_pair_rounds_odd(const pmc_huff_plan *plan);

static void pair_symbols(const pmc_huff_plan *plan, enc_pair_symbols *ps) {
  unsigned present = 0;
  ps->n_even = ps->n_odd = 0;
  for (unsigned s = 0; s < 256; s++) {
    if (!plan->len[s]) continue;
    present++;
    const uint8_t bit = (uint8_t)(1u << (s & 7));
    if (plan->even_present[s >> 3] & bit) ps->even[ps->n_even++] = (uint8_t)s;
    if (plan->odd_present[s >> 3] & bit) ps->odd[ps->n_odd++] = (uint8_t)s;
  }
  ps->odd_offsets = enc_pair_rounds_odd(plan);
  ps->split = plan->pair_sets &&
              (ps->odd_offsets ? 2u : 1u) * ps->n_even * ps->n_odd < present * present;
  if (!ps->split) {
    ps->n_even = ps->n_odd = 0;
    for (unsigned s = 0; s < 256; s++) {
      if (plan->len[s]) ps->even[ps->n_even++] = ps->odd[ps->n_odd++] = (uint8_t)s;
    }
  }
}

/* Entries fill_pairs writes. */
static inline uint64_t pair_entries(const enc_pair_symbols *ps) {
  return (uint64_t)(ps->split && ps->odd_offsets ? 2 : 1) * ps->n_even * ps->n_odd;
}

/* Whether a pair table of `entries` filled entries repays its fill for n input bytes. */
static inline int enc_pairs_pay(uint64_t n, uint64_t entries) {
  return n >= ENC_PAIR_INPUT_PER_ENTRY * entries;
}

/* Rows `second` x columns `first` of the table (index first | second << 8). */
static void fill_pair_block(enc_pairs *t, const uint8_t *first, unsigned n_first,
                            const uint8_t *second, unsigned n_second) {
  for (unsigned j = 0; j < n_second; j++) {
    const unsigned b = second[j];
    const uint32_t cb = t->scode[b];
    const unsigned lb = t->slen[b];
    uint32_t *code = t->code + (b << 8);
    uint8_t *len = t->len + (b << 8);
    for (unsigned k = 0; k < n_first; k++) {
      const unsigned a = first[k];
      const unsigned l = t->slen[a] + lb;
      code[a] = l <= 32 ? (uint32_t)(((uint64_t)t->scode[a] << lb) | cb) : 0;
      len[a] = (uint8_t)(l <= 32 ? l : ENC_PAIR_TOO_LONG);
    }
  }
}

/* Fills the entries of the pairs of pair_symbols: the only ones an input that matches the plan
 * reads. Every length is cleared first (64 KiB), so an input that does not match it (a caller's
 * buffer changed between plan and encode: pmc_huffman_encode's final check rejects the stream)
 * reads length 0 for any other pair and every round stays within its room. */
static void fill_pairs(enc_pairs *t, const pmc_huff_plan *plan, const enc_pair_symbols *ps) {
  memset(t->len, 0, sizeof t->len);
  for (unsigned s = 0; s < 256; s++) {
    const unsigned l = plan->len[s];
    t->scode[s] = l ? (uint32_t)(plan->code[s][0] >> (64 - l)) : 0;
    t->slen[s] = (uint8_t)l;
  }
  fill_pair_block(t, ps->even, ps->n_even, ps->odd, ps->n_odd);
  if (ps->split && ps->odd_offsets) fill_pair_block(t, ps->odd, ps->n_odd, ps->even, ps->n_even);
}

static int enc_pair_rounds_odd(const pmc_huff_plan *plan) {
  if (plan->max_len > ENC_SHORT_MAX_LEN || !enc_short_pays(plan)) return 0;
  const unsigned k = ENC_ROUND_BITS / plan->max_len;
  return k == 5 || k == 7;
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
    const uint8_t *safe_g_ =                                                \
        enc_round_limit(out, plan->out_bytes, ENC_PAIR_GROUP, max_len);     \
    while (safe_g_ && i + ENC_PAIR_GROUP <= n && op <= safe_g_) {           \
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

#endif
