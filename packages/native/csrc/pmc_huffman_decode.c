/*
 * Huffman decode loops (docs/FORMAT.md §1.4-1.5): a fast loop of whole rounds (one branch-free
 * refill, PMC_FAST_LOOKUPS multi-symbol lookups) while the stream and output have room, and the
 * bounds-checked one-symbol path for the tail and for truncation. Tables and their layouts:
 * pmc_decode.h / pmc_decode_tables.c.
 *
 * Batches: independent streams are decoded two at a time in one thread, the rounds of the two
 * bit readers interleaved. One stream is a single chain of dependent lookups (load entry ->
 * shift -> next index); two chains let the CPU overlap one's load latency with the other's work.
 */
#include <stdlib.h>
#include <string.h>

#include "pmc_decode_fast.h"

pmc_status pmc_huffman_check_output_size(uint64_t stream_len, uint64_t out_size) {
  if (out_size == 0) return PMC_OK;
  /* out_size > 8 * stream_len - 9, computed without overflow or sign trouble */
  if (stream_len > ((uint64_t)1 << 59)) return PMC_OK;
  const uint64_t bits = 8 * stream_len;
  if (bits < 9 || out_size > bits - 9) return PMC_ERR_OUTPUT_TOO_LARGE;
  return PMC_OK;
}

/* Decodes whole rounds of one stream from d->p / o. Needs out_size - o >= PMC_FAST_OUT_SLACK
 * and (d->p >> 3) + 9 <= d->len; updates d->p, returns the new output position. */
PMC_INLINE uint64_t decode_fast_body(pmc_decoder *d, uint8_t *out, uint64_t out_size,
                                     uint64_t o) {
  fast_state s;
  fast_begin(&s, d->stream, d->p, o);
  const uint8_t *const bp_last = d->stream + d->len - 8;
  const uint64_t o_last = out_size - PMC_FAST_OUT_SLACK;
  const unsigned w = d->w;
  if (d->layout == PMC_LAYOUT_COMPACT) {
    const uint32_t *multi = (const uint32_t *)d->multi;
    while (fast_can_run(&s, bp_last, o_last) && round_compact(&s, multi, d->tab, w, out)) {
    }
  } else {
    const uint64_t *multi = (const uint64_t *)d->multi;
    while (fast_can_run(&s, bp_last, o_last) && round_wide(&s, multi, d->tab, w, out)) {
    }
  }
  d->p = fast_bit_position(&s, d->stream);
  return s.o;
}

/* The loops twice: portable, and with BMI2's shifts (the same C, so the same bytes), chosen per
 * call from the cached CPU features. */
static uint64_t decode_fast_generic(pmc_decoder *d, uint8_t *out, uint64_t out_size, uint64_t o) {
  return decode_fast_body(d, out, out_size, o);
}

#if PMC_HAVE_BMI2_BODY
PMC_TARGET_BMI2 static uint64_t decode_fast_bmi2(pmc_decoder *d, uint8_t *out, uint64_t out_size,
                                                 uint64_t o) {
  return decode_fast_body(d, out, out_size, o);
}
#endif

static uint64_t decode_fast(pmc_decoder *d, uint8_t *out, uint64_t out_size, uint64_t o) {
#if PMC_HAVE_BMI2_BODY
  if (pmc_cpu_has_bmi2()) return decode_fast_bmi2(d, out, out_size, o);
#endif
  return decode_fast_generic(d, out, out_size, o);
}

PMC_INLINE int fast_ready(const pmc_decoder *d, uint64_t out_size, uint64_t o) {
  return out_size - o >= PMC_FAST_OUT_SLACK && (d->p >> 3) + 9 <= d->len;
}

pmc_status pmc_decoder_run(pmc_decoder *d, uint8_t *out, uint64_t out_size, uint64_t o) {
  if (d->layout == PMC_LAYOUT_ONE_SYMBOL) {
    if (out_size > o) memset(out + o, d->sym, (size_t)(out_size - o));
    return PMC_OK;
  }
  while (o < out_size) {
    /* The fast loop stops before a round that would break its preconditions, or on a long code
     * it cannot finish from its buffer: then one symbol goes through the checked path, which
     * also decodes the tail and reports truncation. */
    if (fast_ready(d, out_size, o)) {
      o = decode_fast(d, out, out_size, o);
      if (o >= out_size) break;
    }
    const pmc_status st = pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &d->p, out + o);
    if (st != PMC_OK) return st;
    o++;
  }
  return PMC_OK;
}

/* Contract steps 2-3 (docs/FORMAT.md §1.5); PMC_OK with *done = 1 when nothing is to decode. */
static pmc_status check_call(uint64_t len, uint64_t out_size, int *done) {
  *done = 0;
  const pmc_status st = pmc_huffman_check_output_size(len, out_size);
  if (st != PMC_OK) return st;
  if (out_size == 0) {
    *done = 1;
    return PMC_OK;
  }
  if (len > ((uint64_t)1 << 60)) return PMC_ERR_INVALID_ARGUMENT;
  return PMC_OK;
}

/* One fresh decoder's whole output: split prefixes, then the plain loop. A split leaves to its
 * caller the symbols its second chain had no room for (its margin of 1/16 of the output plus the
 * estimate's error: 6-10% of the corpus frames' symbols), from the true position after its
 * prefix: the same contract as a fresh decoder's on the rest of the output, so split that too
 * while it is long enough, rather than decode it as one chain. */
static pmc_status decode_alone(pmc_decoder *d, uint8_t *out, uint64_t out_size) {
  uint64_t o = 0, k;
  while (o < out_size && (k = pmc_decode_split(d, out + o, out_size - o)) > 0) o += k;
  return pmc_decoder_run(d, out, out_size, o);
}

static pmc_status decode_one_stream(const uint8_t *stream, uint64_t len, uint8_t *out,
                                    uint64_t out_size) {
  pmc_decoder d;
  pmc_status st = pmc_decoder_init(&d, stream, len, out_size, PMC_TABLES_ALONE);
  if (st != PMC_OK) return st;
  st = decode_alone(&d, out, out_size);
  pmc_decoder_free(&d);
  return st;
}

pmc_status pmc_huffman_decompress(const uint8_t *stream, uint64_t len, uint8_t *out,
                                  uint64_t out_size) {
  int done;
  pmc_status st = check_call(len, out_size, &done);
  if (st != PMC_OK || done) return st;
  if (PMC_UNLIKELY(pmc_overlaps(stream, len, out, out_size))) {
    /* Output written over its own stream: decode from a copy (as if the stream were read first). */
    uint8_t *copy = (uint8_t *)malloc((size_t)len);
    if (!copy) return PMC_ERR_NO_MEMORY;
    memcpy(copy, stream, (size_t)len);
    st = decode_one_stream(copy, len, out, out_size);
    free(copy);
    return st;
  }
  return decode_one_stream(stream, len, out, out_size);
}

/* ------------------------------------------------------------------------------------------ */
/* Batches                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Widest tables of interleaved pairs: two 16 KiB tables share the L1 (measured: capping at 11
 * bits cost more in escapes than it saved in misses); two 14-bit tables evicted each other. */
#define PAIR_MAX_BITS PMC_COMPACT_BITS

/* Interleaves whole rounds of a and b while both can run one (same layout, both fast-ready);
 * leaves a->p, b->p and *o_a, *o_b where the rounds stopped. */
PMC_INLINE void pair_rounds_body(pmc_decoder *a, uint8_t *oa, uint64_t na, pmc_decoder *b,
                                 uint8_t *ob, uint64_t nb, uint64_t *o_a, uint64_t *o_b) {
  fast_state x, y;
  fast_begin(&x, a->stream, a->p, 0);
  fast_begin(&y, b->stream, b->p, 0);
  const uint8_t *const xa = a->stream + a->len - 8, *const yb = b->stream + b->len - 8;
  const uint64_t xo = na - PMC_FAST_OUT_SLACK, yo = nb - PMC_FAST_OUT_SLACK;
  const unsigned wa = a->w, wb = b->w;
  if (a->layout == PMC_LAYOUT_COMPACT) {
    const uint32_t *ma = (const uint32_t *)a->multi, *mb = (const uint32_t *)b->multi;
    while (fast_can_run(&x, xa, xo) && fast_can_run(&y, yb, yo) &&
           round_compact(&x, ma, a->tab, wa, oa) && round_compact(&y, mb, b->tab, wb, ob)) {
    }
  } else {
    const uint64_t *ma = (const uint64_t *)a->multi, *mb = (const uint64_t *)b->multi;
    while (fast_can_run(&x, xa, xo) && fast_can_run(&y, yb, yo) &&
           round_wide(&x, ma, a->tab, wa, oa) && round_wide(&y, mb, b->tab, wb, ob)) {
    }
  }
  a->p = fast_bit_position(&x, a->stream);
  b->p = fast_bit_position(&y, b->stream);
  *o_a = x.o;
  *o_b = y.o;
}

static void pair_rounds_generic(pmc_decoder *a, uint8_t *oa, uint64_t na, pmc_decoder *b,
                                uint8_t *ob, uint64_t nb, uint64_t *o_a, uint64_t *o_b) {
  pair_rounds_body(a, oa, na, b, ob, nb, o_a, o_b);
}

#if PMC_HAVE_BMI2_BODY
PMC_TARGET_BMI2 static void pair_rounds_bmi2(pmc_decoder *a, uint8_t *oa, uint64_t na,
                                             pmc_decoder *b, uint8_t *ob, uint64_t nb,
                                             uint64_t *o_a, uint64_t *o_b) {
  pair_rounds_body(a, oa, na, b, ob, nb, o_a, o_b);
}
#endif

/* Interleaves whole rounds of a and b while both can run one, then finishes each alone. */
static void decode_pair(pmc_decoder *a, uint8_t *oa, uint64_t na, pmc_decoder *b, uint8_t *ob,
                        uint64_t nb, pmc_status *sa, pmc_status *sb) {
  uint64_t o_a = 0, o_b = 0;
  if (a->layout == b->layout && a->layout != PMC_LAYOUT_ONE_SYMBOL && fast_ready(a, na, 0) &&
      fast_ready(b, nb, 0)) {
#if PMC_HAVE_BMI2_BODY
    if (pmc_cpu_has_bmi2()) {
      pair_rounds_bmi2(a, oa, na, b, ob, nb, &o_a, &o_b);
    } else {
      pair_rounds_generic(a, oa, na, b, ob, nb, &o_a, &o_b);
    }
#else
    pair_rounds_generic(a, oa, na, b, ob, nb, &o_a, &o_b);
#endif
  }
  *sa = pmc_decoder_run(a, oa, na, o_a);
  *sb = pmc_decoder_run(b, ob, nb, o_b);
}

/* Two calls may be interleaved when neither writes into bytes the other reads or writes, and
 * neither writes into its own stream (which pmc_huffman_decompress handles with a copy). */
static int pair_independent(const uint8_t *sa, uint64_t la, uint8_t *oa, uint64_t na,
                            const uint8_t *sb, uint64_t lb, uint8_t *ob, uint64_t nb) {
  return !pmc_overlaps(oa, na, sa, la) && !pmc_overlaps(ob, nb, sb, lb) &&
         !pmc_overlaps(oa, na, sb, lb) && !pmc_overlaps(ob, nb, sa, la) &&
         !pmc_overlaps(oa, na, ob, nb);
}

pmc_status pmc_huffman_decompress_batch(size_t count, const uint8_t *const *streams,
                                        const uint64_t *stream_lens, uint8_t *const *outs,
                                        const uint64_t *out_sizes, pmc_status *statuses) {
  pmc_status first = PMC_OK;
  size_t i = 0;
  while (i < count) {
    int paired = 0;
    if (i + 1 < count) {
      const size_t j = i + 1;
      int done_a, done_b;
      const pmc_status ca = check_call(stream_lens[i], out_sizes[i], &done_a);
      const pmc_status cb = check_call(stream_lens[j], out_sizes[j], &done_b);
      if (ca == PMC_OK && cb == PMC_OK && !done_a && !done_b &&
          pair_independent(streams[i], stream_lens[i], outs[i], out_sizes[i], streams[j],
                           stream_lens[j], outs[j], out_sizes[j])) {
        pmc_decoder a, b;
        pmc_status sa = pmc_decoder_init(&a, streams[i], stream_lens[i], out_sizes[i],
                                         PMC_TABLES_PAIRED);
        pmc_status sb = pmc_decoder_init(&b, streams[j], stream_lens[j], out_sizes[j],
                                         PMC_TABLES_PAIRED);
        if (sa == PMC_OK && sb == PMC_OK && a.w <= PAIR_MAX_BITS && b.w <= PAIR_MAX_BITS) {
          decode_pair(&a, outs[i], out_sizes[i], &b, outs[j], out_sizes[j], &sa, &sb);
        } else {
          /* A stream whose probe chose the 14-bit table decodes faster alone (split in two
           * chains over its one table) than paired on a 12-bit one; in call order, as the
           * pair's buffers are independent. */
          if (sa == PMC_OK) sa = decode_alone(&a, outs[i], out_sizes[i]);
          if (sb == PMC_OK) sb = decode_alone(&b, outs[j], out_sizes[j]);
        }
        pmc_decoder_free(&a); /* init leaves a freeable (empty) decoder on failure too */
        pmc_decoder_free(&b);
        statuses[i] = sa;
        statuses[j] = sb;
        paired = 1;
      }
    }
    if (paired) {
      if (first == PMC_OK) first = statuses[i] != PMC_OK ? statuses[i] : statuses[i + 1];
      i += 2;
    } else {
      statuses[i] = pmc_huffman_decompress(streams[i], stream_lens[i], outs[i], out_sizes[i]);
      if (first == PMC_OK) first = statuses[i];
      i += 1;
    }
  }
  return first;
}
