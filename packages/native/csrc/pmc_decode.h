/*
 * Internals of the Huffman decoder (docs/FORMAT.md §1.4-1.5), shared by the table builder
 * (pmc_decode_tables.c) and the decode loops and batches (pmc_huffman_decode.c).
 *
 * Tables, built per stream from its tree:
 * - the single-symbol table `tab`: 2^w uint32 entries, leaf = sym | len << 16 | 1 << 24 (len
 *   counted from the table's first bit), pointer = PMC_E_PTR | offset << 5 | sub-table width,
 *   followed by the sub-tables (PMC_SUB_BITS wide at most) of codes longer than w bits; it
 *   decodes any code and serves the bounds-checked tail;
 * - one multi-symbol table indexed by the next w stream bits (MSB first), whole codes only, in
 *   stream order; entry 0 means "the first code is longer than w bits" (escape to `tab`):
 *   . compact (PMC_LAYOUT_COMPACT): uint32 = total bits (bits 0-5) | count << 6 | sym1 << 8 |
 *     sym2 << 16 | sym3 << 24; w <= 12, so the table is 16 KiB (for codes of ~4 bits/symbol and
 *     more in interleaved pairs, whose two tables then share the L1);
 *   . wide (PMC_LAYOUT_WIDE): uint64 = total bits (bits 0-7) | sym1 << 8 | ... | sym6 << 48 |
 *     count << 56; at w = 11 (16 KiB, in L1) for short codes (quantized frames at ~2 bits per
 *     symbol fill its 6 slots), at w = 12 (32 KiB) for longer codes decoded alone, or at w = 14 (128 KiB), which pays only when few distinct
 *     windows are hit (bytes of uint16 pixels, whose high bytes take 1-2 bits), decided by a
 *     probe.
 * In both, `e & 63` is the entry's bit count (x86 masks shift counts to 6 bits, so the AND is
 * free on the load -> shift -> index chain), and a little-endian store of `e >> 8` writes the
 * symbols in order.
 */
#ifndef PMC_DECODE_H
#define PMC_DECODE_H

#include "pmc_internal.h"

#define PMC_COMPACT_BITS 12
#define PMC_COMPACT_MAX 3
#define PMC_WIDE_BITS 14
/* The wide layout's L1-sized width (2^11 x 8 bytes = 16 KiB), for short codes. */
#define PMC_NARROW_BITS 11
#define PMC_WIDE_MAX 6
#define PMC_SUB_BITS 8
#define PMC_E_PTR 0x80000000u
/* Valid bits in the bit buffer after a refill, at least (see the refill in pmc_huffman_decode.c:
 * bc | 56). */
#define PMC_REFILL_BITS 56
/* Lookups per refill. */
#define PMC_FAST_LOOKUPS 4
/* Output room a round needs: its last store starts at most (lookups - 1) * max symbols in and
 * writes 8 (wide) or 4 (compact) bytes. */
#define PMC_FAST_OUT_SLACK ((PMC_FAST_LOOKUPS - 1) * PMC_WIDE_MAX + 8)

/* The fast loops' bit budget: a round's lookups only ever read bits the refill buffered, so no
 * lookup can run past the end of the stream. */
_Static_assert(PMC_FAST_LOOKUPS * PMC_WIDE_BITS <= PMC_REFILL_BITS, "wide round over budget");
_Static_assert(PMC_FAST_LOOKUPS * PMC_COMPACT_BITS <= PMC_REFILL_BITS, "compact round over budget");
/* `e & 63` is the shift: an entry's bit count must fit in 6 bits, and for the compact layout
 * the count (bits 6-7) must stay out of those 6 bits. */
_Static_assert(PMC_NARROW_BITS <= PMC_COMPACT_BITS, "narrow table is capped like the compact one");
_Static_assert(PMC_WIDE_BITS < 64 && PMC_COMPACT_BITS < 64, "entry bit count exceeds 6 bits");
_Static_assert(PMC_COMPACT_MAX <= 3, "compact symbol count has 2 bits");
_Static_assert(8 * (1 + PMC_COMPACT_MAX) <= 32, "compact entry holds 1 + 3 bytes");
_Static_assert(8 * (1 + PMC_WIDE_MAX) + 8 <= 64, "wide entry holds 1 + 6 bytes + count byte");
/* One round's stores stay inside the slack, for either layout. */
_Static_assert(PMC_FAST_OUT_SLACK >= (PMC_FAST_LOOKUPS - 1) * PMC_WIDE_MAX + 8, "wide slack");
_Static_assert(PMC_FAST_OUT_SLACK >= (PMC_FAST_LOOKUPS - 1) * PMC_COMPACT_MAX + 4, "compact slack");
/* Pointer entries: sub-table width in 5 bits, offset in 26 (at most 2^14 + 255 * 2^8 entries),
 * and a peek of a primary plus a sub-table index fits the 24 bits peek_safe reads past p & 7. */
_Static_assert(PMC_SUB_BITS < 32, "sub-table width has 5 bits");
_Static_assert((1u << PMC_WIDE_BITS) + 255u * (1u << PMC_SUB_BITS) < (1u << 26), "offset bits");
_Static_assert(PMC_WIDE_BITS <= 24 && PMC_SUB_BITS <= 24, "peek_safe reads 24 bits");

typedef enum pmc_layout { PMC_LAYOUT_ONE_SYMBOL = 0, PMC_LAYOUT_COMPACT = 1, PMC_LAYOUT_WIDE = 2 } pmc_layout;

/* A stream ready to decode: tables built, bit position after the tree. */
typedef struct pmc_decoder {
  const uint8_t *stream;
  uint64_t len;
  uint64_t p;        /* bit position of the next code */
  pmc_layout layout; /* ONE_SYMBOL: the tree is a single leaf `sym` (no tables) */
  unsigned w;        /* primary width of `multi` and `tab` */
  uint8_t sym;
  void *block;       /* the one allocation holding the tables (free with pmc_decoder_free) */
  const void *multi; /* uint32_t[2^w] (compact) or uint64_t[2^w] (wide) */
  const uint32_t *tab;
} pmc_decoder;

/* How the decoder's tables will be used: by one stream's chains alone, or beside another
 * stream's in an interleaved pair (two tables then share the L1: each at most 16 KiB). */
typedef enum pmc_table_use { PMC_TABLES_ALONE = 0, PMC_TABLES_PAIRED = 1 } pmc_table_use;

/* Parses the tree (contract steps 4-5; steps 2-3 are the caller's) and builds the tables,
 * choosing the layout from the tree height, out_size, `use` and a probe of the stream (speed
 * only: the output never depends on it). On failure nothing is left to free. */
pmc_status pmc_decoder_init(pmc_decoder *d, const uint8_t *stream, uint64_t len,
                            uint64_t out_size, pmc_table_use use);
void pmc_decoder_free(pmc_decoder *d);

/* The same with a given layout (COMPACT or WIDE) and primary width (clamped to 1 .. the layout's
 * cap): for the C tests and benchmarks, which check every layout and width on any stream. */
pmc_status pmc_decoder_init_layout(pmc_decoder *d, const uint8_t *stream, uint64_t len,
                                   pmc_layout layout, unsigned w);

/* Split decode from d->p (after the tree, or the true position a previous split left, with out
 * then pointing at the symbol there): decodes a prefix of out[0 .. out_size) as two interleaved
 * chains (pmc_decode_split.c) and returns its length, with d->p at the true position after it;
 * 0 (nothing done) when the split does not apply. Speed only: pmc_decoder_run(d, out, out_size,
 * returned) then finishes exactly as from 0. */
uint64_t pmc_decode_split(pmc_decoder *d, uint8_t *out, uint64_t out_size);

/* The same for the next n symbols of a decoder at any code boundary (d->p, e.g. where a previous
 * pmc_decoder_run stopped), into out[0 .. n): the split of the bits [d->p, end_bit), end_bit
 * being the caller's estimate of where those n symbols end (bits past it are not read; an
 * estimate off by more than the split's margins only leaves more to the plain loop). Returns the
 * prefix length with d->p after it; pmc_decoder_run(d, out - o, o + n, o + returned) finishes
 * the span exactly as from its start. For callers that decode a long output span by span. */
uint64_t pmc_decode_split_span(pmc_decoder *d, uint8_t *out, uint64_t n, uint64_t end_bit);

/* Decodes out[o .. out_size) (the whole contract's steps 5-6) and frees nothing. */
pmc_status pmc_decoder_run(pmc_decoder *d, uint8_t *out, uint64_t out_size, uint64_t o);

/* Up to 24 bits starting at bit p, MSB-aligned in the low `w` bits, zeros past the end. */
PMC_INLINE uint32_t pmc_peek_safe(const uint8_t *s, uint64_t len, uint64_t p, unsigned w) {
  const uint64_t byte = p >> 3;
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    v <<= 8;
    if (byte + i < len) v |= s[byte + i];
  }
  return (uint32_t)(v << (p & 7)) >> (32 - w);
}

/* Decodes one symbol at *p with full bounds checks (the tail, and §1.5 step 6's truncation). */
PMC_INLINE pmc_status pmc_decode_one_safe(const uint8_t *s, uint64_t len, const uint32_t *tab,
                                          unsigned w0, uint64_t *p, uint8_t *dst) {
  const uint64_t total_bits = len * 8;
  uint64_t q = *p;
  uint32_t base = 0;
  unsigned w = w0;
  for (;;) {
    const uint32_t e = tab[base + pmc_peek_safe(s, len, q, w)];
    if (e & PMC_E_PTR) {
      if (q + w >= total_bits) return PMC_ERR_TRUNCATED_STREAM;
      q += w;
      base = (e & ~PMC_E_PTR) >> 5;
      w = e & 31;
      continue;
    }
    const unsigned l = (e >> 16) & 0xff;
    if (q + l > total_bits) return PMC_ERR_TRUNCATED_STREAM;
    *dst = (uint8_t)e;
    *p = q + l;
    return PMC_OK;
  }
}

#endif
