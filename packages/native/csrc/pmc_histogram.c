/* Byte histogram of an input, the first step of the encoder's plan (and of the fused
 * quantize + encode pass, which counts each quantized block while it is still in L1). */
#include <string.h>

#include "pmc_internal.h"

void pmc_histogram(const uint8_t *in, uint64_t n, uint32_t count[256]) {
  /* Eight sub-histograms: runs of one symbol (common in quantized frames) would otherwise
   * serialise on store-to-load forwarding of a single counter. Byte loads, not 8-byte words
   * taken apart with shifts: the loads go to the load ports, the shifts would compete with the
   * increments for the ALUs (measured ~5% faster on the corpus). */
  uint32_t h[8][256];
  memset(h, 0, sizeof h);
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    h[0][in[i]]++;
    h[1][in[i + 1]]++;
    h[2][in[i + 2]]++;
    h[3][in[i + 3]]++;
    h[4][in[i + 4]]++;
    h[5][in[i + 5]]++;
    h[6][in[i + 6]]++;
    h[7][in[i + 7]]++;
  }
  for (; i < n; i++) h[0][in[i]]++;
  for (int s = 0; s < 256; s++) {
    count[s] += h[0][s] + h[1][s] + h[2][s] + h[3][s] + h[4][s] + h[5][s] + h[6][s] + h[7][s];
  }
}
