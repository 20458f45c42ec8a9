/* Byte histogram of an input, the first step of the encoder's plan (and of the fused
 * quantize + encode pass, which counts each quantized block while it is still in L1). */
#include <string.h>

#include "pmc_internal.h"

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
