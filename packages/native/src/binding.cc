// Thin node-addon-api binding over the C core (csrc/). It only converts arguments, results and
// errors; argument validation (types, ranges, float32 rounding) happens in the JS wrapper
// (src/index.ts) so that it matches @pymecompress/core-ts exactly. The binding re-checks the
// types it relies on and reports failures as an Error carrying `pmcCode` (the core-ts error code
// string), which the wrapper turns into a PymecompressError.
//
// Async calls (libuv pool) hold references to the caller's typed arrays, not copies: the C core
// reads the inputs and writes into a given `out` in place, and allocates only the result it
// returns (in Execute, so memory is taken when a pool thread runs the call, not when it is
// queued). An allocation that fails rejects with ERR_NO_MEMORY. Bytes held by in-flight calls are
// counted (asyncStats) so tests can check the bound.
//
// Worker termination (issue 14): module init uses plain N-API calls and returns without throwing
// when the environment is shutting down, and NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS (binding.gyp)
// makes node-addon-api drop an exception it cannot throw instead of aborting the process.
//
// Files: binding.h (shared declarations), binding_common.cc (accounting, errors, arguments),
// binding_sync.cc, binding_async.cc (entry points), this file (module init).
#include "binding.h"

namespace {

using namespace pmc_node;

// ---------------------------------------------------------------------------------------------
// Module init: plain N-API, every status checked, nothing thrown (see the header comment)
// ---------------------------------------------------------------------------------------------

template <Napi::Value (*F)(const Napi::CallbackInfo &)>
napi_value Adapt(napi_env env, napi_callback_info cbinfo) {
  Napi::CallbackInfo info(env, cbinfo);
  return F(info);
}

struct Export {
  const char *name;
  napi_callback fn;
};

const Export kExports[] = {
    {"huffmanCompress", Adapt<HuffmanCompress>},
    {"huffmanDecompress", Adapt<HuffmanDecompress>},
    {"huffmanDecompressBatch", Adapt<HuffmanDecompressBatch>},
    {"quantize", Adapt<Quantize>},
    {"dequantize", Adapt<Dequantize>},
    {"huffmanCompressQuant", Adapt<HuffmanCompressQuant>},
    {"huffmanCompressAsync", Adapt<HuffmanCompressAsync>},
    {"huffmanDecompressAsync", Adapt<HuffmanDecompressAsync>},
    {"huffmanDecompressBatchAsync", Adapt<HuffmanDecompressBatchAsync>},
    {"quantizeAsync", Adapt<QuantizeAsync>},
    {"dequantizeAsync", Adapt<DequantizeAsync>},
    {"huffmanCompressQuantAsync", Adapt<HuffmanCompressQuantAsync>},
    {"cpuHasAvx2", Adapt<CpuHasAvx2>},
    {"cpuHasAvx512", Adapt<CpuHasAvx512>},
    {"asyncStats", Adapt<AsyncStats>},
};

napi_value Init(napi_env env, napi_value exports) {
  // During worker termination any of these may fail (napi_pending_exception): give up quietly;
  // the environment is going away and nobody will see the exports.
  for (const Export &e : kExports) {
    napi_value fn;
    if (napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn) != napi_ok)
      return nullptr;
    if (napi_set_named_property(env, exports, e.name, fn) != napi_ok) return nullptr;
  }
  napi_value abi;
  if (napi_create_uint32(env, 3, &abi) != napi_ok) return nullptr;
  if (napi_set_named_property(env, exports, "abiVersion", abi) != napi_ok) return nullptr;
  return exports;
}


}  // namespace

NAPI_MODULE_INIT() { return Init(env, exports); }
