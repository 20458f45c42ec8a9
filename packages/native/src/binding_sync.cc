// The binding's synchronous entry points: arguments in, the C core, a result or a thrown error.
#include "binding.h"

namespace pmc_node {

// ---------------------------------------------------------------------------------------------
// Sync functions
// ---------------------------------------------------------------------------------------------

// huffmanCompress(data: Uint8Array): Uint8Array
Napi::Value HuffmanCompress(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint8_t *in;
  uint64_t n;
  if (!GetU8(info[0], &in, &n)) return ThrowArg(env, "data must be a Uint8Array");
  std::unique_ptr<pmc_huff_plan> plan(new (std::nothrow) pmc_huff_plan);
  if (!plan) return ThrowStatus(env, PMC_ERR_NO_MEMORY, "huffmanCompress");
  pmc_status st = pmc_huffman_plan(in, n, plan.get());
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanCompress");
  uint8_t *o;
  Napi::Value out = NewResult(env, plan->out_bytes, napi_uint8_array, &o);
  if (env.IsExceptionPending()) return env.Undefined();
  st = pmc_huffman_encode(in, n, plan.get(), o, plan->out_bytes);
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanCompress");
  return out;
}

// huffmanDecompress(stream: Uint8Array, outSize: number, out?: Uint8Array): Uint8Array
// (when `out` is given the result is written to its first outSize bytes and undefined returned)
Napi::Value HuffmanDecompress(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint8_t *in;
  uint64_t n, out_size;
  if (!GetU8(info[0], &in, &n)) return ThrowArg(env, "stream must be a Uint8Array");
  if (!GetSize(info[1], &out_size)) return ThrowArg(env, "outSize must be an integer in [0, 2^32 - 1]");
  pmc_status st = pmc_huffman_check_output_size(n, out_size);
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanDecompress");
  if (!info[2].IsUndefined()) {
    uint8_t *o;
    uint64_t on;
    if (!GetU8(info[2], &o, &on) || on < out_size) return ThrowArg(env, "out is too small");
    st = pmc_huffman_decompress(in, n, o, out_size);
    if (st != PMC_OK) return ThrowStatus(env, st, "huffmanDecompress");
    return env.Undefined();
  }
  uint8_t *o;
  Napi::Value out = NewResult(env, out_size, napi_uint8_array, &o);
  if (env.IsExceptionPending()) return env.Undefined();
  st = pmc_huffman_decompress(in, n, o, out_size);
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanDecompress");
  return out;
}

// quantize(data: Uint16Array, offset32, scale32, out: Uint8Array | undefined, dispatch)
Napi::Value Quantize(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint8_t *in;
  uint64_t n;
  float offset, scale;
  pmc_dispatch disp;
  if (!GetU16(info[0], &in, &n)) return ThrowArg(env, "data must be a Uint16Array");
  if (!GetFloat(info[1], &offset) || !GetFloat(info[2], &scale))
    return ThrowArg(env, "offset and scale must be numbers");
  if (!GetDispatch(info[4], &disp)) return ThrowArg(env, "unsupported dispatch");
  pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return ThrowStatus(env, st, "quantize");
  if (!info[3].IsUndefined()) {
    uint8_t *o;
    uint64_t on;
    if (!GetU8(info[3], &o, &on) || on < n) return ThrowArg(env, "out is too small");
    st = pmc_quantize(in, n, offset, scale, o, disp);
    if (st != PMC_OK) return ThrowStatus(env, st, "quantize");
    return env.Undefined();
  }
  uint8_t *o;
  Napi::Value out = NewResult(env, n, napi_uint8_array, &o);
  if (env.IsExceptionPending()) return env.Undefined();
  st = pmc_quantize(in, n, offset, scale, o, disp);
  if (st != PMC_OK) return ThrowStatus(env, st, "quantize");
  return out;
}

// dequantize(q: Uint8Array, offset32, scale32, out: Uint16Array | undefined, dispatch)
Napi::Value Dequantize(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint8_t *in;
  uint64_t n;
  float offset, scale;
  pmc_dispatch disp;
  if (!GetU8(info[0], &in, &n)) return ThrowArg(env, "q must be a Uint8Array");
  if (!GetFloat(info[1], &offset) || !GetFloat(info[2], &scale))
    return ThrowArg(env, "offset and scale must be numbers");
  if (!GetDispatch(info[4], &disp)) return ThrowArg(env, "unsupported dispatch");
  pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return ThrowStatus(env, st, "dequantize");
  if (!info[3].IsUndefined()) {
    uint8_t *o;
    uint64_t on;
    if (!GetU16(info[3], &o, &on) || on < n) return ThrowArg(env, "out is too small");
    st = pmc_dequantize(in, n, offset, scale, o, disp);
    if (st != PMC_OK) return ThrowStatus(env, st, "dequantize");
    return env.Undefined();
  }
  uint8_t *o;
  Napi::Value out = NewResult(env, 2 * n, napi_uint16_array, &o);
  if (env.IsExceptionPending()) return env.Undefined();
  st = pmc_dequantize(in, n, offset, scale, o, disp);
  if (st != PMC_OK) return ThrowStatus(env, st, "dequantize");
  return out;
}


Napi::Value HuffmanCompressQuant(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint8_t *in;
  uint64_t n;
  float offset, scale;
  pmc_dispatch disp;
  if (!GetU16(info[0], &in, &n)) return ThrowArg(env, "data must be a Uint16Array");
  if (!GetFloat(info[1], &offset) || !GetFloat(info[2], &scale))
    return ThrowArg(env, "offset and scale must be numbers");
  if (!GetDispatch(info[3], &disp)) return ThrowArg(env, "unsupported dispatch");
  uint8_t *stream;
  uint64_t len;
  pmc_status st = CompressQuant(in, n, offset, scale, disp, &stream, &len);
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanCompressQuant");
  napi_value ab, ta;
  if (!AdoptBuffer(env, stream, len, &ab))
    return ThrowStatus(env, PMC_ERR_NO_MEMORY, "huffmanCompressQuant");
  if (napi_create_typedarray(env, napi_uint8_array, static_cast<size_t>(len), ab, 0, &ta) != napi_ok)
    return env.Undefined();
  return Napi::Value(env, ta);
}


// huffmanDecompressBatch(streams: Uint8Array[], sizes: number[], outs: Uint8Array[])
Napi::Value HuffmanDecompressBatch(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  BatchArgs b;
  if (!GetBatch(info, &b, nullptr)) return ThrowArg(env, "huffmanDecompressBatch: bad arguments");
  pmc_huffman_decompress_batch(b.streams.size(), b.streams.data(), b.lens.data(), b.outs.data(),
                               b.sizes.data(), b.statuses.data());
  return BatchResult(env, b.statuses);
}


}  // namespace pmc_node
