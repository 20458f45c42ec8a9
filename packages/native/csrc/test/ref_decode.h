/* A deliberately simple bit-by-bit decoder written straight from the contract (steps 2-6),
 * used by the C tests and the fuzz targets as the oracle for the table decoder. */
#ifndef PMC_REF_DECODE_H
#define PMC_REF_DECODE_H

#include <stdint.h>
#include <string.h>

#include "../pymecompress.h"

static pmc_status ref_decode(const uint8_t *s, uint64_t len, uint8_t *out, uint64_t out_size) {
  if (out_size > 0 && (double)out_size > 8.0 * (double)len - 9.0) return PMC_ERR_OUTPUT_TOO_LARGE;
  if (out_size == 0) return PMC_OK;
  const uint64_t total = 8 * len;
  uint64_t p = 0;
  int child[511][2], sym[511], internal = 0, leaves = 0, nodes = 0;
  int seen[256] = {0};
  int stack[600], sp = 0;
  stack[sp++] = -1;
  while (sp > 0) {
    int slot = stack[--sp];
    if (p >= total) return PMC_ERR_TRUNCATED_STREAM;
    int flag = (s[p >> 3] >> (7 - (p & 7))) & 1;
    p++;
    int id = nodes++;
    if (slot >= 0) child[slot >> 1][slot & 1] = id;
    child[id][0] = child[id][1] = -1;
    if (!flag) {
      if (++internal > 255) return PMC_ERR_CORRUPT_STREAM;
      stack[sp++] = 2 * id + 1;
      stack[sp++] = 2 * id;
    } else {
      if (total - p < 8) return PMC_ERR_TRUNCATED_STREAM;
      int v = 0;
      for (int b = 0; b < 8; b++, p++) v = (v << 1) | ((s[p >> 3] >> (7 - (p & 7))) & 1);
      if (seen[v]) return PMC_ERR_CORRUPT_STREAM;
      seen[v] = 1;
      sym[id] = v;
      leaves++;
    }
  }
  (void)leaves;
  if (child[0][0] < 0) {
    memset(out, sym[0], (size_t)out_size);
    return PMC_OK;
  }
  for (uint64_t o = 0; o < out_size; o++) {
    int k = 0;
    while (child[k][0] >= 0) {
      if (p >= total) return PMC_ERR_TRUNCATED_STREAM;
      int bit = (s[p >> 3] >> (7 - (p & 7))) & 1;
      p++;
      k = child[k][bit];
    }
    out[o] = (uint8_t)sym[k];
  }
  return PMC_OK;
}

#endif
