/*
 * The Basic Compression Library Huffman stream as written by pymecompress 0.3.6.
 *
 * Encoder: the reference's exact tree-building rule (lightest two alive nodes, ties to the later
 * index), codes of any depth (up to 255 bits), 64-bit MSB-first bit accumulator flushed 8 bytes
 * at a time without branches.
 * Decoder: strict tree parse (contract order of checks); a fast loop on a multi-symbol table (up
 * to 6 whole codes per lookup) with a branch-free refill; a 1-symbol primary table + sub-tables
 * for longer codes and for the bounds-checked tail.
 */
#include <stdlib.h>
#include <string.h>

#include "pmc_internal.h"

/* ------------------------------------------------------------------------------------------ */
/* Status strings                                                                              */
/* ------------------------------------------------------------------------------------------ */

const char *pmc_status_code(pmc_status s) {
  switch (s) {
    case PMC_OK: return "OK";
    case PMC_ERR_INVALID_ARGUMENT: return "ERR_INVALID_ARGUMENT";
    case PMC_ERR_INPUT_TOO_LARGE: return "ERR_INPUT_TOO_LARGE";
    case PMC_ERR_CORRUPT_STREAM: return "ERR_CORRUPT_STREAM";
    case PMC_ERR_TRUNCATED_STREAM: return "ERR_TRUNCATED_STREAM";
    case PMC_ERR_OUTPUT_TOO_LARGE: return "ERR_OUTPUT_TOO_LARGE";
    case PMC_ERR_NO_MEMORY: return "ERR_NO_MEMORY";
  }
  return "ERR_UNKNOWN";
}

const char *pmc_status_message(pmc_status s) {
  switch (s) {
    case PMC_OK: return "ok";
    case PMC_ERR_INVALID_ARGUMENT: return "invalid argument";
    case PMC_ERR_INPUT_TOO_LARGE: return "input is too large (2^32 bytes or more)";
    case PMC_ERR_CORRUPT_STREAM: return "corrupt Huffman stream";
    case PMC_ERR_TRUNCATED_STREAM: return "truncated Huffman stream";
    case PMC_ERR_OUTPUT_TOO_LARGE: return "requested output is larger than the stream can hold";
    case PMC_ERR_NO_MEMORY: return "out of memory";
  }
  return "unknown error";
}

/* ------------------------------------------------------------------------------------------ */
/* Histogram                                                                                   */
/* ------------------------------------------------------------------------------------------ */

void pmc_histogram(const uint8_t *in, uint64_t n, uint32_t count[256]) {
  /* Eight sub-histograms: runs of one symbol (common in quantized frames) would otherwise
   * serialise on store-to-load forwarding of a single counter. */
  uint32_t h[8][256];
  memset(h, 0, sizeof h);
  uint64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    uint64_t a, b;
    memcpy(&a, in + i, 8);
    memcpy(&b, in + i + 8, 8);
    h[0][a & 0xff]++;
    h[1][(a >> 8) & 0xff]++;
    h[2][(a >> 16) & 0xff]++;
    h[3][(a >> 24) & 0xff]++;
    h[4][(a >> 32) & 0xff]++;
    h[5][(a >> 40) & 0xff]++;
    h[6][(a >> 48) & 0xff]++;
    h[7][a >> 56]++;
    h[0][b & 0xff]++;
    h[1][(b >> 8) & 0xff]++;
    h[2][(b >> 16) & 0xff]++;
    h[3][(b >> 24) & 0xff]++;
    h[4][(b >> 32) & 0xff]++;
    h[5][(b >> 40) & 0xff]++;
    h[6][(b >> 48) & 0xff]++;
    h[7][b >> 56]++;
  }
  for (; i < n; i++) h[0][in[i]]++;
  for (int s = 0; s < 256; s++) {
    count[s] += h[0][s] + h[1][s] + h[2][s] + h[3][s] + h[4][s] + h[5][s] + h[6][s] + h[7][s];
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Encoder                                                                                     */
/* ------------------------------------------------------------------------------------------ */

uint64_t pmc_max_compressed_size(uint64_t n) { return n == 0 ? 0 : n + 321; }

pmc_status pmc_huffman_plan_from_histogram(const uint32_t count[256], uint64_t n,
                                           pmc_huff_plan *plan) {
  if (n >= ((uint64_t)1 << 32)) return PMC_ERR_INPUT_TOO_LARGE;
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
  /* The reference's merge loop: scan every created node in index order, keep the lightest (n1)
   * and second lightest (n2), `<=` so that ties go to the later index. */
  for (int alive = m; alive > 1; alive--) {
    int n1 = -1, n2 = -1;
    for (int k = 0; k < nn; k++) {
      const uint64_t c = cnt[k];
      if (c == 0) continue;
      if (n1 < 0 || c <= cnt[n1]) {
        n2 = n1;
        n1 = k;
      } else if (n2 < 0 || c <= cnt[n2]) {
        n2 = k;
      }
    }
    cnt[nn] = cnt[n1] + cnt[n2];
    cnt[n1] = 0;
    cnt[n2] = 0;
    plan->child[nn][0] = (int16_t)n1;
    plan->child[nn][1] = (int16_t)n2;
    plan->sym[nn] = 0;
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
  if (n >= ((uint64_t)1 << 32)) return PMC_ERR_INPUT_TOO_LARGE;
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

pmc_status pmc_huffman_encode(const uint8_t *in, uint64_t n, const pmc_huff_plan *plan,
                              uint8_t *out, uint64_t out_cap) {
  if (n != plan->n) return PMC_ERR_INVALID_ARGUMENT;
  if (n == 0) return PMC_OK;
  if (out_cap < plan->out_bytes) return PMC_ERR_INVALID_ARGUMENT;

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
    uint64_t acc = w.acc;
    unsigned nbits = w.nbits; /* < 8 */
    uint8_t *op = w.op;
    /* The 8-byte store needs op + 8 <= end. */
    const uint8_t *safe = plan->out_bytes >= 8 ? out + plan->out_bytes - 8 : NULL;
    /* Symbols per flush so that nbits stays <= 63: 7 + k * max_len <= 63. */
    const unsigned k = 56 / max_len;
    if (safe) {
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
    w.acc = acc;
    w.nbits = nbits;
    w.op = op;
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

/* ------------------------------------------------------------------------------------------ */
/* Decoder                                                                                     */
/* ------------------------------------------------------------------------------------------ */

pmc_status pmc_huffman_check_output_size(uint64_t stream_len, uint64_t out_size) {
  if (out_size == 0) return PMC_OK;
  /* out_size > 8 * stream_len - 9, computed without overflow or sign trouble */
  if (stream_len > ((uint64_t)1 << 59)) return PMC_OK;
  const uint64_t bits = 8 * stream_len;
  if (bits < 9 || out_size > bits - 9) return PMC_ERR_OUTPUT_TOO_LARGE;
  return PMC_OK;
}

/* Primary table width: one of these two (or the tree height if smaller), chosen per stream in
 * decompress_impl. MAX_PRIMARY_BITS * FAST_LOOKUPS must stay <= 56 (see decode_fast). */
#define MIN_PRIMARY_BITS 12
#define MAX_PRIMARY_BITS 14
#define SUB_BITS 8
#define E_PTR 0x80000000u

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
      unsigned v = 0;
      for (int b = 0; b < 8; b++, p++) v = (v << 1) | ((s[p >> 3] >> (7 - (p & 7))) & 1);
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
 * from the table's first bit); pointer = E_PTR | offset << 5 | width of the sub-table. */
static inline unsigned sub_width(const dtree *t, int node) {
  const unsigned h = t->height[node];
  return h < SUB_BITS ? h : SUB_BITS;
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
    tab[base + prefix] = E_PTR | (off << 5) | w2;
    fill_tables(t, tab, off, w2, t->child[node][0], 1, 0, next);
    fill_tables(t, tab, off, w2, t->child[node][1], 1, 1, next);
    return;
  }
  fill_tables(t, tab, base, width, t->child[node][0], depth + 1, prefix << 1, next);
  fill_tables(t, tab, base, width, t->child[node][1], depth + 1, (prefix << 1) | 1, next);
}

/* Up to 24 bits starting at bit p, MSB-aligned in the low `w` bits, zeros past the end. */
static inline uint32_t peek_safe(const uint8_t *s, uint64_t len, uint64_t p, unsigned w) {
  const uint64_t byte = p >> 3;
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    v <<= 8;
    if (byte + i < len) v |= s[byte + i];
  }
  return (uint32_t)(v << (p & 7)) >> (32 - w);
}

/* Decodes one symbol at *p with full bounds checks. */
static inline pmc_status decode_one_safe(const uint8_t *s, uint64_t len, uint64_t total_bits,
                                         const uint32_t *tab, unsigned w0, uint64_t *p,
                                         uint8_t *dst) {
  uint64_t q = *p;
  uint32_t base = 0;
  unsigned w = w0;
  for (;;) {
    const uint32_t e = tab[base + peek_safe(s, len, q, w)];
    if (e & E_PTR) {
      if (q + w >= total_bits) return PMC_ERR_TRUNCATED_STREAM;
      q += w;
      base = (e & ~E_PTR) >> 5;
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

/* Multi-symbol table, indexed by the next W stream bits (MSB first). A 64-bit entry holds
 *   total bits (bits 0-7) | sym1 << 8 | sym2 << 16 | ... | sym6 << 48 | count << 56,
 * as many whole codes (up to MULTI_MAX) as the W index bits hold, in stream order. The low byte
 * (<= 14) is the whole entry's low 6 bits, so `e & 63` is the shift count (x86 masks shift counts
 * to 6 bits anyway, so the AND costs nothing on the load -> shift -> index chain), and a
 * little-endian 8-byte store of e >> 8 writes the symbols in order. Entry 0 (count 0): the first
 * code is longer than W bits. */
#define MULTI_MAX 6
/* Lookups per refill: a refill leaves >= 56 valid bits, 4 lookups use at most 4 * 14. */
#define FAST_LOOKUPS 4
/* Output slack of one round: the last store of a round starts at most (FAST_LOOKUPS - 1) *
 * MULTI_MAX bytes in and writes 8 bytes. */
#define FAST_OUT_SLACK ((FAST_LOOKUPS - 1) * MULTI_MAX + 8)

/* Lookups sampled by wide_table_pays(). */
#define PROBE_LOOKUPS 4096
/* At most this many distinct windows in PROBE_LOOKUPS samples: a wide table pays. Measured
 * (AMD EPYC, 32 KiB L1D): lossless bytes of uint16 Poisson frames gave 776 (the benchmark frame,
 * 14 bits +25%), 1118 (+5%), 1717 (even); memoryless byte streams (quantized frames, geometric
 * data) gave 2500-3500 and decode 25-40% slower with 14 bits. */
#define PROBE_MAX_DISTINCT 1536

/* Whether a MAX_PRIMARY_BITS table is worth it for the rest of the stream. A wider multi-symbol
 * table takes more bits per lookup (more symbols, fewer escapes), but it is 4x (W 12 -> 14) the
 * cache footprint, and a lookup's load is on the critical path. The code lengths alone cannot
 * tell the two apart: what matters is how many distinct W-bit windows the lookups actually hit,
 * which is small when consecutive symbols are correlated (the low and high bytes of uint16
 * pixels) and near 2^W for an efficient, memoryless code. So walk up to PROBE_LOOKUPS lookups
 * from bit p with the narrow table and count the distinct MAX_PRIMARY_BITS-bit windows at the
 * code boundaries they stop at. Speed only: the output does not depend on the table width. */
static int wide_table_pays(const uint8_t *stream, uint64_t len, uint64_t p, const uint64_t *multi,
                           const uint32_t *tab, unsigned w) {
  uint64_t seen[(1u << MAX_PRIMARY_BITS) / 64];
  memset(seen, 0, sizeof seen);
  unsigned n = 0, distinct = 0;
  for (; n < PROBE_LOOKUPS && (p >> 3) + 8 <= len; n++) {
    const uint64_t bb = pmc_load_be64(stream + (p >> 3)) << (p & 7); /* >= 57 valid bits */
    const uint64_t e = multi[bb >> (64 - w)];
    if (e == 0) { /* a long code: step over it (counts as a sample, not as a window) */
      uint8_t sym;
      if (decode_one_safe(stream, len, len * 8, tab, w, &p, &sym) != PMC_OK) break;
      continue;
    }
    const uint64_t x = bb >> (64 - MAX_PRIMARY_BITS);
    const uint64_t bit = (uint64_t)1 << (x & 63);
    distinct += (seen[x >> 6] & bit) == 0;
    seen[x >> 6] |= bit;
    p += e & 63;
  }
  return n == PROBE_LOOKUPS && distinct <= PROBE_MAX_DISTINCT;
}

/* Fills the 2^w multi-symbol entries from the single-symbol table `tab` of the same width. */
static void build_multi(const uint32_t *tab, unsigned w, uint64_t *multi) {
  const uint32_t n = 1u << w;
  for (uint32_t i = 0; i < n; i++) {
    unsigned used = 0, cnt = 0;
    uint64_t m = 0;
    while (cnt < MULTI_MAX && used < w) {
      /* The index bits from `used` on, zero-filled past its end: the primary entry for them
       * gives the next code's length, and the code is only taken if it lies entirely inside the
       * index (a prefix code: its own bits alone determine it). */
      const uint32_t e = tab[(i << used) & (n - 1)];
      if (e & E_PTR) break; /* longer than w bits */
      const unsigned l = (e >> 16) & 0xff;
      if (used + l > w) break;
      m |= (uint64_t)(e & 0xff) << (8 * (1 + cnt));
      used += l;
      cnt++;
    }
    multi[i] = cnt ? m | used | ((uint64_t)cnt << 56) : 0;
  }
}

/* Allocates and fills the tables of width w: one block holding [multi-symbol table: 2^w
 * uint64][single-symbol table: 2^w uint32][its sub-tables (offsets relative to the single
 * table)]. *multi is the block to free. Returns 0 when out of memory. */
static int build_tables(const dtree *t, unsigned w, uint64_t **multi, uint32_t **tab) {
  const uint32_t prim = 1u << w;
  const uint64_t sub = size_tables(t, 0, 0, w);
  uint64_t *m = (uint64_t *)malloc((size_t)prim * sizeof(uint64_t) +
                                   (size_t)(prim + sub) * sizeof(uint32_t));
  if (!m) return 0;
  uint32_t *single = (uint32_t *)(m + prim);
  uint32_t next = prim;
  fill_tables(t, single, 0, w, 0, 0, 0, &next);
  build_multi(single, w, m);
  *multi = m;
  *tab = single;
  return 1;
}

/* Fast loop: decodes whole rounds (one refill, FAST_LOOKUPS lookups) while the output has
 * FAST_OUT_SLACK bytes of room and the refill's 8-byte load stays inside the stream. Returns the
 * new output position; *p (in: bit position of the next code, with (*p >> 3) + 9 <= len) gets
 * the bit position of the first code not decoded.
 *
 * Bit reader (MSB first, §1.4): `bb` holds the next `bc` stream bits at its top, followed by
 * further true stream bits or zeros; `bp` is the first stream byte whose bits are not all in bb
 * (bit position of bb's top = 8 * (bp - stream) - bc). A refill ORs the 8 bytes at bp in below the
 * bc valid bits (equal bits where they overlap) and advances bp by whole bytes only, so the
 * refill's load address is known a round in advance and its latency stays off the dependency
 * chain of the lookups (load entry -> shift bb -> next index). After a refill bc >= 56 >=
 * FAST_LOOKUPS * w, so the lookups of a round only read stream bits: no code here can run past
 * the end of the stream, and truncation (§1.5 step 6) is left to the checked path. */
static uint64_t decode_fast(const uint8_t *stream, uint64_t len, const uint64_t *multi,
                            const uint32_t *tab, unsigned w, uint8_t *out, uint64_t out_size,
                            uint64_t o, uint64_t *p) {
  const uint64_t p0 = *p;
  const uint8_t *bp = stream + (p0 >> 3) + 1;
  uint64_t bb = (uint64_t)stream[p0 >> 3] << (56 + (p0 & 7));
  unsigned bc = 8 - (unsigned)(p0 & 7);
  const uint8_t *const bp_last = stream + len - 8; /* last address for an 8-byte load */
  const uint64_t o_last = out_size - FAST_OUT_SLACK;
  const unsigned shift = 64 - w;
  while (o <= o_last && bp <= bp_last) {
    bb |= pmc_load_be64(bp) >> bc;
    bp += (63 - bc) >> 3;
    bc |= 56; /* bc + 8 * (bytes added) */
    for (int k = 0; k < FAST_LOOKUPS; k++) {
      const uint64_t e = multi[bb >> shift];
      if (PMC_UNLIKELY(e == 0)) {
        /* A code longer than w bits: walk the primary table and its sub-tables on the bc valid
         * bits. It may use up the round's bit budget, so the round ends after it. */
        unsigned q = 0, sw = w;
        uint32_t base = 0;
        for (;;) {
          if (q + sw > bc) goto out; /* not enough buffered bits: the checked path decides */
          const uint32_t te = tab[base + (uint32_t)((bb << q) >> (64 - sw))];
          if (!(te & E_PTR)) {
            const unsigned l = q + ((te >> 16) & 0xff);
            out[o++] = (uint8_t)te;
            bb <<= l;
            bc -= l;
            break;
          }
          q += sw;
          base = (te & ~E_PTR) >> 5;
          sw = te & 31;
        }
        break;
      }
#if PMC_BIG_ENDIAN
      for (int j = 0; j < MULTI_MAX; j++) out[o + j] = (uint8_t)(e >> (8 * (j + 1)));
#else
      {
        /* 8-byte store of up to 6 symbols: the bytes past the count are overwritten later or
         * lie in the slack (the caller's buffer holds out_size bytes, o + 8 <= out_size). */
        const uint64_t syms = e >> 8;
        memcpy(out + o, &syms, 8);
      }
#endif
      o += e >> 56;
      bb <<= (e & 63);
      bc -= (unsigned)(e & 63);
    }
  }
out:
  *p = (uint64_t)(bp - stream) * 8 - bc;
  return o;
}

static pmc_status decompress_impl(const uint8_t *stream, uint64_t len, uint8_t *out,
                                  uint64_t out_size);

pmc_status pmc_huffman_decompress(const uint8_t *stream, uint64_t len, uint8_t *out,
                                  uint64_t out_size) {
  pmc_status st = pmc_huffman_check_output_size(len, out_size);
  if (st != PMC_OK) return st;
  if (out_size == 0) return PMC_OK;
  if (len > ((uint64_t)1 << 60)) return PMC_ERR_INVALID_ARGUMENT;
  if (PMC_UNLIKELY(pmc_overlaps(stream, len, out, out_size))) {
    /* Output written over its own stream: decode from a copy (as if the stream were read first). */
    uint8_t *copy = (uint8_t *)malloc((size_t)len);
    if (!copy) return PMC_ERR_NO_MEMORY;
    memcpy(copy, stream, (size_t)len);
    st = decompress_impl(copy, len, out, out_size);
    free(copy);
    return st;
  }
  return decompress_impl(stream, len, out, out_size);
}

static pmc_status decompress_impl(const uint8_t *stream, uint64_t len, uint8_t *out,
                                  uint64_t out_size) {
  pmc_status st;
  const uint64_t total_bits = len * 8;

  dtree *t = (dtree *)malloc(sizeof *t);
  if (!t) return PMC_ERR_NO_MEMORY;
  uint64_t p = 0;
  st = parse_tree(stream, total_bits, t, &p);
  if (st != PMC_OK) {
    free(t);
    return st;
  }
  if (t->child[0][0] < 0) {
    memset(out, t->sym[0], (size_t)out_size);
    free(t);
    return PMC_OK;
  }

  /* Table width: MIN_PRIMARY_BITS (or the tree height if smaller); MAX_PRIMARY_BITS when the
   * output is long enough to repay a 4x larger table and a probe says it pays. */
  unsigned W = t->height[0] < MIN_PRIMARY_BITS ? t->height[0] : MIN_PRIMARY_BITS;
  uint64_t *multi;
  uint32_t *tab;
  if (!build_tables(t, W, &multi, &tab)) {
    free(t);
    return PMC_ERR_NO_MEMORY;
  }
  if (t->height[0] > W && out_size >= ((uint64_t)16 << MAX_PRIMARY_BITS) &&
      wide_table_pays(stream, len, p, multi, tab, W)) {
    free(multi);
    W = t->height[0] < MAX_PRIMARY_BITS ? t->height[0] : MAX_PRIMARY_BITS;
    if (!build_tables(t, W, &multi, &tab)) {
      free(t);
      return PMC_ERR_NO_MEMORY;
    }
  }
  free(t);

  uint64_t o = 0;
  while (o < out_size) {
    /* The fast loop needs FAST_OUT_SLACK bytes of output room and 9 readable stream bytes (the
     * byte holding bit p, then one 8-byte refill). It stops before a round that would break
     * either, or on a long code it cannot finish from its buffer: then one symbol goes through
     * the checked path, which also decodes the tail and reports truncation. */
    if (out_size - o >= FAST_OUT_SLACK && (p >> 3) + 9 <= len) {
      o = decode_fast(stream, len, multi, tab, W, out, out_size, o, &p);
      if (o >= out_size) break;
    }
    st = decode_one_safe(stream, len, total_bits, tab, W, &p, out + o);
    if (st != PMC_OK) goto done;
    o++;
  }
  st = PMC_OK;
done:
  free(multi);
  return st;
}
