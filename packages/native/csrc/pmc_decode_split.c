/*
 * Split decode of one stream (docs/FORMAT.md §1.5 unchanged: same bytes, same statuses). One
 * stream is one chain of dependent lookups (~7 cycles each); two chains in one thread overlap,
 * as the batches' pairs do. A Huffman stream has no restart points, but its codes resynchronise:
 * decoding from an arbitrary bit soon lands on the true code boundaries. So:
 *
 *  1. B, speculative: from the byte at the middle of the data bits, SPLIT_SYNC_CODES codes one at
 *     a time (their end positions recorded), then whole rounds into a scratch buffer.
 *  2. A, true: whole rounds from the first data bit into `out`, interleaved with B's rounds,
 *     until A is within one round of B's start.
 *  3. A, one code at a time (the checked path), until its position equals one of B's recorded
 *     boundaries: from there on B decoded exactly what A would, so B's symbols from that code on
 *     are copied to `out` after A's. If A passes them all without a match (a code that does not
 *     resynchronise, such as fixed-length codes at another phase), B's work is dropped.
 *  4. The caller's loop (pmc_decoder_run) decodes the rest from the true position, including the
 *     tail and any truncation, exactly as without the split.
 *
 * Only the true decoder writes `out` before the sync, B's symbols are used only from a boundary
 * the true decode reached, and the only decode error (truncation) is left to step 4 or to A's
 * checked path: the result cannot differ from the plain loop. Used for outputs of
 * SPLIT_MIN_OUT .. SPLIT_MAX_OUT symbols (256x256 tiles and Zarr chunks, whose decode time the
 * split bounds; the scratch buffer stays in the allocator's heap).
 */
#include <stdlib.h>
#include <string.h>

#include "pmc_decode_fast.h"

#define SPLIT_MIN_OUT 8192
#define SPLIT_MAX_OUT ((uint64_t)1 << 19)
/* Codes B decodes one at a time: the boundaries a sync can land on. Codes of the corpus resync
 * within a few codes; 96 covers 1000+ bits of 8-bit-and-longer codes too. */
#define SPLIT_SYNC_CODES 96
/* Data bits below which the split is not worth its fixed cost (~5k cycles). */
#define SPLIT_MIN_BITS ((uint64_t)1 << 15)

_Static_assert(PMC_FAST_LOOKUPS * PMC_WIDE_BITS + 8 <= 64,
               "A stops one 8-byte refill before B's start: a round never passes it");

/* Phase 2 for one layout: A rounds (stopping before a_last) interleaved with B rounds, then each
 * alone. A long code A cannot finish from its buffer goes through the checked path (as in
 * pmc_decoder_run); B simply stops there. Returns 0 when A's checked step failed (truncation:
 * left to the caller), with x at the failing code. */
#define SPLIT_ROUNDS(round_fn, mtype)                                                          \
  PMC_INLINE int split_rounds_##mtype(const pmc_decoder *d, fast_state *x, fast_state *y,    \
                                      const uint8_t *a_last, uint64_t xo, const uint8_t *b_last, \
                                      uint64_t yo, uint8_t *out, uint8_t *tmp) {             \
    const mtype *m = (const mtype *)d->multi;                                                 \
    int b_live = 1;                                                                           \
    while (fast_can_run(x, a_last, xo)) {                                                     \
      if (b_live) b_live = fast_can_run(y, b_last, yo) && round_fn(y, m, d->tab, d->w, tmp); \
      if (!round_fn(x, m, d->tab, d->w, out)) {                                               \
        uint64_t p = fast_bit_position(x, d->stream);                                         \
        if (pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &p, out + x->o) != PMC_OK)   \
          return 0;                                                                           \
        fast_begin(x, d->stream, p, x->o + 1);                                                \
      }                                                                                       \
    }                                                                                         \
    while (b_live && fast_can_run(y, b_last, yo) && round_fn(y, m, d->tab, d->w, tmp)) {     \
    }                                                                                         \
    return 1;                                                                                 \
  }

SPLIT_ROUNDS(round_compact, uint32_t)
SPLIT_ROUNDS(round_wide, uint64_t)

uint64_t pmc_decode_split(pmc_decoder *d, uint8_t *out, uint64_t out_size) {
  const uint64_t total = d->len * 8, p0 = d->p;
  if (d->layout == PMC_LAYOUT_ONE_SYMBOL || out_size < SPLIT_MIN_OUT || out_size > SPLIT_MAX_OUT ||
      total - p0 < SPLIT_MIN_BITS)
    return 0;
  const uint64_t pm = ((p0 + (total - p0) / 2) >> 3) << 3;
  uint8_t *tmp = (uint8_t *)malloc((size_t)out_size);
  if (!tmp) return 0; /* speed only: decode without the split */

  /* 1. B's boundaries: bnd[k] is where B's code k starts (tmp[k]); bnd[K] is where its rounds
   * start. Truncation here (a stream ending inside B's first codes) drops the split. */
  uint64_t bnd[SPLIT_SYNC_CODES + 1];
  uint64_t q = pm;
  for (int k = 0; k < SPLIT_SYNC_CODES; k++) {
    bnd[k] = q;
    if (pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &q, tmp + k) != PMC_OK) {
      free(tmp);
      return 0;
    }
  }
  bnd[SPLIT_SYNC_CODES] = q;

  /* 2. Interleaved rounds. A's rounds start with its next 8-byte load at most at B's start byte
   * minus 8, so A ends them before pm (the _Static_assert above). */
  fast_state x, y;
  fast_begin(&x, d->stream, p0, 0);
  fast_begin(&y, d->stream, q, SPLIT_SYNC_CODES);
  const uint8_t *const a_last = d->stream + (pm >> 3) - 8;
  const uint8_t *const b_last = d->stream + d->len - 8;
  const uint64_t xo = out_size - PMC_FAST_OUT_SLACK, yo = out_size - PMC_FAST_OUT_SLACK;
  const int ok = d->layout == PMC_LAYOUT_COMPACT
                     ? split_rounds_uint32_t(d, &x, &y, a_last, xo, b_last, yo, out, tmp)
                     : split_rounds_uint64_t(d, &x, &y, a_last, xo, b_last, yo, out, tmp);
  uint64_t p = fast_bit_position(&x, d->stream), o = x.o;
  if (!ok) {
    d->p = p;
    free(tmp);
    return o;
  }

  /* 3. A code by code until it meets one of B's boundaries (or passes them all). */
  int j = 0;
  while (o < out_size) {
    while (j <= SPLIT_SYNC_CODES && bnd[j] < p) j++;
    if (j > SPLIT_SYNC_CODES || bnd[j] == p) break;
    if (pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &p, out + o) != PMC_OK) break;
    o++;
  }
  if (o < out_size && j <= SPLIT_SYNC_CODES && bnd[j] == p) {
    /* Synced at B's code j: tmp[j .. y.o) are the true symbols out[o ..). */
    const uint64_t have = y.o - (uint64_t)j, room = out_size - o;
    const uint64_t take = have < room ? have : room;
    memcpy(out + o, tmp + j, (size_t)take);
    o += take;
    if (take == have) p = fast_bit_position(&y, d->stream);
  }
  d->p = p;
  free(tmp);
  return o;
}
