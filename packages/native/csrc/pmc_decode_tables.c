/*
 * Decoder set-up: the strict tree parse (docs/FORMAT.md §1.5 steps 4-5, in the contract's order
 * of checks), the single-symbol table with its sub-tables, the multi-symbol tables of both
 * layouts (pmc_decode.h), and the probe that picks the layout per stream.
 */
#include <stdlib.h>
#include <string.h>

#include "pmc_decode.h"

typedef struct dtree {
  int16_t child[511][2]; /* -1 for leaves */
  uint8_t sym[511];
  uint8_t height[511];
  int n_nodes;
} dtree;

/* Parses the tree (contract step 4). *bitpos: first data bit on success. */
static pmc_status parse_tree(const uint8_t *s, uint64_t total_bits, dtree *t, uint64_t *bitpos) {
  uint64_t p = 0;
  int internal = 0, nodes = 0;
  uint8_t seen[256];
  memset(seen, 0, sizeof seen);
  /* stack of slots to fill: node index * 2 + side, or -1 for the root */
  int stack[600];
  int sp = 0;
  stack[sp++] = -1;
  while (sp > 0) {
    const int slot = stack[--sp];
    if (p >= total_bits) return PMC_ERR_TRUNCATED_STREAM;
    const int flag = (s[p >> 3] >> (7 - (p & 7))) & 1;
    p++;
    const int id = nodes++;
    if (slot >= 0) t->child[slot >> 1][slot & 1] = (int16_t)id;
    if (flag == 0) {
      internal++;
      if (internal > 255) return PMC_ERR_CORRUPT_STREAM;
      t->child[id][0] = t->child[id][1] = -1;
      t->sym[id] = 0;
      stack[sp++] = id * 2 + 1; /* B after A */
      stack[sp++] = id * 2 + 0;
    } else {
      if (total_bits - p < 8) return PMC_ERR_TRUNCATED_STREAM;
      /* the 8 symbol bits at once: from two bytes unless p is byte-aligned (then the second
       * byte may lie past the stream) */
      const unsigned sh = (unsigned)(p & 7), b0 = s[p >> 3];
      const unsigned v = sh ? ((b0 << 8 | s[(p >> 3) + 1]) >> (8 - sh)) & 0xff : b0;
      p += 8;
      if (seen[v]) return PMC_ERR_CORRUPT_STREAM;
      seen[v] = 1;
      t->child[id][0] = t->child[id][1] = -1;
      t->sym[id] = (uint8_t)v;
    }
  }
  t->n_nodes = nodes;
  /* Pre-order ids: children after parents; heights bottom-up. An internal node of the parse
   * always got both children (the stack only empties when the tree is complete). */
  for (int k = nodes - 1; k >= 0; k--) {
    if (t->child[k][0] < 0) {
      t->height[k] = 0;
    } else {
      const int a = t->height[t->child[k][0]], b = t->height[t->child[k][1]];
      t->height[k] = (uint8_t)(1 + (a > b ? a : b));
    }
  }
  *bitpos = p;
  return PMC_OK;
}

/* Single-symbol table entries: leaf = sym | len << 16 | 1 << 24 (len <= table width, counted
 * from the table's first bit); pointer = PMC_E_PTR | offset << 5 | width of the sub-table. */
static inline unsigned sub_width(const dtree *t, int node) {
  const unsigned h = t->height[node];
  return h < PMC_SUB_BITS ? h : PMC_SUB_BITS;
}

static uint64_t size_tables(const dtree *t, int node, unsigned depth, unsigned width) {
  if (t->child[node][0] < 0) return 0;
  if (depth == width) {
    const unsigned w2 = sub_width(t, node);
    return ((uint64_t)1 << w2) + size_tables(t, t->child[node][0], 1, w2) +
           size_tables(t, t->child[node][1], 1, w2);
  }
  return size_tables(t, t->child[node][0], depth + 1, width) +
         size_tables(t, t->child[node][1], depth + 1, width);
}

/* Fills the entries of table `base` (width `width`) below `node`, which sits at `depth` with
 * index prefix `prefix`. *next: next free entry for sub-tables. */
static void fill_tables(const dtree *t, uint32_t *tab, uint32_t base, unsigned width, int node,
                        unsigned depth, uint32_t prefix, uint32_t *next) {
  if (t->child[node][0] < 0) {
    const uint32_t e = t->sym[node] | (depth << 16) | (1u << 24);
    const uint32_t span = 1u << (width - depth);
    uint32_t *dst = tab + base + (prefix << (width - depth));
    for (uint32_t j = 0; j < span; j++) dst[j] = e;
    return;
  }
  if (depth == width) {
    const unsigned w2 = sub_width(t, node);
    const uint32_t off = *next;
    *next += 1u << w2;
    tab[base + prefix] = PMC_E_PTR | (off << 5) | w2;
    fill_tables(t, tab, off, w2, t->child[node][0], 1, 0, next);
    fill_tables(t, tab, off, w2, t->child[node][1], 1, 1, next);
    return;
  }
  fill_tables(t, tab, base, width, t->child[node][0], depth + 1, prefix << 1, next);
  fill_tables(t, tab, base, width, t->child[node][1], depth + 1, (prefix << 1) | 1, next);
}

/* The multi-symbol tables by levels: D_k, for k = 1 .. w, holds the entries of all k-bit
 * windows (the codes lying entirely inside them, in order, at most `max`); D_w is the table.
 * The window of D_k whose first code c (length l <= k) ends at bit l holds c followed by the
 * entry of D_{k-l} for its remaining k - l bits, cut to max codes: so the 2^(k-l) windows that
 * start with c are D_{k-l} with c prepended, a sequential, branch-free pass per code. Windows
 * whose first code is longer than k bits are 0 (escape). The result is exactly the greedy
 * per-window decode (induction on k) over 2^(w+1) entries of all levels, vectorised (measured
 * with AVX2 on the corpus: ~1.7 TSC cycles per entry wide, ~1.7 compact with 256 codes, 7k
 * cycles for a 256x256 tile's 11-bit wide table, ~9% of its decode), where decoding each window
 * on its own chains up to `max` dependent lookups per entry. */
typedef struct leaf_code {
  uint32_t code; /* MSB-first code bits, right-aligned */
  uint8_t len, sym;
} leaf_code;

/* Leaves with codes of at most w bits, shortest first; returns their number. */
static int collect_short_codes(const dtree *t, unsigned w, leaf_code *out) {
  leaf_code tmp[256];
  int n = 0, sp = 0;
  struct { int16_t node; uint8_t depth; uint32_t code; } stack[512];
  stack[sp].node = 0;
  stack[sp].depth = 0;
  stack[sp++].code = 0;
  while (sp > 0) {
    const int node = stack[--sp].node;
    const unsigned depth = stack[sp].depth;
    const uint32_t code = stack[sp].code;
    if (depth > w) continue;
    if (t->child[node][0] < 0) {
      tmp[n].code = code;
      tmp[n].len = (uint8_t)depth;
      tmp[n++].sym = t->sym[node];
      continue;
    }
    for (int b = 0; b < 2; b++) {
      stack[sp].node = t->child[node][b];
      stack[sp].depth = (uint8_t)(depth + 1);
      stack[sp++].code = (code << 1) | (uint32_t)b;
    }
  }
  int m = 0; /* counting sort by length (stable) */
  for (unsigned l = 1; l <= w; l++)
    for (int k = 0; k < n; k++)
      if (tmp[k].len == l) out[m++] = tmp[k];
  return m;
}

/* The levels D_0 .. D_{w-1} are kept in a scratch format of their own, so that prepending a code
 * needs no lookup (the layouts' own entries would need the length of the symbol a full entry
 * drops, a load per entry that also keeps the pass from vectorising). With M the layout's
 * maximum count (uint64 for wide, M = 6; uint32 for compact, M = 3):
 *   bits 0-3    U: the bits of the entry's first min(count, M - 1) codes
 *   bits 4-7    count (<= M)
 *   bytes 1 ..  its first M - 1 symbols (a prepend never keeps the M-th)
 *   top nibbles the end bits of its codes 1 .. M - 2, from bit NIB (wide 48: four nibbles, two
 *               read; compact 24: two nibbles, one read)
 * Every field of an entry of D_k is at most k <= PMC_WIDE_BITS < 16 (the unused nibbles too, by
 * induction: D_0's are 0), so nibble sums never carry. Prepending a code of l bits to e:
 *   count' = min(count + 1, M); U' = l + (count >= M - 1 ? end of e's code M - 2 : U)
 *   (both agree at count = M - 2, where U is that end); symbols and nibbles shift up one slot,
 *   with the code's symbol and l first and l added to the rest. The top level D_w is written in
 *   the layout's format, whose bit count is l + U (the code and the first M - 1 of e's codes).
 * Counts are compared without compares, (count + 16 - c) >> 4 being count >= c for count < 16,
 * so the passes vectorise with SSE2 / wasm simd128 lanes too. */
#define LEVEL_FNS(name, T, m, nib, nib_ones, sym_mask)                                      \
  PMC_INLINE T name##_head(unsigned l, unsigned sym) {                                     \
    return (T)(l | (T)sym << 8 | (T)(l * (nib_ones)) << (nib));                            \
  }                                                                                        \
  PMC_INLINE T name##_next_count(T e) {                                                    \
    const T cnt = (e >> 4) & 15;                                                           \
    return cnt + 1 - ((cnt + 16 - (m)) >> 4);                                              \
  }                                                                                        \
  PMC_INLINE T name##_prepend(T e, T head) {                                               \
    const T cnt = (e >> 4) & 15;                                                           \
    const T full = (T)0 - ((cnt + 16 - ((m) - 1)) >> 4);                                   \
    const T u = e & 15, end = (e >> ((nib) + 4 * ((m) - 3))) & 15;                         \
    return head + (u ^ ((u ^ end) & full)) + (name##_next_count(e) << 4) +                 \
           ((e << 8) & (sym_mask)) + (T)((e >> (nib)) << ((nib) + 4));                     \
  }

/* sym_mask: the bytes 2 .. M - 1 a prepend keeps of e's symbols (shifted up one byte). */
LEVEL_FNS(wide, uint64_t, PMC_WIDE_MAX, 48, 0x1111u, 0x0000FFFFFFFF0000ull)
LEVEL_FNS(compact, uint32_t, PMC_COMPACT_MAX, 24, 0x11u, 0x00FF0000u)

/* The top level's entries, in the layouts' formats (pmc_decode.h). */
PMC_INLINE uint64_t wide_top(uint64_t e, unsigned l, unsigned sym) {
  return (l + (e & 15)) | (uint64_t)sym << 8 | ((e << 8) & 0x00FFFFFFFFFF0000ull) |
         wide_next_count(e) << 56;
}

PMC_INLINE uint32_t compact_top(uint32_t e, unsigned l, unsigned sym) {
  return (l + (e & 15)) | compact_next_count(e) << 6 | sym << 8 | ((e << 8) & 0xFFFF0000u);
}

_Static_assert(PMC_WIDE_BITS < 16, "scratch fields are nibbles");
_Static_assert(PMC_WIDE_MAX == 6 && PMC_COMPACT_MAX == 3,
               "scratch: M - 1 symbol bytes from byte 1, the ends of codes 1 .. M - 2 on top");

/* Fills multi (2^w entries of the layout) level by level; scratch holds D_0 .. D_{w-1} (D_k at
 * entries [2^k, 2^(k+1)), D_0 = the empty entry at [1]). The same C twice (portable, and
 * vectorised for AVX2 where the CPU has it): the same table. */
#define BUILD_LEVELS_BODY(name, T, top_type)                                                 \
  do {                                                                                       \
    T *const scratch = (T *)scratch_v;                                                       \
    scratch[1] = 0;                                                                          \
    for (unsigned k = 1; k <= w; k++) {                                                      \
      if (k < w && k + lmin > w) continue; /* D_k with k > w - lmin: read by no level */     \
      const size_t size = (size_t)1 << k;                                                    \
      if (k == w) {                                                                          \
        top_type *const dk = (top_type *)multi;                                              \
        memset(dk, 0, sizeof(top_type) * size);                                              \
        for (int c = 0; c < nc && codes[c].len <= k; c++) {                                  \
          const unsigned l = codes[c].len, sym = codes[c].sym;                               \
          const T *restrict sub = scratch + ((size_t)1 << (k - l));                          \
          top_type *restrict dst = dk + ((size_t)codes[c].code << (k - l));                  \
          const size_t span = (size_t)1 << (k - l);                                          \
          for (size_t j = 0; j < span; j++) dst[j] = name##_top(sub[j], l, sym);             \
        }                                                                                    \
      } else {                                                                               \
        T *const dk = scratch + size;                                                        \
        memset(dk, 0, sizeof(T) * size);                                                     \
        for (int c = 0; c < nc && codes[c].len <= k; c++) {                                  \
          const unsigned l = codes[c].len;                                                   \
          const T head = name##_head(l, codes[c].sym);                                       \
          const T *restrict sub = scratch + ((size_t)1 << (k - l));                          \
          T *restrict dst = dk + ((size_t)codes[c].code << (k - l));                         \
          const size_t span = (size_t)1 << (k - l);                                          \
          for (size_t j = 0; j < span; j++) dst[j] = name##_prepend(sub[j], head);           \
        }                                                                                    \
      }                                                                                      \
    }                                                                                        \
  } while (0)

/* scratch_v: 2^w entries of the layout's scratch type. */
typedef void (*build_levels_fn)(const leaf_code *codes, int nc, unsigned w, unsigned lmin,
                                void *scratch_v, void *multi);

#define BUILD_LEVELS_FNS(suffix, attr)                                                        \
  attr static void build_wide_##suffix(const leaf_code *codes, int nc, unsigned w,           \
                                       unsigned lmin, void *scratch_v, void *multi) {        \
    BUILD_LEVELS_BODY(wide, uint64_t, uint64_t);                                             \
  }                                                                                          \
  attr static void build_compact_##suffix(const leaf_code *codes, int nc, unsigned w,        \
                                          unsigned lmin, void *scratch_v, void *multi) {     \
    BUILD_LEVELS_BODY(compact, uint32_t, uint32_t);                                          \
  }

BUILD_LEVELS_FNS(generic, )
#if PMC_HAVE_AVX2_BODY
BUILD_LEVELS_FNS(avx2, PMC_TARGET_AVX2)
#endif

static int build_multi(const dtree *t, pmc_layout layout, unsigned w, void *multi) {
  leaf_code codes[256];
  const int nc = collect_short_codes(t, w, codes);
  const unsigned lmin = nc > 0 ? codes[0].len : w; /* D_k reads D_{k-l} for codes of l bits */
  const int wide = layout == PMC_LAYOUT_WIDE;
  void *scratch = malloc((wide ? sizeof(uint64_t) : sizeof(uint32_t)) << w);
  if (!scratch) return 0;
  build_levels_fn fn = wide ? build_wide_generic : build_compact_generic;
#if PMC_HAVE_AVX2_BODY
  if (pmc_cpu_has_avx2()) fn = wide ? build_wide_avx2 : build_compact_avx2;
#endif
  fn(codes, nc, w, lmin, scratch, multi);
  free(scratch);
  return 1;
}

/* Allocates and fills one block: [multi-symbol table: 2^w entries of the layout][single-symbol
 * table: 2^w uint32][its sub-tables (offsets relative to the single table)]. */
static int build_tables(const dtree *t, pmc_layout layout, unsigned w, pmc_decoder *d) {
  const uint32_t prim = 1u << w;
  const size_t entry = layout == PMC_LAYOUT_WIDE ? sizeof(uint64_t) : sizeof(uint32_t);
  const uint64_t sub = size_tables(t, 0, 0, w);
  uint8_t *block = (uint8_t *)malloc((size_t)prim * entry + (size_t)(prim + sub) * sizeof(uint32_t));
  if (!block) return 0;
  uint32_t *single = (uint32_t *)(block + (size_t)prim * entry);
  uint32_t next = prim;
  fill_tables(t, single, 0, w, 0, 0, 0, &next);
  if (!build_multi(t, layout, w, block)) {
    free(block);
    return 0;
  }
  d->block = block;
  d->multi = block;
  d->tab = single;
  d->layout = layout;
  d->w = w;
  return 1;
}

/* Lookups sampled by wide_table_pays(). */
#define PROBE_LOOKUPS 4096
/* At most this many distinct windows in PROBE_LOOKUPS samples: a wide table pays. Measured
 * (AMD EPYC, 32 KiB L1D): lossless bytes of uint16 Poisson frames gave 776 (the benchmark frame),
 * 1118, 1717; memoryless byte streams (quantized frames, geometric data) gave 2500-3500. */
#define PROBE_MAX_DISTINCT 1536

/* The multi-symbol entry at the top of `bb` for d's table: its bit count, 0 for an escape. */
PMC_INLINE unsigned probe_entry_bits(const pmc_decoder *d, uint64_t bb) {
  const uint64_t i = bb >> (64 - d->w);
  if (d->layout == PMC_LAYOUT_WIDE) return (unsigned)(((const uint64_t *)d->multi)[i] & 63);
  return ((const uint32_t *)d->multi)[i] & 63;
}

/* Whether the 14-bit wide table is worth it for the rest of the stream. It takes more bits per
 * lookup (more symbols, fewer escapes) but is 8x the L1-sized tables' footprint, and a lookup's
 * load is on the critical path. The code lengths alone cannot tell the two cases apart: what
 * matters is how many distinct windows the lookups actually hit, which is small when
 * consecutive symbols are correlated (the low and high bytes of uint16 pixels) and near 2^W for
 * an efficient, memoryless code. So walk up to PROBE_LOOKUPS lookups from the first data bit
 * with the table `d` already has and count the distinct PMC_WIDE_BITS-bit windows at the code
 * boundaries they stop at. */
static int wide_table_pays(const pmc_decoder *d) {
  uint64_t seen[(1u << PMC_WIDE_BITS) / 64];
  memset(seen, 0, sizeof seen);
  const uint8_t *stream = d->stream;
  const uint64_t len = d->len;
  uint64_t p = d->p;
  unsigned n = 0, distinct = 0;
  for (; n < PROBE_LOOKUPS && (p >> 3) + 8 <= len; n++) {
    const uint64_t bb = pmc_load_be64(stream + (p >> 3)) << (p & 7); /* >= 57 valid bits */
    const unsigned bits = probe_entry_bits(d, bb);
    if (bits == 0) { /* a long code: step over it (counts as a sample, not as a window) */
      uint8_t sym;
      if (pmc_decode_one_safe(stream, len, d->tab, d->w, &p, &sym) != PMC_OK) break;
      continue;
    }
    const uint64_t x = bb >> (64 - PMC_WIDE_BITS);
    const uint64_t bit = (uint64_t)1 << (x & 63);
    distinct += (seen[x >> 6] & bit) == 0;
    seen[x >> 6] |= bit;
    p += bits;
  }
  return n == PROBE_LOOKUPS && distinct <= PROBE_MAX_DISTINCT;
}

/* Mean code length if each code of length l had probability 2^-l (the distribution a Huffman
 * code is optimal for): a cheap, stream-free estimate of the bits per symbol. */
static double implied_mean_length(const dtree *t) {
  uint8_t depth[511];
  double mean = 0;
  depth[0] = 0;
  for (int k = 0; k < t->n_nodes; k++) {
    if (t->child[k][0] >= 0) { /* pre-order: children come after their parent */
      depth[t->child[k][0]] = depth[t->child[k][1]] = (uint8_t)(depth[k] + 1);
    } else if (depth[k] < 63) {
      mean += (double)depth[k] / (double)((uint64_t)1 << depth[k]);
    }
  }
  return mean;
}

/* What both initialisers do first, written once: reset the decoder, parse the tree strictly
 * (docs/FORMAT.md §1.5 step 4) and, for a lone-leaf tree, set the one-symbol layout (step 5).
 * Returns 1 when tables remain to be built (status PMC_OK, a tree of two or more leaves). */
static int decoder_start(pmc_decoder *d, const uint8_t *stream, uint64_t len, dtree *t,
                         pmc_status *st) {
  memset(d, 0, sizeof *d);
  d->stream = stream;
  d->len = len;
  *st = parse_tree(stream, len * 8, t, &d->p);
  if (*st != PMC_OK) return 0;
  if (t->child[0][0] < 0) {
    d->layout = PMC_LAYOUT_ONE_SYMBOL;
    d->sym = t->sym[0];
    return 0;
  }
  return 1;
}

pmc_status pmc_decoder_init(pmc_decoder *d, const uint8_t *stream, uint64_t len,
                            uint64_t out_size, pmc_table_use use) {
  dtree t;
  pmc_status st;
  if (!decoder_start(d, stream, len, &t, &st)) return st;
  const unsigned height = t.height[0];
  /* An L1-friendly table first. Short codes: the wide layout at PMC_NARROW_BITS (16 KiB),
   * whose 6 symbols per entry use the window fully (quantized frames at ~2 bits/symbol: ~5
   * symbols per lookup). Long codes, decoded alone: the wide layout at 12 bits (32 KiB). A sweep
   * of every layout and width (AMD EPYC Zen 4, 32 KiB L1D) over the corpus streams and synthetic
   * ones (uniform bytes, geometric symbols of 3.8 and 5.8 bits, bytes of uint16 Poisson pixels;
   * 64 KiB to 8 MiB) put it ahead of the compact layout at 12 bits on every long-code stream,
   * 1.1-1.25x (uniform bytes: 11 bits best, 12 bits still 1.15x compact). Long codes in a pair:
   * the compact layout at 12 bits (16 KiB), since two 32 KiB tables evict each other (pairs of
   * them measured 0.75-0.85x of two compact ones). Each choice within 10% of the best fixed
   * layout per stream. */
  const int short_codes = 3 * implied_mean_length(&t) < PMC_NARROW_BITS;
  const pmc_layout layout =
      short_codes || use == PMC_TABLES_ALONE ? PMC_LAYOUT_WIDE : PMC_LAYOUT_COMPACT;
  unsigned w = short_codes ? PMC_NARROW_BITS : PMC_COMPACT_BITS;
  /* The window may be wider than the deepest code (more codes per lookup: a flat 9-bit code
   * gets 2 per 12-bit lookup instead of 1), unless the output is too short to repay the table. */
  if (w > height && out_size < ((uint64_t)4 << w)) w = height;
  if (!build_tables(&t, layout, w, d)) return PMC_ERR_NO_MEMORY;
  /* The 14-bit wide table when the output is long enough to repay building it and the probe
   * says the stream's lookups stay in few windows (a pair with such a stream decodes its two
   * streams one after the other: two 128 KiB tables evict each other from L2-sized caches,
   * measured 0.5-0.8x). */
  if (height > d->w && out_size >= ((uint64_t)16 << PMC_WIDE_BITS) &&
      wide_table_pays(d)) {
    pmc_decoder_free(d);
    if (!build_tables(&t, PMC_LAYOUT_WIDE, height < PMC_WIDE_BITS ? height : PMC_WIDE_BITS, d))
      return PMC_ERR_NO_MEMORY;
  }
  return PMC_OK;
}

void pmc_decoder_free(pmc_decoder *d) {
  free(d->block);
  d->block = NULL;
  d->multi = NULL;
  d->tab = NULL;
}

pmc_status pmc_decoder_init_layout(pmc_decoder *d, const uint8_t *stream, uint64_t len,
                                   pmc_layout layout, unsigned w) {
  dtree t;
  pmc_status st;
  if (!decoder_start(d, stream, len, &t, &st)) return st;
  const unsigned cap = layout == PMC_LAYOUT_WIDE ? PMC_WIDE_BITS : PMC_COMPACT_BITS;
  if (w < 1) w = 1;
  if (w > cap) w = cap;
  if (layout != PMC_LAYOUT_WIDE) layout = PMC_LAYOUT_COMPACT;
  return build_tables(&t, layout, w, d) ? PMC_OK : PMC_ERR_NO_MEMORY;
}
