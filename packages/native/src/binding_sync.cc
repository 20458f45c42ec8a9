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

// Element type of a typed-array argument or result.
enum class Elem { U8, U16 };

static bool GetTyped(const Napi::Value &v, Elem e, uint8_t **d, uint64_t *n) {
  return e == Elem::U8 ? GetU8(v, d, n) : GetU16(v, d, n);
}

// The calls that take an optional `out` share this: `run(o)` writes into the caller's `out` when
// it is given (it must hold `count` elements; undefined is returned and the JS wrapper returns
// the view) or into a fresh result; a failing status is thrown as `name`'s error.
template <typename Run>
static Napi::Value IntoOutOrResult(Napi::Env env, const Napi::Value &out_arg, Elem elem,
                                   uint64_t count, const char *name, Run run) {
  uint8_t *o;
  Napi::Value result = env.Undefined();
  if (!out_arg.IsUndefined()) {
    uint64_t on;
    if (!GetTyped(out_arg, elem, &o, &on) || on < count) return ThrowArg(env, "out is too small");
  } else {
    const bool wide = elem == Elem::U16;
    result = NewResult(env, wide ? 2 * count : count, wide ? napi_uint16_array : napi_uint8_array, &o);
    if (env.IsExceptionPending()) return env.Undefined();
  }
  pmc_status st = run(o);
  if (st != PMC_OK) return ThrowStatus(env, st, name);
  return result;
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
  return IntoOutOrResult(env, info[2], Elem::U8, out_size, "huffmanDecompress",
                         [&](uint8_t *o) { return pmc_huffman_decompress(in, n, o, out_size); });
}

// The quantizer's two directions: (input, offset32, scale32, out | undefined, dispatch), offset
// and scale checked by the C core's one rule (pmc_quant_check_params) before any output exists.
template <typename Fn>
static Napi::Value QuantCall(const Napi::CallbackInfo &info, Elem in_elem, Elem out_elem,
                             const char *name, const char *in_error, Fn fn) {
  Napi::Env env = info.Env();
  uint8_t *in;
  uint64_t n;
  float offset, scale;
  pmc_dispatch disp;
  if (!GetTyped(info[0], in_elem, &in, &n)) return ThrowArg(env, in_error);
  if (!GetFloat(info[1], &offset) || !GetFloat(info[2], &scale))
    return ThrowArg(env, "offset and scale must be numbers");
  if (!GetDispatch(info[4], &disp)) return ThrowArg(env, "unsupported dispatch");
  pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return ThrowStatus(env, st, name);
  return IntoOutOrResult(env, info[3], out_elem, n, name,
                         [&](uint8_t *o) { return fn(in, n, offset, scale, o, disp); });
}

// quantize(data: Uint16Array, offset32, scale32, out: Uint8Array | undefined, dispatch)
Napi::Value Quantize(const Napi::CallbackInfo &info) {
  return QuantCall(info, Elem::U16, Elem::U8, "quantize", "data must be a Uint16Array",
                   pmc_quantize);
}

// dequantize(q: Uint8Array, offset32, scale32, out: Uint16Array | undefined, dispatch)
Napi::Value Dequantize(const Napi::CallbackInfo &info) {
  return QuantCall(info, Elem::U8, Elem::U16, "dequantize", "q must be a Uint8Array",
                   pmc_dequantize);
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
  // The result is made (NewResult) once the plan knows the stream's exact size.
  Napi::Value result = env.Undefined();
  const OutAlloc make_result = [&](uint64_t bytes) -> uint8_t * {
    uint8_t *o;
    result = NewResult(env, bytes, napi_uint8_array, &o);
    return env.IsExceptionPending() ? nullptr : o;
  };
  uint8_t *stream;
  uint64_t len;
  pmc_status st = CompressQuant(in, n, offset, scale, disp, make_result,
                                [](uint8_t *, uint64_t) {}, &stream, &len);
  if (env.IsExceptionPending()) return env.Undefined();
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanCompressQuant");
  if (len == 0) {
    uint8_t *unused;
    return NewResult(env, 0, napi_uint8_array, &unused);
  }
  return result;
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
