// Thin node-addon-api binding over the C core (csrc/). It only converts arguments, results and
// errors; argument validation (types, ranges, float32 rounding) happens in the JS wrapper
// (src/index.ts) so that it matches @pymecompress/core-ts exactly. The binding re-checks the
// types it relies on and reports failures as an Error carrying `pmcCode` (the core-ts error code
// string), which the wrapper turns into a PymecompressError.
//
// Async functions follow the baton pattern: inputs are copied on the main thread, Execute() runs
// only the C core on the libuv pool, OnOK() creates the JS result or the error.
#include <napi.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "pymecompress.h"

namespace {

Napi::Error MakeError(Napi::Env env, pmc_status st, const char *context) {
  std::string msg = std::string(context) + ": " + pmc_status_message(st);
  Napi::Error err = Napi::Error::New(env, msg);
  err.Set("pmcCode", Napi::String::New(env, pmc_status_code(st)));
  return err;
}

Napi::Value ThrowStatus(Napi::Env env, pmc_status st, const char *context) {
  MakeError(env, st, context).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowArg(Napi::Env env, const char *what) {
  return ThrowStatus(env, PMC_ERR_INVALID_ARGUMENT, what);
}

// A typed-array view: pointer + element count (pointer may be null for empty views).
template <typename T>
bool GetView(const Napi::Value &v, napi_typedarray_type type, const uint8_t **data, uint64_t *n) {
  if (!v.IsTypedArray()) return false;
  Napi::TypedArray ta = v.As<Napi::TypedArray>();
  if (ta.TypedArrayType() != type) return false;
  napi_typedarray_type t;
  size_t length = 0;
  void *ptr = nullptr;
  napi_value ab;
  size_t byte_offset = 0;
  if (napi_get_typedarray_info(v.Env(), v, &t, &length, &ptr, &ab, &byte_offset) != napi_ok)
    return false;
  *data = static_cast<const uint8_t *>(ptr);
  *n = length;
  return true;
}

bool GetU8(const Napi::Value &v, const uint8_t **d, uint64_t *n) {
  return GetView<uint8_t>(v, napi_uint8_array, d, n);
}
bool GetU16(const Napi::Value &v, const uint8_t **d, uint64_t *n) {
  return GetView<uint16_t>(v, napi_uint16_array, d, n);
}

bool GetDispatch(const Napi::Value &v, pmc_dispatch *d) {
  if (!v.IsNumber()) return false;
  const int32_t x = v.As<Napi::Number>().Int32Value();
  if (x < 0 || x > 2) return false;
  return pmc_resolve_dispatch(static_cast<pmc_dispatch>(x), d) == PMC_OK;
}

bool GetFloat(const Napi::Value &v, float *f) {
  if (!v.IsNumber()) return false;
  *f = static_cast<float>(v.As<Napi::Number>().DoubleValue());
  return true;
}

// A fresh Uint8Array / Uint16Array of n elements.
Napi::Uint8Array NewU8(Napi::Env env, size_t n) { return Napi::Uint8Array::New(env, n); }

uint8_t *U8Data(Napi::Uint8Array a) { return a.ElementLength() ? a.Data() : nullptr; }

// Wraps a malloc'ed buffer as an ArrayBuffer without copying (freed by the GC).
Napi::ArrayBuffer AdoptBuffer(Napi::Env env, uint8_t *data, size_t bytes) {
  if (data == nullptr || bytes == 0) {
    std::free(data);
    return Napi::ArrayBuffer::New(env, 0);
  }
  return Napi::ArrayBuffer::New(env, data, bytes, [](Napi::Env, void *p) { std::free(p); });
}

// ---------------------------------------------------------------------------------------------
// Sync functions
// ---------------------------------------------------------------------------------------------

// huffmanCompress(data: Uint8Array): Uint8Array
Napi::Value HuffmanCompress(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const uint8_t *in;
  uint64_t n;
  if (!GetU8(info[0], &in, &n)) return ThrowArg(env, "data must be a Uint8Array");
  std::unique_ptr<pmc_huff_plan> plan(new (std::nothrow) pmc_huff_plan);
  if (!plan) return ThrowStatus(env, PMC_ERR_NO_MEMORY, "huffmanCompress");
  pmc_status st = pmc_huffman_plan(in, n, plan.get());
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanCompress");
  Napi::Uint8Array out = NewU8(env, static_cast<size_t>(plan->out_bytes));
  if (env.IsExceptionPending()) return env.Undefined();
  st = pmc_huffman_encode(in, n, plan.get(), U8Data(out), plan->out_bytes);
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanCompress");
  return out;
}

// huffmanDecompress(stream: Uint8Array, outSize: number, out?: Uint8Array): Uint8Array
// (when `out` is given the result is written to its first outSize bytes and undefined returned)
Napi::Value HuffmanDecompress(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const uint8_t *in;
  uint64_t n;
  if (!GetU8(info[0], &in, &n)) return ThrowArg(env, "stream must be a Uint8Array");
  if (!info[1].IsNumber()) return ThrowArg(env, "outSize must be a number");
  const double d = info[1].As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(static_cast<uint64_t>(d)))
    return ThrowArg(env, "outSize must be an integer in [0, 2^32 - 1]");
  const uint64_t out_size = static_cast<uint64_t>(d);
  pmc_status st = pmc_huffman_check_output_size(n, out_size);
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanDecompress");
  if (!info[2].IsUndefined()) {
    const uint8_t *o;
    uint64_t on;
    if (!GetU8(info[2], &o, &on) || on < out_size) return ThrowArg(env, "out is too small");
    st = pmc_huffman_decompress(in, n, const_cast<uint8_t *>(o), out_size);
    if (st != PMC_OK) return ThrowStatus(env, st, "huffmanDecompress");
    return env.Undefined();
  }
  Napi::Uint8Array out = NewU8(env, static_cast<size_t>(out_size));
  if (env.IsExceptionPending()) return env.Undefined();
  st = pmc_huffman_decompress(in, n, U8Data(out), out_size);
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanDecompress");
  return out;
}

// quantize(data: Uint16Array, offset32, scale32, out: Uint8Array | undefined, dispatch)
Napi::Value Quantize(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const uint8_t *in;
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
    const uint8_t *o;
    uint64_t on;
    if (!GetU8(info[3], &o, &on) || on < n) return ThrowArg(env, "out is too small");
    st = pmc_quantize(in, n, offset, scale, const_cast<uint8_t *>(o), disp);
    if (st != PMC_OK) return ThrowStatus(env, st, "quantize");
    return env.Undefined();
  }
  Napi::Uint8Array out = NewU8(env, static_cast<size_t>(n));
  if (env.IsExceptionPending()) return env.Undefined();
  st = pmc_quantize(in, n, offset, scale, U8Data(out), disp);
  if (st != PMC_OK) return ThrowStatus(env, st, "quantize");
  return out;
}

// dequantize(q: Uint8Array, offset32, scale32, out: Uint16Array | undefined, dispatch)
Napi::Value Dequantize(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const uint8_t *in;
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
    const uint8_t *o;
    uint64_t on;
    if (!GetU16(info[3], &o, &on) || on < n) return ThrowArg(env, "out is too small");
    st = pmc_dequantize(in, n, offset, scale, const_cast<uint8_t *>(o), disp);
    if (st != PMC_OK) return ThrowStatus(env, st, "dequantize");
    return env.Undefined();
  }
  Napi::Uint16Array out = Napi::Uint16Array::New(env, static_cast<size_t>(n));
  if (env.IsExceptionPending()) return env.Undefined();
  st = pmc_dequantize(in, n, offset, scale, n ? out.Data() : nullptr, disp);
  if (st != PMC_OK) return ThrowStatus(env, st, "dequantize");
  return out;
}

// huffmanCompressQuant(data: Uint16Array, offset32, scale32, dispatch): Uint8Array
Napi::Value HuffmanCompressQuant(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const uint8_t *in;
  uint64_t n;
  float offset, scale;
  pmc_dispatch disp;
  if (!GetU16(info[0], &in, &n)) return ThrowArg(env, "data must be a Uint16Array");
  if (!GetFloat(info[1], &offset) || !GetFloat(info[2], &scale))
    return ThrowArg(env, "offset and scale must be numbers");
  if (!GetDispatch(info[3], &disp)) return ThrowArg(env, "unsupported dispatch");
  std::unique_ptr<pmc_huff_plan> plan(new (std::nothrow) pmc_huff_plan);
  if (!plan) return ThrowStatus(env, PMC_ERR_NO_MEMORY, "huffmanCompressQuant");
  uint8_t *sym = nullptr;
  pmc_status st = pmc_quantize_plan(in, n, offset, scale, disp, &sym, plan.get());
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanCompressQuant");
  Napi::Uint8Array out = NewU8(env, static_cast<size_t>(plan->out_bytes));
  if (env.IsExceptionPending()) {
    std::free(sym);
    return env.Undefined();
  }
  st = pmc_huffman_encode(sym, n, plan.get(), U8Data(out), plan->out_bytes);
  std::free(sym);
  if (st != PMC_OK) return ThrowStatus(env, st, "huffmanCompressQuant");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Async functions (libuv pool)
// ---------------------------------------------------------------------------------------------

enum class Op { Compress, Decompress, Quantize, Dequantize, CompressQuant };

const char *OpName(Op op) {
  switch (op) {
    case Op::Compress: return "huffmanCompressAsync";
    case Op::Decompress: return "huffmanDecompressAsync";
    case Op::Quantize: return "quantizeAsync";
    case Op::Dequantize: return "dequantizeAsync";
    case Op::CompressQuant: return "huffmanCompressQuantAsync";
  }
  return "async";
}

// The baton: everything Execute() needs, owned by the worker; no JS values are touched off the
// main thread.
class Worker : public Napi::AsyncWorker {
 public:
  // Takes ownership of `input` (malloc'ed copy of the caller's bytes, or null when empty).
  Worker(Napi::Env env, Op op, uint8_t *input, uint64_t n, float offset, float scale,
         uint64_t out_size, pmc_dispatch disp)
      : Napi::AsyncWorker(env, "pymecompress"),
        deferred_(Napi::Promise::Deferred::New(env)),
        op_(op),
        input_(input),
        n_(n),
        offset_(offset),
        scale_(scale),
        out_size_(out_size),
        disp_(disp) {}

  ~Worker() override {
    std::free(out_);
    std::free(input_);
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    const uint8_t *in = input_;
    switch (op_) {
      case Op::Compress: {
        pmc_huff_plan *plan = static_cast<pmc_huff_plan *>(std::malloc(sizeof(pmc_huff_plan)));
        if (!plan) {
          status_ = PMC_ERR_NO_MEMORY;
          return;
        }
        status_ = pmc_huffman_plan(in, n_, plan);
        if (status_ == PMC_OK && plan->out_bytes > 0) {
          out_ = static_cast<uint8_t *>(std::malloc(static_cast<size_t>(plan->out_bytes)));
          if (!out_) {
            status_ = PMC_ERR_NO_MEMORY;
          } else {
            out_bytes_ = plan->out_bytes;
            status_ = pmc_huffman_encode(in, n_, plan, out_, out_bytes_);
          }
        }
        std::free(plan);
        break;
      }
      case Op::Decompress:
        if (out_size_ > 0) {
          out_ = static_cast<uint8_t *>(std::malloc(static_cast<size_t>(out_size_)));
          if (!out_) {
            status_ = PMC_ERR_NO_MEMORY;
            return;
          }
        }
        out_bytes_ = out_size_;
        status_ = pmc_huffman_decompress(in, n_, out_, out_size_);
        break;
      case Op::Quantize:
        if (n_ > 0) {
          out_ = static_cast<uint8_t *>(std::malloc(static_cast<size_t>(n_)));
          if (!out_) {
            status_ = PMC_ERR_NO_MEMORY;
            return;
          }
        }
        out_bytes_ = n_;
        status_ = pmc_quantize(in, n_, offset_, scale_, out_, disp_);
        break;
      case Op::Dequantize:
        if (n_ > 0) {
          out_ = static_cast<uint8_t *>(std::malloc(static_cast<size_t>(2 * n_)));
          if (!out_) {
            status_ = PMC_ERR_NO_MEMORY;
            return;
          }
        }
        out_bytes_ = 2 * n_;
        status_ = pmc_dequantize(in, n_, offset_, scale_, out_, disp_);
        break;
      case Op::CompressQuant:
        status_ = pmc_huffman_compress_quant(in, n_, offset_, scale_, disp_, &out_, &out_bytes_);
        break;
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (status_ != PMC_OK) {
      deferred_.Reject(MakeError(env, status_, OpName(op_)).Value());
      return;
    }
    uint8_t *data = out_;
    out_ = nullptr;
    const size_t bytes = static_cast<size_t>(out_bytes_);
    Napi::ArrayBuffer ab = AdoptBuffer(env, data, bytes);
    if (op_ == Op::Dequantize) {
      deferred_.Resolve(Napi::Uint16Array::New(env, bytes / 2, ab, 0));
    } else {
      deferred_.Resolve(Napi::Uint8Array::New(env, bytes, ab, 0));
    }
  }

  void OnError(const Napi::Error &e) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Op op_;
  uint8_t *input_;
  uint64_t n_;
  float offset_, scale_;
  uint64_t out_size_;
  pmc_dispatch disp_;
  pmc_status status_ = PMC_OK;
  uint8_t *out_ = nullptr;
  uint64_t out_bytes_ = 0;
};

Napi::Value Rejected(Napi::Env env, pmc_status st, const char *what) {
  Napi::Promise::Deferred d = Napi::Promise::Deferred::New(env);
  d.Reject(MakeError(env, st, what).Value());
  return d.Promise();
}

// A malloc'ed copy; *ok = false when memory ran out.
uint8_t *Copy(const uint8_t *p, uint64_t bytes, bool *ok) {
  *ok = true;
  if (bytes == 0) return nullptr;
  uint8_t *c = static_cast<uint8_t *>(std::malloc(static_cast<size_t>(bytes)));
  if (!c) {
    *ok = false;
    return nullptr;
  }
  std::memcpy(c, p, static_cast<size_t>(bytes));
  return c;
}

Napi::Value Start(Napi::Env env, Worker *w) {
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// huffmanCompressAsync(data: Uint8Array): Promise<Uint8Array>
Napi::Value HuffmanCompressAsync(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const uint8_t *in;
  uint64_t n;
  if (!GetU8(info[0], &in, &n)) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "data must be a Uint8Array");
  if (n >= (uint64_t(1) << 32)) return Rejected(env, PMC_ERR_INPUT_TOO_LARGE, "huffmanCompressAsync");
  bool ok;
  uint8_t *copy = Copy(in, n, &ok);
  if (!ok) return Rejected(env, PMC_ERR_NO_MEMORY, "huffmanCompressAsync");
  return Start(env, new Worker(env, Op::Compress, copy, n, 0, 1, 0, PMC_DISPATCH_SCALAR));
}

// huffmanDecompressAsync(stream: Uint8Array, outSize: number): Promise<Uint8Array>
Napi::Value HuffmanDecompressAsync(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const uint8_t *in;
  uint64_t n;
  if (!GetU8(info[0], &in, &n)) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "stream must be a Uint8Array");
  if (!info[1].IsNumber()) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "outSize must be a number");
  const double d = info[1].As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(static_cast<uint64_t>(d)))
    return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "outSize must be an integer in [0, 2^32 - 1]");
  const uint64_t out_size = static_cast<uint64_t>(d);
  pmc_status st = pmc_huffman_check_output_size(n, out_size);
  if (st != PMC_OK) return Rejected(env, st, "huffmanDecompressAsync");
  bool ok;
  uint8_t *copy = Copy(in, n, &ok);
  if (!ok) return Rejected(env, PMC_ERR_NO_MEMORY, "huffmanDecompressAsync");
  return Start(env, new Worker(env, Op::Decompress, copy, n, 0, 1, out_size, PMC_DISPATCH_SCALAR));
}

Napi::Value QuantLikeAsync(const Napi::CallbackInfo &info, Op op) {
  Napi::Env env = info.Env();
  const uint8_t *in;
  uint64_t n;
  float offset, scale;
  pmc_dispatch disp;
  const bool typed = op == Op::Dequantize ? GetU8(info[0], &in, &n) : GetU16(info[0], &in, &n);
  if (!typed) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "wrong typed array");
  if (!GetFloat(info[1], &offset) || !GetFloat(info[2], &scale))
    return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "offset and scale must be numbers");
  if (!GetDispatch(info[3], &disp)) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "unsupported dispatch");
  if (op == Op::CompressQuant && n >= (uint64_t(1) << 32))
    return Rejected(env, PMC_ERR_INPUT_TOO_LARGE, OpName(op));
  pmc_status st = pmc_quant_check_params(offset, scale);
  if (st != PMC_OK) return Rejected(env, st, OpName(op));
  const uint64_t bytes = op == Op::Dequantize ? n : 2 * n;
  bool ok;
  uint8_t *copy = Copy(in, bytes, &ok);
  if (!ok) return Rejected(env, PMC_ERR_NO_MEMORY, OpName(op));
  return Start(env, new Worker(env, op, copy, n, offset, scale, 0, disp));
}

Napi::Value QuantizeAsync(const Napi::CallbackInfo &info) { return QuantLikeAsync(info, Op::Quantize); }
Napi::Value DequantizeAsync(const Napi::CallbackInfo &info) { return QuantLikeAsync(info, Op::Dequantize); }
Napi::Value HuffmanCompressQuantAsync(const Napi::CallbackInfo &info) {
  return QuantLikeAsync(info, Op::CompressQuant);
}

Napi::Value CpuHasAvx2(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), pmc_cpu_has_avx2() != 0);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("huffmanCompress", Napi::Function::New(env, HuffmanCompress, "huffmanCompress"));
  exports.Set("huffmanDecompress", Napi::Function::New(env, HuffmanDecompress, "huffmanDecompress"));
  exports.Set("quantize", Napi::Function::New(env, Quantize, "quantize"));
  exports.Set("dequantize", Napi::Function::New(env, Dequantize, "dequantize"));
  exports.Set("huffmanCompressQuant", Napi::Function::New(env, HuffmanCompressQuant, "huffmanCompressQuant"));
  exports.Set("huffmanCompressAsync", Napi::Function::New(env, HuffmanCompressAsync, "huffmanCompressAsync"));
  exports.Set("huffmanDecompressAsync", Napi::Function::New(env, HuffmanDecompressAsync, "huffmanDecompressAsync"));
  exports.Set("quantizeAsync", Napi::Function::New(env, QuantizeAsync, "quantizeAsync"));
  exports.Set("dequantizeAsync", Napi::Function::New(env, DequantizeAsync, "dequantizeAsync"));
  exports.Set("huffmanCompressQuantAsync",
              Napi::Function::New(env, HuffmanCompressQuantAsync, "huffmanCompressQuantAsync"));
  exports.Set("cpuHasAvx2", Napi::Function::New(env, CpuHasAvx2, "cpuHasAvx2"));
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  return exports;
}

}  // namespace

NODE_API_MODULE(pymecompress_native, Init)
