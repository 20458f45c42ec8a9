/* libFuzzer target: compress -> decompress round trip and the quantizer bodies (fuzz_bodies.h). */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_bodies.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const int bad = fuzz_roundtrip_one(data, size);
  if (bad) {
    fprintf(stderr, "fuzz_roundtrip: check %d failed\n", bad);
    abort();
  }
  return 0;
}
