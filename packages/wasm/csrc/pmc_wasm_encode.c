/*
 * The encoder's emission pass for the wasm build: the core's plan (tree, codes), the core's bit
 * order (docs/FORMAT.md §1.3: MSB-first, a 64-bit accumulator flushed 8 bytes at a time), but
 * codes looked up two symbols at a time.
 *
 * Why: in wasm each table lookup is an address computation, a load and (for the V8 x64 code
 * generator, which shifts by a variable count only through CL) register moves; the core's
 * loop looks up a code and a length per symbol. A table of the concatenated codes of every pair
 * of present symbols (m^2 entries for m symbols, indexed by the two bytes read as one
 * little-endian uint16) halves the lookups and the concatenations: measured 1.6-1.9x faster
 * emission on the 2048x2048 corpus frames in Node (2.7 vs 4.9 ms for 4 Mi quantized symbols).
 * Sixteen, eight or four symbols are put per flush, as the mean code length allows (see the
 * rounds below).
 *
 * The stream header (the tree) and the first two symbols are written by the core itself
 * (pmc_huffman_encode of a two-symbol prefix under the same plan), so the tree serialisation has
 * one home; this pass continues at the bit where that prefix ends. Plans with codes over 28 bits
 * (a pair would not fit a flush), inputs with too few symbols per table entry and small outputs
 * go through pmc_huffman_encode whole. Either way the bytes are the core's.
 *
 * Why not the core's own pair emission (pmc_huffman_encode.c): in wasm it measured slower on
 * every corpus frame (Node, interleaved with core-ts: 1.84-1.96x core-ts on the quantized
 * 2048x2048 frames against 2.0-2.5x here, 1.2-1.5x on the quantized tile when its size
 * threshold was lifted). Its table then filled all 65,536 pairs (it now fills the m^2 of present
 * symbols too, with the same threshold), and, likely (not measured apart), its right-aligned
 * accumulator adds a variable shift per flush, which the V8 x64 code generator does through CL.
 */
#include <stdint.h>

#include "pmc_internal.h"
#include "pmc_wasm.h"
#include "pymecompress.h"

/* Codes of two symbols, left-aligned, at [s0 | s1 << 8], and their total length. Only entries of
 * present symbol pairs are written and read (every input byte has a code). */
static uint64_t g_pair_code[65536];
static uint8_t g_pair_len[65536];
/* Single codes (left-aligned) and lengths, for splits and the tail. */
static uint64_t g_code[256];
static uint8_t g_len[256];

/* Pairs fit one flush (2 * 28 <= 56). */
#define PAIR_MAX_LEN 28
#define FLUSH_BITS 56
/* One round: 16 symbols put in up to 16 flushes of at most 7 bytes each (16 * 28 + 7 bits),
 * each storing 8 bytes: the round needs this much room after op. */
#define ROUND_ROOM 64
/* The pair table pays when each of its m^2 entries serves at least this many symbols. */
#define SYMBOLS_PER_PAIR_ENTRY 8

#define FLUSH()                 \
  do {                          \
    pmc_store_be64(op, acc);    \
    op += nbits >> 3;           \
    acc <<= (nbits & ~7u);      \
    nbits &= 7u;                \
  } while (0)

#define PUT(code, len)      \
  do {                      \
    acc |= (code) >> nbits; \
    nbits += (len);         \
    FLUSH();                \
  } while (0)

/* g, L: the codes of the four symbols at p (two pairs) and their total length; g is exact when
 * L <= 64, and only used when L <= FLUSH_BITS. */
#define QUAD(g, L, p)                                                      \
  uint64_t g;                                                              \
  unsigned L;                                                              \
  do {                                                                     \
    const unsigned a_ = pmc_load_u16(p), b_ = pmc_load_u16((p) + 2);       \
    const unsigned la_ = g_pair_len[a_];                                   \
    g = g_pair_code[a_] | (g_pair_code[b_] >> la_);                        \
    L = la_ + g_pair_len[b_];                                              \
  } while (0)

/* Puts quad (g, L) of the symbols at p: one flush, or one per pair when it is over one. */
#define PUT_QUAD(g, L, p)                                                  \
  do {                                                                     \
    if (PMC_LIKELY((L) <= FLUSH_BITS)) {                                   \
      PUT(g, L);                                                           \
    } else {                                                               \
      const unsigned a_ = pmc_load_u16(p), b_ = pmc_load_u16((p) + 2);     \
      PUT(g_pair_code[a_], g_pair_len[a_]);                                \
      PUT(g_pair_code[b_], g_pair_len[b_]);                                \
    }                                                                      \
  } while (0)

/* Symbols [i, n) with byte-wise, bounds-checked flushes; 0 when the output is too short. */
static int put_tail(const uint8_t *in, uint32_t i, uint32_t n, uint64_t acc, unsigned nbits,
                    uint8_t *op, uint8_t *end) {
  for (; i < n; i++) {
    acc |= g_code[in[i]] >> nbits;
    nbits += g_len[in[i]];
    while (nbits >= 8) {
      if (op >= end) return 0;
      *op++ = (uint8_t)(acc >> 56);
      acc <<= 8;
      nbits -= 8;
    }
  }
  if (nbits > 0) {
    if (op >= end) return 0;
    *op++ = (uint8_t)(acc >> 56);
  }
  return op == end;
}

pmc_status pmc_wasm_encode(const uint8_t *in, uint32_t n, pmc_huff_plan *plan, uint8_t *out) {
  const uint64_t out_bytes = plan->out_bytes;
  if (n != plan->n || n < 2 || plan->max_len > PAIR_MAX_LEN || out_bytes < 2 * ROUND_ROOM) {
    return pmc_huffman_encode(in, n, plan, out, out_bytes);
  }
  uint8_t present[256];
  uint32_t m = 0;
  for (int s = 0; s < 256; s++) {
    if (plan->len[s]) present[m++] = (uint8_t)s;
  }
  if ((uint64_t)m * m * SYMBOLS_PER_PAIR_ENTRY > n) {
    return pmc_huffman_encode(in, n, plan, out, out_bytes);
  }
  for (int s = 0; s < 256; s++) {
    g_code[s] = plan->code[s][0];
    g_len[s] = plan->len[s];
  }
  for (uint32_t y = 0; y < m; y++) {
    const unsigned s1 = present[y];
    const uint64_t c1 = g_code[s1];
    const unsigned l1 = g_len[s1];
    for (uint32_t x = 0; x < m; x++) {
      const unsigned s0 = present[x], l0 = g_len[s0];
      g_pair_code[s0 | s1 << 8] = g_code[s0] | (c1 >> l0);
      g_pair_len[s0 | s1 << 8] = (uint8_t)(l0 + l1);
    }
  }

  /* The tree, in[0] and in[1] by the core: the plan of that prefix (same tree, its size). Two
   * symbols, so the pairs start at even offsets: in uint16 pixels they are the pixel values,
   * whose few high bytes keep the table's live entries in few rows (measured ~3% faster on raw
   * frames than odd offsets). */
  const uint64_t prefix_bits = plan->tree_bits + plan->len[in[0]] + plan->len[in[1]];
  plan->n = 2;
  plan->out_bytes = (prefix_bits + 7) >> 3;
  const pmc_status st = pmc_huffman_encode(in, 2, plan, out, plan->out_bytes);
  plan->n = n;
  plan->out_bytes = out_bytes;
  if (st != PMC_OK) return st;

  /* The prefix's last byte holds its pending bits, zero-padded (docs/FORMAT.md §1.3). */
  unsigned nbits = (unsigned)(prefix_bits & 7);
  uint8_t *op = out + (prefix_bits >> 3);
  uint64_t acc = nbits ? (uint64_t)*op << 56 : 0;
  uint8_t *const end = out + out_bytes;
  const uint8_t *const safe = end - ROUND_ROOM;
  uint32_t i = 2;
  /* Rounds of sixteen symbols; how many go into one flush is chosen once from the mean code
   * (as the core chooses its rounds, pmc_encode_rounds.h): at most 3.5 bits (56 / 16), sixteen;
   * at most 5, eight; above, four (a quad, two pairs). Measured on the corpus in Node and
   * Chromium: bright raw bytes (6.1 bits) fastest by quads, sparse and dim raw bytes (2.6, 3.4)
   * by sixteens, the bright quantized symbols (3.9) by eights. A round that does not fit
   * its mode's flush goes quad by quad, and a quad over 56 bits (codes over 14 bits) pair by
   * pair. Only the mode's own groups are live at once, so V8 keeps them in registers. */
  const uint64_t data_bits = out_bytes * 8 - plan->tree_bits;
  if (16 * data_bits <= 56 * (uint64_t)n) {
    while (i + 16 <= n && op <= safe) {
      const uint8_t *p = in + i;
      QUAD(g0, L0, p);
      QUAD(g1, L1, p + 4);
      QUAD(g2, L2, p + 8);
      QUAD(g3, L3, p + 12);
      const unsigned L01 = L0 + L1, L23 = L2 + L3;
      if (PMC_LIKELY(L01 + L23 <= FLUSH_BITS)) {
        const uint64_t g01 = g0 | (g1 >> L0), g23 = g2 | (g3 >> L2);
        PUT(g01 | (g23 >> L01), L01 + L23);
      } else {
        PUT_QUAD(g0, L0, p);
        PUT_QUAD(g1, L1, p + 4);
        PUT_QUAD(g2, L2, p + 8);
        PUT_QUAD(g3, L3, p + 12);
      }
      i += 16;
    }
  } else if (8 * data_bits <= 40 * (uint64_t)n) {
    while (i + 16 <= n && op <= safe) {
      for (int h = 0; h < 16; h += 8) {
        const uint8_t *p = in + i + h;
        QUAD(g0, L0, p);
        QUAD(g1, L1, p + 4);
        if (PMC_LIKELY(L0 + L1 <= FLUSH_BITS)) {
          PUT(g0 | (g1 >> L0), L0 + L1);
        } else {
          PUT_QUAD(g0, L0, p);
          PUT_QUAD(g1, L1, p + 4);
        }
      }
      i += 16;
    }
  } else {
    while (i + 16 <= n && op <= safe) {
      for (int h = 0; h < 16; h += 4) {
        const uint8_t *p = in + i + h;
        QUAD(g0, L0, p);
        PUT_QUAD(g0, L0, p);
      }
      i += 16;
    }
  }
  /* A plan that does not match the input ends short or long: the core's error for it. */
  return put_tail(in, i, n, acc, nbits, op, end) ? PMC_OK : PMC_ERR_INVALID_ARGUMENT;
}
