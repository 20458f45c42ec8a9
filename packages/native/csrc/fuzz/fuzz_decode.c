/* libFuzzer target: the table decoder against the bit-by-bit oracle (see fuzz_bodies.h). */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_bodies.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const int bad = fuzz_decode_one(data, size);
  if (bad) {
    fprintf(stderr, "fuzz_decode: check %d failed\n", bad);
    abort();
  }
  return 0;
}
