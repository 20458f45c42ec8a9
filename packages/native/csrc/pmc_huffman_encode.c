/*
 * Emission of the Basic Compression Library Huffman stream as written by pymecompress 0.3.6
 * (docs/FORMAT.md §1.3-1.4), from the plan of pmc_huffman_plan.c: the tree, then the codes
 * through a 64-bit MSB-first bit accumulator that takes a group of codes (as many as fit in 56
 * bits) between branch-free 8-byte flushes; codes of at most 14 bits and a mean of 5+ bits take
 * a fixed number per flush, no branch. Inputs of 1 MiB and more, and smaller ones with few
 * symbols present, look codes up two symbols at a time (a pair table, enc_pairs_pay). The
 * rounds (pmc_encode_rounds.h) are compiled twice, portable and with BMI2 (chosen per call from
 * the CPU); the tests run every body (pmc_huffman_encode_body) and compare their bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "pmc_encode_rounds.h"
#include "pmc_internal.h"

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
  } else if (safe && max_len <= ENC_GROUP_MAX_LEN &&
             !(max_len <= ENC_SHORT_MAX_LEN && enc_sixteen_fit(plan))) {
    /* Two groups of four per round, one flush when they fit it together (the usual case
     * below ~6 bits/symbol; measured on the corpus, this beat one group per flush and the
     * code-by-code loops below on every frame, 6.25 bits/symbol included). A split round
     * flushes up to eight times: enc_round_limit's room. */
    const uint8_t *safe2 = enc_round_limit(out, plan->out_bytes, 8, max_len);
    while (safe2 && i + 8 <= n && op <= safe2) {
      ENC_GROUP4(g0, L0, in + i);
      ENC_GROUP4(g1, L1, in + i + 4);
      ENC_ROUND8(in + i, g0, L0, g1, L1);
      i += 8;
    }
  } else if (safe && max_len <= ENC_GROUP_MAX_LEN) {
    /* Codes of at most 14 bits with a mean of at most 2.5 bits (e.g. small quantized tiles):
     * rounds of sixteen, then of eight for the rest (measured ~10% faster than eight alone). */
    const uint8_t *safe2 = enc_round_limit(out, plan->out_bytes, 8, max_len);
    {
      /* Sixteen codes per flush when they fit (four groups of at most 56 bits each; a round
       * that does not fit is put as two rounds of eight). */
      const uint8_t *safe4 = enc_round_limit(out, plan->out_bytes, 16, max_len);
      while (safe4 && i + 16 <= n && op <= safe4) {
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
    while (safe2 && i + 8 <= n && op <= safe2) {
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
    unsigned present = 0;
    for (int s = 0; s < 256; s++) {
      const unsigned l = plan->len[s];
      lcode[s] = plan->code[s][0];
      lens[s] = l;
      tab[s] = l ? ((plan->code[s][0] >> (64 - l)) << 8) | l : 0;
      present += l != 0;
    }
    /* The pair symbols are listed (a pass over the 256 symbols, a noticeable part of a call on
     * a few bytes) only when the plan's even/odd sets could make the table pay or when it is
     * filled. */
    enc_pair_symbols ps;
    int listed = 0;
    if (body == PMC_ENC_AUTO) {
      const int bmi2 = pmc_enc_body_available(PMC_ENC_BMI2);
      uint64_t entries = (uint64_t)present * present;
      if (plan->pair_sets && max_len <= ENC_GROUP_MAX_LEN && !enc_pairs_pay(n, entries)) {
        pair_symbols(plan, &ps);
        listed = 1;
        entries = pair_entries(&ps);
      }
      const int pairs = enc_pairs_pay(n, entries);
      body = bmi2 ? (pairs ? PMC_ENC_BMI2_PAIRS : PMC_ENC_BMI2)
                  : (pairs ? PMC_ENC_PORTABLE_PAIRS : PMC_ENC_PORTABLE);
    }
    enc_pairs *pt = NULL;
    if ((body == PMC_ENC_PORTABLE_PAIRS || body == PMC_ENC_BMI2_PAIRS) &&
        max_len <= ENC_GROUP_MAX_LEN) {
      pt = (enc_pairs *)malloc(sizeof *pt); /* NULL: the loops without pairs */
      if (pt) {
        if (!listed) pair_symbols(plan, &ps);
        fill_pairs(pt, plan, &ps);
      }
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
