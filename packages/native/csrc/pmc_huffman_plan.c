/*
 * The encoder's plan (docs/FORMAT.md §1.2): the byte histogram, then the reference's exact
 * tree-building rule (lightest two alive nodes, ties to the later index) and the codes of every
 * depth (up to 255 bits), with the stream's size known before a byte is written. The emission
 * that follows the plan is pmc_huffman_encode.c.
 */
#include <string.h>

#include "pmc_internal.h"

uint64_t pmc_max_compressed_size(uint64_t n) { return n == 0 ? 0 : n + 321; }

/* Merge order of the reference's tree building: a before b when lighter, or as heavy and
 * created later. */
PMC_INLINE int merges_before(const uint64_t *cnt, int a, int b) {
  return cnt[a] < cnt[b] || (cnt[a] == cnt[b] && a > b);
}

static void heap_push(int *heap, int *size, int node, const uint64_t *cnt) {
  int i = (*size)++;
  while (i > 0) {
    const int parent = (i - 1) / 2;
    if (!merges_before(cnt, node, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = node;
}

static int heap_pop(int *heap, int *size, const uint64_t *cnt) {
  const int top = heap[0];
  const int last = heap[--(*size)];
  int i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= *size) break;
    if (c + 1 < *size && merges_before(cnt, heap[c + 1], heap[c])) c++;
    if (!merges_before(cnt, heap[c], last)) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
  return top;
}

pmc_status pmc_huffman_plan_from_histogram(const uint32_t count[256], uint64_t n,
                                           pmc_huff_plan *plan) {
  if (pmc_too_large(n)) return PMC_ERR_INPUT_TOO_LARGE;
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
  if (m == 0) return PMC_ERR_INVALID_ARGUMENT; /* counts that do not sum to n > 0 */
  /* The reference's merge loop scans every created node in index order and keeps the lightest
   * (n1) and second lightest (n2) with `<=`, so ties go to the later index: n1 and n2 are the two
   * smallest nodes in (count, later index first) order. A binary heap in that order gives the
   * same pairs in O(m log m) instead of O(m^2) (which cost 2 cycles per byte on 256x256 tiles).
   * Checked against the scan on random and tie-heavy histograms (test_main.c, test_plan_heap). */
  int heap[256];
  int size = 0;
  for (int k = 0; k < m; k++) heap_push(heap, &size, k, cnt);
  for (int alive = m; alive > 1; alive--) {
    const int n1 = heap_pop(heap, &size, cnt);
    const int n2 = heap_pop(heap, &size, cnt);
    cnt[nn] = cnt[n1] + cnt[n2];
    plan->child[nn][0] = (int16_t)n1;
    plan->child[nn][1] = (int16_t)n2;
    plan->sym[nn] = 0;
    heap_push(heap, &size, nn, cnt);
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

pmc_status pmc_huffman_plan_from_counts(const uint32_t count[256], const uint32_t *odd,
                                        uint64_t n, pmc_huff_plan *plan) {
  const pmc_status st = pmc_huffman_plan_from_histogram(count, n, plan);
  if (st != PMC_OK || !odd) return st;
  plan->pair_sets = 1;
  for (int s = 0; s < 256; s++) {
    const uint8_t bit = (uint8_t)(1u << (s & 7));
    if (odd[s]) plan->odd_present[s >> 3] |= bit;
    if (count[s] > odd[s]) plan->even_present[s >> 3] |= bit;
  }
  return st;
}

pmc_status pmc_huffman_plan(const uint8_t *in, uint64_t n, pmc_huff_plan *plan) {
  if (pmc_too_large(n)) return PMC_ERR_INPUT_TOO_LARGE;
  uint32_t count[256], odd[256];
  memset(count, 0, sizeof count);
  memset(odd, 0, sizeof odd);
  const int sets = pmc_histogram_odd(in, n, count, n >= PMC_HIST_ODD_MIN_N ? odd : NULL);
  return pmc_huffman_plan_from_counts(count, sets ? odd : NULL, n, plan);
}
