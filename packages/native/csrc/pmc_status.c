/* Status codes as strings: the stable codes the bindings turn into PymecompressError codes
 * (docs/FORMAT.md, "Errors") and short English messages. */
#include "pymecompress.h"

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
