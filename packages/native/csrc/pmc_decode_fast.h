/*
 * The fast decode loops' primitives (docs/FORMAT.md §1.4), shared by the single-stream loop and
 * batches (pmc_huffman_decode.c) and the split decode of one stream (pmc_decode_split.c): the
 * bit reader with its branch-free refill, and one round of lookups per table layout.
 */
#ifndef PMC_DECODE_FAST_H
#define PMC_DECODE_FAST_H

#include "pmc_decode.h"

/* Bit reader of the fast loops (MSB first, §1.4): `bb` holds the next `bc` stream bits at its
 * top, followed by further true stream bits or zeros; `bp` is the first stream byte whose bits
 * are not all in bb (bit position of bb's top = 8 * (bp - stream) - bc). A refill ORs the 8
 * bytes at bp in below the bc valid bits (equal bits where they overlap) and advances bp by
 * whole bytes only, so the refill's load address is known a round in advance and its latency
 * stays off the dependency chain of the lookups. After a refill bc >= PMC_REFILL_BITS, enough
 * for a round's lookups (the _Static_asserts in pmc_decode.h): no code decoded here runs past
 * the end of the stream, and truncation is left to the checked path. */
typedef struct fast_state {
  const uint8_t *bp;
  uint64_t bb;
  unsigned bc;
  uint64_t o; /* output position */
} fast_state;

PMC_INLINE void fast_begin(fast_state *s, const uint8_t *stream, uint64_t p, uint64_t o) {
  s->bp = stream + (p >> 3) + 1;
  s->bb = (uint64_t)stream[p >> 3] << (56 + (p & 7));
  s->bc = 8 - (unsigned)(p & 7);
  s->o = o;
}

PMC_INLINE uint64_t fast_bit_position(const fast_state *s, const uint8_t *stream) {
  return (uint64_t)(s->bp - stream) * 8 - s->bc;
}

PMC_INLINE void fast_refill(fast_state *s) {
  s->bb |= pmc_load_be64(s->bp) >> s->bc;
  s->bp += (63 - s->bc) >> 3;
  s->bc |= PMC_REFILL_BITS; /* bc + 8 * (bytes added) */
}

/* Stores the symbols of an entry (`syms` = e >> 8, in stream order from its low byte); the
 * bytes past the entry's count are overwritten later or lie in the round's slack. */
PMC_INLINE void store_syms4(uint8_t *dst, uint32_t syms) {
#if PMC_BIG_ENDIAN
  for (int j = 0; j < PMC_COMPACT_MAX; j++) dst[j] = (uint8_t)(syms >> (8 * j));
#else
  memcpy(dst, &syms, 4);
#endif
}

PMC_INLINE void store_syms8(uint8_t *dst, uint64_t syms) {
#if PMC_BIG_ENDIAN
  for (int j = 0; j < PMC_WIDE_MAX; j++) dst[j] = (uint8_t)(syms >> (8 * j));
#else
  memcpy(dst, &syms, 8);
#endif
}

/* A code longer than w bits: walks the primary table and its sub-tables on the bc buffered
 * bits. Returns 0 (nothing consumed) when they do not suffice: the checked path decides. */
PMC_INLINE int fast_long_code(fast_state *s, const uint32_t *tab, unsigned w, uint8_t *out) {
  unsigned q = 0, sw = w;
  uint32_t base = 0;
  for (;;) {
    if (q + sw > s->bc) return 0;
    const uint32_t te = tab[base + (uint32_t)((s->bb << q) >> (64 - sw))];
    if (!(te & PMC_E_PTR)) {
      const unsigned l = q + ((te >> 16) & 0xff);
      out[s->o++] = (uint8_t)te;
      s->bb <<= l;
      s->bc -= l;
      return 1;
    }
    q += sw;
    base = (te & ~PMC_E_PTR) >> 5;
    sw = te & 31;
  }
}

/* One round on the compact table. Returns 0 when a long code could not be finished from the
 * buffer. The escape entry (0: the next code is longer than w bits) consumes no bits and counts
 * no symbols, so the lookups after one all read it again and change nothing: the round checks
 * only its last entry, not each (no branch per lookup), and then takes the long code, which
 * may use up the round's bit budget, so the round ends after it. Its store of zeros lies where
 * the next symbols go, inside the round's slack like every store past an entry's count. */
PMC_INLINE int round_compact(fast_state *s, const uint32_t *multi, const uint32_t *tab,
                             unsigned w, uint8_t *out) {
  fast_refill(s);
  uint32_t e = 0;
  for (int k = 0; k < PMC_FAST_LOOKUPS; k++) {
    e = multi[s->bb >> (64 - w)];
    store_syms4(out + s->o, e >> 8);
    s->o += (e >> 6) & 3;
    s->bb <<= (e & 63);
    s->bc -= e & 63;
  }
  if (PMC_UNLIKELY(e == 0)) return fast_long_code(s, tab, w, out);
  return 1;
}

/* One round on the wide table (the escape as in round_compact). */
PMC_INLINE int round_wide(fast_state *s, const uint64_t *multi, const uint32_t *tab, unsigned w,
                          uint8_t *out) {
  fast_refill(s);
  uint64_t e = 0;
  for (int k = 0; k < PMC_FAST_LOOKUPS; k++) {
    e = multi[s->bb >> (64 - w)];
    store_syms8(out + s->o, e >> 8);
    s->o += e >> 56;
    s->bb <<= (e & 63);
    s->bc -= (unsigned)(e & 63);
  }
  if (PMC_UNLIKELY(e == 0)) return fast_long_code(s, tab, w, out);
  return 1;
}

/* Whether a round may start: PMC_FAST_OUT_SLACK bytes of output room and an 8-byte refill load
 * inside the stream. */
PMC_INLINE int fast_can_run(const fast_state *s, const uint8_t *bp_last, uint64_t o_last) {
  return s->o <= o_last && s->bp <= bp_last;
}

#endif
