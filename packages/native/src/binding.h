// Shared by the binding's translation units (src/binding*.cc): accounting of memory held by
// async calls, errors, argument conversion, and the entry points the module exports.
#ifndef PMC_NODE_BINDING_H
#define PMC_NODE_BINDING_H

#include <napi.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pymecompress.h"

namespace pmc_node {

extern std::atomic<int64_t> g_calls_in_flight;
extern std::atomic<int64_t> g_bytes_held;

uint8_t *HeldAlloc(uint64_t bytes);
void HeldFree(uint8_t *p, uint64_t bytes);

Napi::Error MakeError(Napi::Env env, pmc_status st, const std::string &context);
Napi::Value ThrowStatus(Napi::Env env, pmc_status st, const char *context);
Napi::Value ThrowArg(Napi::Env env, const char *what);
bool GetU8(const Napi::Value &v, uint8_t **d, uint64_t *n);
bool GetU16(const Napi::Value &v, uint8_t **d, uint64_t *n);
bool GetDispatch(const Napi::Value &v, pmc_dispatch *d);
bool GetFloat(const Napi::Value &v, float *f);
bool GetSize(const Napi::Value &v, uint64_t *out);
bool AdoptBuffer(napi_env env, uint8_t *data, uint64_t bytes, napi_value *result);
Napi::Value NewResult(Napi::Env env, uint64_t bytes, napi_typedarray_type type, uint8_t **data);
using OutAlloc = std::function<uint8_t *(uint64_t bytes)>;
using OutRelease = std::function<void(uint8_t *data, uint64_t bytes)>;
pmc_status CompressQuant(const uint8_t *in, uint64_t n, float offset, float scale, pmc_dispatch d,
                         const OutAlloc &out_alloc, const OutRelease &out_release,
                         uint8_t **out, uint64_t *out_len);

// The batch's arrays: streams[i] (Uint8Array), sizes[i] (numbers), outs[i] (Uint8Array of at
// least sizes[i] bytes), all of one length.
struct BatchArgs {
  std::vector<const uint8_t *> streams;
  std::vector<uint64_t> lens, sizes;
  std::vector<uint8_t *> outs;
  std::vector<pmc_status> statuses;
};
bool GetBatch(const Napi::CallbackInfo &info, BatchArgs *b, std::vector<napi_value> *keep);
Napi::Value BatchResult(Napi::Env env, const std::vector<pmc_status> &statuses);

// Entry points (binding_sync.cc, binding_async.cc)
Napi::Value HuffmanCompress(const Napi::CallbackInfo &info);
Napi::Value HuffmanDecompress(const Napi::CallbackInfo &info);
Napi::Value HuffmanDecompressBatch(const Napi::CallbackInfo &info);
Napi::Value Quantize(const Napi::CallbackInfo &info);
Napi::Value Dequantize(const Napi::CallbackInfo &info);
Napi::Value HuffmanCompressQuant(const Napi::CallbackInfo &info);
Napi::Value HuffmanCompressAsync(const Napi::CallbackInfo &info);
Napi::Value HuffmanDecompressAsync(const Napi::CallbackInfo &info);
Napi::Value HuffmanDecompressBatchAsync(const Napi::CallbackInfo &info);
Napi::Value QuantizeAsync(const Napi::CallbackInfo &info);
Napi::Value DequantizeAsync(const Napi::CallbackInfo &info);
Napi::Value HuffmanCompressQuantAsync(const Napi::CallbackInfo &info);
Napi::Value CpuHasAvx2(const Napi::CallbackInfo &info);
Napi::Value CpuHasAvx512(const Napi::CallbackInfo &info);
Napi::Value AsyncStats(const Napi::CallbackInfo &info);

}  // namespace pmc_node

#endif
