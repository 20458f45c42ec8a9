/*
 * Split decode of one stream (docs/FORMAT.md §1.5 unchanged: same bytes, same statuses). One
 * stream is one chain of dependent lookups (~7 cycles each); two chains in one thread overlap,
 * as the batches' pairs do. A Huffman stream has no restart points, but its codes resynchronise:
 * decoding from an arbitrary bit soon lands on the true code boundaries. So:
 *
 *  1. B, speculative: from the byte at the middle of the data bits, SPLIT_SYNC_CODES codes one at
 *     a time (their start positions recorded), then whole rounds, into out[bs ..), where bs is
 *     a little above the estimated number of symbols in the first half of the bits.
 *  2. A, true: whole rounds from the first data bit into out[0 .. bs), interleaved with B's
 *     rounds, until A is within one round of B's start.
 *  3. A, one code at a time (the checked path), until its position equals one of B's recorded
 *     boundaries: from there on B decoded exactly what A would, so B's symbols from that code on
 *     are moved down to follow A's. If A passes them all without a match (a code that does not
 *     resynchronise, such as fixed-length codes at another phase), or reaches bs first (a first
 *     half denser than estimated), B's work is dropped (the true decode overwrites it).
 *  4. The caller's loop (pmc_decoder_run) decodes the rest from the true position: the symbols
 *     B had no room for, the tail and any truncation, exactly as without the split.
 *
 * Before the sync only A writes out[0 .. bs), B's symbols are used only from a boundary the
 * true decode reached, and the only decode error (truncation) is left to A's checked path or to
 * step 4: the result cannot differ from the plain loop. No allocation: B's scratch is the part
 * of `out` the true decode writes last.
 */
#include <string.h>

#include "pmc_decode_fast.h"

#define SPLIT_MIN_OUT 8192
/* Codes B decodes one at a time: the boundaries a sync can land on. Codes of the corpus resync
 * within a few codes; 96 covers 1000+ bits of 8-bit-and-longer codes too. */
#define SPLIT_SYNC_CODES 96
/* Data bits below which the split is not worth its fixed cost (~5k cycles). */
#define SPLIT_MIN_BITS ((uint64_t)1 << 15)

_Static_assert(PMC_FAST_LOOKUPS * PMC_WIDE_BITS + 8 <= 64,
               "A stops one 8-byte refill before B's start: a round never passes it");

/* A code longer than the buffered bits (a round's `0`): one code through the checked path, as in
 * pmc_decoder_run. Returns 0 on truncation, leaving s at that code. */
PMC_INLINE int split_checked_step(const pmc_decoder *d, fast_state *s, uint8_t *dst) {
  uint64_t p = fast_bit_position(s, d->stream);
  if (pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &p, dst + s->o) != PMC_OK) return 0;
  fast_begin(s, d->stream, p, s->o + 1);
  return 1;
}

/* Rounds a chain can start, from here, each inside its bounds (what fast_can_run checks before
 * a round): a round advances bp by at most 7 bytes (one refill) and o by at most `per` symbols,
 * so when the first round may start, 1 + the room left over those steps may too. Counting the
 * rounds of a block ahead keeps the bounds out of the rounds' loop: its live values are then
 * the two chains' states and the tables (in wasm, fewer than the registers V8 allocates, so
 * the bit buffers are not spilled across lookups). */
PMC_INLINE uint64_t fast_rounds_left(const fast_state *s, const uint8_t *bp_last,
                                     uint64_t o_last, unsigned per) {
  if (!fast_can_run(s, bp_last, o_last)) return 0;
  const uint64_t by_in = (uint64_t)(bp_last - s->bp) / 7, by_out = (o_last - s->o) / per;
  return 1 + (by_in < by_out ? by_in : by_out);
}

/* Phase 2 for one layout: A rounds (stopping before a_last) interleaved with B rounds, then B
 * alone, in blocks of rounds counted by fast_rounds_left. A round that ends on a long code
 * (round_fn's 0) ends its block: that chain takes a checked step and the next block is counted
 * from there. Returns 0 when A's checked step failed (truncation: left to the caller), with x
 * at the failing code; B stops at its truncation or when out of room. */
#define SPLIT_ROUNDS(round_fn, mtype, per)                                                     \
  PMC_INLINE int split_rounds_##mtype(const pmc_decoder *d, fast_state *x, fast_state *y,    \
                                      const uint8_t *a_last, uint64_t xo, const uint8_t *b_last, \
                                      uint64_t yo, uint8_t *out, uint8_t *tmp) {             \
    const mtype *m = (const mtype *)d->multi;                                                 \
    const uint32_t *const tab = d->tab;                                                       \
    const unsigned w = d->w;                                                                  \
    int b_live = 1;                                                                           \
    for (;;) {                                                                                \
      uint64_t k = fast_rounds_left(x, a_last, xo, (per));                                    \
      if (k == 0) break;                                                                      \
      if (b_live) {                                                                           \
        const uint64_t kb = fast_rounds_left(y, b_last, yo, (per));                           \
        if (kb == 0) {                                                                        \
          b_live = 0;                                                                         \
          continue;                                                                           \
        }                                                                                     \
        if (kb < k) k = kb;                                                                   \
        int a_ok = 1, b_ok = 1;                                                               \
        do {                                                                                  \
          if (PMC_UNLIKELY(!(b_ok = round_fn(y, m, tab, w, tmp)))) break;                     \
          if (PMC_UNLIKELY(!(a_ok = round_fn(x, m, tab, w, out)))) break;                     \
        } while (--k);                                                                        \
        if (!b_ok) b_live = split_checked_step(d, y, tmp);                                    \
        else if (!a_ok && !split_checked_step(d, x, out)) return 0;                           \
      } else {                                                                                \
        do {                                                                                  \
          if (PMC_UNLIKELY(!round_fn(x, m, tab, w, out))) {                                   \
            if (!split_checked_step(d, x, out)) return 0;                                     \
            break;                                                                            \
          }                                                                                   \
        } while (--k);                                                                        \
      }                                                                                       \
    }                                                                                         \
    while (b_live) {                                                                          \
      uint64_t k = fast_rounds_left(y, b_last, yo, (per));                                    \
      if (k == 0) break;                                                                      \
      do {                                                                                    \
        if (PMC_UNLIKELY(!round_fn(y, m, tab, w, tmp))) {                                     \
          b_live = split_checked_step(d, y, tmp);                                             \
          break;                                                                              \
        }                                                                                     \
      } while (--k);                                                                          \
    }                                                                                         \
    return 1;                                                                                 \
  }

SPLIT_ROUNDS(round_compact, uint32_t, PMC_FAST_LOOKUPS * PMC_COMPACT_MAX)
SPLIT_ROUNDS(round_wide, uint64_t, PMC_FAST_LOOKUPS * PMC_WIDE_MAX)

#if PMC_HAVE_BMI2_BODY
/* Phase 2 of the compact layout with BMI2's shifts (the same C, so the same bytes): measured
 * 5-6% faster on the corpus's compact streams, while the wide layout's rounds ran 2-5% slower
 * with them, so those keep the portable body. */
PMC_TARGET_BMI2 static int split_rounds_compact_bmi2(const pmc_decoder *d, fast_state *x,
                                                     fast_state *y, const uint8_t *a_last,
                                                     uint64_t xo, const uint8_t *b_last,
                                                     uint64_t yo, uint8_t *out, uint8_t *tmp) {
  return split_rounds_uint32_t(d, x, y, a_last, xo, b_last, yo, out, tmp);
}
#endif

/* Large outputs: the first half's symbol count from its density sampled at SPLIT_SAMPLES
 * points (a frame's bits per symbol vary with its content: bright structures in one half put
 * 20-40% more bits per symbol there, measured on the corpus); smaller ones by the bit share.
 * Each sample skips SPLIT_SAMPLE_WARMUP codes (to resynchronise) and then counts the codes of
 * SPLIT_SAMPLE_LOOKUPS multi-symbol lookups. */
#define SPLIT_SAMPLES 16
#define SPLIT_SAMPLE_WARMUP 8
#define SPLIT_SAMPLE_LOOKUPS 64
#define SPLIT_SAMPLED_OUT ((uint64_t)1 << 18)

/* Bits per symbol of the stream from bit q on; 0 when the stream ends first. */
static double sample_density(const pmc_decoder *d, uint64_t q) {
  uint8_t sym;
  for (int k = 0; k < SPLIT_SAMPLE_WARMUP; k++)
    if (pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &q, &sym) != PMC_OK) return 0;
  const uint64_t start = q;
  uint64_t codes = 0;
  for (int k = 0; k < SPLIT_SAMPLE_LOOKUPS; k++) {
    if ((q >> 3) + 8 > d->len) return 0;
    const uint64_t idx = (pmc_load_be64(d->stream + (q >> 3)) << (q & 7)) >> (64 - d->w);
    unsigned bits, cnt;
    if (d->layout == PMC_LAYOUT_WIDE) {
      const uint64_t e = ((const uint64_t *)d->multi)[idx];
      bits = (unsigned)(e & 63);
      cnt = (unsigned)(e >> 56);
    } else {
      const uint32_t e = ((const uint32_t *)d->multi)[idx];
      bits = e & 63;
      cnt = (e >> 6) & 3;
    }
    if (cnt == 0) { /* a long code */
      if (pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &q, &sym) != PMC_OK) return 0;
      codes++;
      continue;
    }
    q += bits;
    codes += cnt;
  }
  return (double)(q - start) / (double)codes;
}

static uint64_t first_half_symbols(const pmc_decoder *d, uint64_t pm, uint64_t out_size) {
  const uint64_t p0 = d->p, total = d->len * 8;
  const double by_share = (double)(pm - p0) / (double)(total - p0) * (double)out_size;
  if (out_size < SPLIT_SAMPLED_OUT) return (uint64_t)by_share;
  const uint64_t seg = (pm - p0) / SPLIT_SAMPLES;
  double symbols = 0;
  for (int i = 0; i < SPLIT_SAMPLES; i++) {
    const double bps = sample_density(d, p0 + (uint64_t)i * seg + seg / 2);
    if (!(bps > 0)) return (uint64_t)by_share;
    symbols += (double)seg / bps;
  }
  return symbols < (double)out_size ? (uint64_t)symbols : out_size;
}

uint64_t pmc_decode_split(pmc_decoder *d, uint8_t *out, uint64_t out_size) {
  const uint64_t total = d->len * 8, p0 = d->p;
  if (d->layout == PMC_LAYOUT_ONE_SYMBOL || out_size < SPLIT_MIN_OUT || total - p0 < SPLIT_MIN_BITS)
    return 0;
  const uint64_t pm = ((p0 + (total - p0) / 2) >> 3) << 3;
  /* B's first symbol goes to out[bs]: the estimated number of symbols in the first half plus
   * 1/16 of the output (a denser first half than that drops the split; B's share is then short
   * of the stream's end by bs minus A's true count, which step 4 decodes). */
  const uint64_t bs = first_half_symbols(d, pm, out_size) + out_size / 16 + 64;
  if (bs + SPLIT_SYNC_CODES + 2 * PMC_FAST_OUT_SLACK >= out_size) return 0;
  uint8_t *const tmp = out + bs;
  const uint64_t tmp_size = out_size - bs;

  /* 1. B's boundaries: bnd[k] is where B's code k starts (tmp[k]); bnd[K] is where its rounds
   * start. Truncation here (a stream ending inside B's first codes) drops the split. */
  uint64_t bnd[SPLIT_SYNC_CODES + 1];
  uint64_t q = pm;
  for (int k = 0; k < SPLIT_SYNC_CODES; k++) {
    bnd[k] = q;
    if (pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &q, tmp + k) != PMC_OK) return 0;
  }
  bnd[SPLIT_SYNC_CODES] = q;

  /* 2. Interleaved rounds. A's rounds start with its next 8-byte load at most at B's start byte
   * minus 8, so A ends them before pm (the _Static_assert above); A's stores stay below bs. */
  fast_state x, y;
  fast_begin(&x, d->stream, p0, 0);
  fast_begin(&y, d->stream, q, SPLIT_SYNC_CODES);
  const uint8_t *const a_last = d->stream + (pm >> 3) - 8;
  const uint8_t *const b_last = d->stream + d->len - 8;
  const uint64_t xo = bs - PMC_FAST_OUT_SLACK, yo = tmp_size - PMC_FAST_OUT_SLACK;
  int ok;
#if PMC_HAVE_BMI2_BODY
  if (d->layout == PMC_LAYOUT_COMPACT && pmc_cpu_has_bmi2())
    ok = split_rounds_compact_bmi2(d, &x, &y, a_last, xo, b_last, yo, out, tmp);
  else
#endif
    ok = d->layout == PMC_LAYOUT_COMPACT
             ? split_rounds_uint32_t(d, &x, &y, a_last, xo, b_last, yo, out, tmp)
             : split_rounds_uint64_t(d, &x, &y, a_last, xo, b_last, yo, out, tmp);
  uint64_t p = fast_bit_position(&x, d->stream), o = x.o;
  if (!ok) {
    d->p = p;
    return o;
  }

  /* 3. A code by code until it meets one of B's boundaries, passes them all or reaches bs. */
  int j = 0;
  while (o < bs) {
    while (j <= SPLIT_SYNC_CODES && bnd[j] < p) j++;
    if (j > SPLIT_SYNC_CODES || bnd[j] == p) break;
    if (pmc_decode_one_safe(d->stream, d->len, d->tab, d->w, &p, out + o) != PMC_OK) break;
    o++;
  }
  if (o < bs && j <= SPLIT_SYNC_CODES && bnd[j] == p) {
    /* Synced at B's code j: tmp[j .. y.o) are the true symbols out[o ..); o < bs <= bs + j. */
    const uint64_t have = y.o - (uint64_t)j, room = out_size - o;
    const uint64_t take = have < room ? have : room;
    memmove(out + o, tmp + j, (size_t)take);
    o += take;
    if (take == have) p = fast_bit_position(&y, d->stream);
  }
  d->p = p;
  return o;
}

/* The split reads nothing at or past d->len * 8 (its loads, checked steps and samples are all
 * bounded by d->len) and never depends on d->p being the first data bit, so a copy of the
 * decoder cut at end_bit splits just the span; a code running past the cut is left to the
 * caller's loop, which has the whole stream. */
uint64_t pmc_decode_split_span(pmc_decoder *d, uint8_t *out, uint64_t n, uint64_t end_bit) {
  pmc_decoder span = *d;
  if (end_bit / 8 < span.len) span.len = end_bit / 8;
  if (span.len * 8 <= span.p) return 0;
  const uint64_t k = pmc_decode_split(&span, out, n);
  d->p = span.p;
  return k;
}
