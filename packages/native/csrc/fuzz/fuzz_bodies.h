/* The checks behind the libFuzzer targets, shared with the C tests so that every input kept in
 * csrc/test/regressions/ is replayed by `make test` and `make sanitize`.
 * Each returns 0 when the core behaved, or a non-zero id of the failed check. */
#ifndef PMC_FUZZ_BODIES_H
#define PMC_FUZZ_BODIES_H

#include <stdlib.h>
#include <string.h>

#include "../pmc_decode.h"
#include "../pymecompress.h"
#include "../test/ref_decode.h"

/* decode: 3 bytes of output size (0 .. 2^24-1, capped at 8 * stream + 64), then the stream.
 * The table decoder must agree with the bit-by-bit oracle on status and bytes. */
static int fuzz_decode_one(const uint8_t *data, size_t size) {
  if (size < 3) return 0;
  uint64_t want = ((uint64_t)data[0] << 16) | ((uint64_t)data[1] << 8) | data[2];
  const uint8_t *s = data + 3;
  const uint64_t len = size - 3;
  if (want > 8 * len + 64) want = want % (8 * len + 65);
  /* an exact-size heap copy so that ASan sees any over-read */
  uint8_t *copy = (uint8_t *)malloc(len ? len : 1);
  memcpy(copy, s, len);
  uint8_t *a = (uint8_t *)malloc(want ? want : 1);
  uint8_t *b = (uint8_t *)malloc(want ? want : 1);
  const pmc_status sa = pmc_huffman_decompress(copy, len, a, want);
  const pmc_status sb = ref_decode(copy, len, b, want);
  int bad = 0;
  if (sa != sb) bad = 1;
  else if (sa == PMC_OK && want && memcmp(a, b, want) != 0) bad = 2;
  /* The batch decoder, interleaving this stream with its second half, gives each call's own
   * status and bytes. */
  if (!bad) {
    const uint64_t half = len / 2, want2 = want / 2;
    uint8_t *c = (uint8_t *)malloc(want ? want : 1);
    uint8_t *d = (uint8_t *)malloc(want2 ? want2 : 1);
    uint8_t *e = (uint8_t *)malloc(want2 ? want2 : 1);
    const uint8_t *streams[2] = {copy, copy + (len - half)};
    const uint64_t lens[2] = {len, half};
    uint8_t *outs[2] = {c, d};
    const uint64_t sizes[2] = {want, want2};
    pmc_status st[2];
    const pmc_status first = pmc_huffman_decompress_batch(2, streams, lens, outs, sizes, st);
    const pmc_status sd = pmc_huffman_decompress(copy + (len - half), half, e, want2);
    if (st[0] != sa || st[1] != sd) bad = 3;
    else if (first != (sa != PMC_OK ? sa : sd)) bad = 4;
    else if (sa == PMC_OK && want && memcmp(a, c, want) != 0) bad = 5;
    else if (sd == PMC_OK && want2 && memcmp(d, e, want2) != 0) bad = 6;
    free(c);
    free(d);
    free(e);
  }
  /* Span by span, each span split (pmc_decode_split_span, as the wasm loader decodes), its end
   * estimated from the mean density: the whole call's status and bytes. */
  if (!bad && want > 0 && pmc_huffman_check_output_size(len, want) == PMC_OK) {
    uint8_t *f = (uint8_t *)malloc(want);
    pmc_decoder dec;
    const pmc_status init = pmc_decoder_init(&dec, copy, len, want, PMC_TABLES_ALONE);
    pmc_status sf = init;
    const uint64_t span = want / 3 + 1;
    for (uint64_t o = 0; sf == PMC_OK && o < want; o += span) {
      const uint64_t k = span < want - o ? span : want - o;
      const uint64_t end = dec.p + (8 * len - dec.p) * k / (want - o);
      const uint64_t got = pmc_decode_split_span(&dec, f + o, k, end);
      sf = got > k ? PMC_ERR_INVALID_ARGUMENT : pmc_decoder_run(&dec, f, o + k, o + got);
    }
    if (init == PMC_OK) pmc_decoder_free(&dec);
    if (sf != sa) bad = 7;
    else if (sa == PMC_OK && memcmp(a, f, want) != 0) bad = 8;
    free(f);
  }
  free(copy);
  free(a);
  free(b);
  return bad;
}

/* round trip: compress -> decompress == input; compressed size == plan; quantize bodies agree
 * with the scalar model; compress_quant == compress(quantize). */
static int fuzz_roundtrip_one(const uint8_t *data, size_t size) {
  uint8_t *in = (uint8_t *)malloc(size ? size : 1);
  memcpy(in, data, size);
  const uint64_t cap = pmc_max_compressed_size(size);
  uint8_t *s = (uint8_t *)malloc(cap ? cap : 1);
  uint64_t len = 0;
  int bad = 0;
  if (pmc_huffman_compress(in, size, s, cap, &len) != PMC_OK) bad = 10;
  uint8_t *back = (uint8_t *)malloc(size ? size : 1);
  if (!bad && pmc_huffman_decompress(s, len, back, size) != PMC_OK) bad = 11;
  if (!bad && size && memcmp(back, in, size) != 0) bad = 12;
  if (!bad && len) {
    /* into a buffer of exactly the stream's size: the fast rounds must never store past it */
    uint8_t *exact = (uint8_t *)malloc(len);
    uint64_t len2 = 0;
    if (pmc_huffman_compress(in, size, exact, len, &len2) != PMC_OK || len2 != len ||
        memcmp(exact, s, len) != 0)
      bad = 14;
    free(exact);
  }
  if (!bad && size) {
    /* the oracle must read the same stream back */
    if (ref_decode(s, len, back, size) != PMC_OK || memcmp(back, in, size) != 0) bad = 13;
  }
  if (!bad && size >= 8) {
    /* first 8 bytes: offset and scale as floats; the rest: uint16 values */
    float offset, scale;
    memcpy(&offset, in, 4);
    memcpy(&scale, in + 4, 4);
    const uint64_t n = (size - 8) / 2;
    const uint8_t *px = in + 8;
    if (pmc_quant_check_params(offset, scale) == PMC_OK) {
      uint8_t *q1 = (uint8_t *)malloc(n ? n : 1), *q2 = (uint8_t *)malloc(n ? n : 1);
      const float qs = (float)(1.0 / (double)scale);
      pmc_quantize(px, n, offset, scale, q1, PMC_DISPATCH_SCALAR);
      for (uint64_t i = 0; i < n && !bad; i++) {
        uint16_t x;
        memcpy(&x, px + 2 * i, 2);
        if (q1[i] != pmc_quantize_one(x, offset, qs)) bad = 20;
      }
      if (!bad && pmc_cpu_has_avx2()) {
        pmc_quantize(px, n, offset, scale, q2, PMC_DISPATCH_AVX2);
        if (n && memcmp(q1, q2, n) != 0) bad = 21;
      }
      if (!bad) {
        uint8_t *cq = NULL;
        uint64_t cql = 0;
        uint64_t l2 = 0;
        uint8_t *s2 = (uint8_t *)malloc(pmc_max_compressed_size(n) + 1);
        pmc_huffman_compress(q1, n, s2, pmc_max_compressed_size(n), &l2);
        if (pmc_huffman_compress_quant(px, n, offset, scale, PMC_DISPATCH_AUTO, &cq, &cql) != PMC_OK) bad = 22;
        else if (cql != l2 || (l2 && memcmp(cq, s2, l2) != 0)) bad = 23;
        free(cq);
        free(s2);
      }
      free(q1);
      free(q2);
    }
  }
  free(in);
  free(s);
  free(back);
  return bad;
}

#endif
