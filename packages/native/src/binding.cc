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
#include <napi.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "pymecompress.h"

namespace {

// ---------------------------------------------------------------------------------------------
// Accounting of memory held by in-flight async calls (all threads, all environments)
// ---------------------------------------------------------------------------------------------

std::atomic<int64_t> g_calls_in_flight{0};
std::atomic<int64_t> g_bytes_held{0};

// malloc that counts; NULL when out of memory (or for 0 bytes).
uint8_t *HeldAlloc(uint64_t bytes) {
  if (bytes == 0 || bytes > SIZE_MAX) return nullptr;
  uint8_t *p = static_cast<uint8_t *>(std::malloc(static_cast<size_t>(bytes)));
  if (p) g_bytes_held.fetch_add(static_cast<int64_t>(bytes));
  return p;
}

void HeldFree(uint8_t *p, uint64_t bytes) {
  if (!p) return;
  std::free(p);
  g_bytes_held.fetch_sub(static_cast<int64_t>(bytes));
}

// ---------------------------------------------------------------------------------------------
// Errors and argument helpers
// ---------------------------------------------------------------------------------------------

Napi::Error MakeError(Napi::Env env, pmc_status st, const std::string &context) {
  std::string msg = context + ": " + pmc_status_message(st);
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
bool GetView(const Napi::Value &v, napi_typedarray_type type, uint8_t **data, uint64_t *n) {
  if (!v.IsTypedArray()) return false;
  napi_typedarray_type t;
  size_t length = 0;
  void *ptr = nullptr;
  napi_value ab;
  size_t byte_offset = 0;
  if (napi_get_typedarray_info(v.Env(), v, &t, &length, &ptr, &ab, &byte_offset) != napi_ok)
    return false;
  if (t != type) return false;
  *data = static_cast<uint8_t *>(ptr);
  *n = length;
  return true;
}

bool GetU8(const Napi::Value &v, uint8_t **d, uint64_t *n) {
  return GetView(v, napi_uint8_array, d, n);
}
bool GetU16(const Napi::Value &v, uint8_t **d, uint64_t *n) {
  return GetView(v, napi_uint16_array, d, n);
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

// An integer in [0, 2^32 - 1].
bool GetSize(const Napi::Value &v, uint64_t *out) {
  if (!v.IsNumber()) return false;
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(static_cast<uint64_t>(d)))
    return false;
  *out = static_cast<uint64_t>(d);
  return true;
}

// Wraps a malloc'ed buffer (counted by HeldAlloc) as an ArrayBuffer without copying; the GC
// frees it. Returns false (and frees the buffer) when the environment cannot create it.
bool AdoptBuffer(napi_env env, uint8_t *data, uint64_t bytes, napi_value *result) {
  if (data == nullptr || bytes == 0) {
    HeldFree(data, bytes);
    return napi_create_arraybuffer(env, 0, nullptr, result) == napi_ok;
  }
  g_bytes_held.fetch_sub(static_cast<int64_t>(bytes)); // the result's now, not a call's
  const napi_status st = napi_create_external_arraybuffer(
      env, data, static_cast<size_t>(bytes), [](napi_env, void *p, void *) { std::free(p); },
      nullptr, result);
  if (st != napi_ok) {
    std::free(data);
    return false;
  }
  return true;
}

// A result of `bytes` bytes: malloc'ed and adopted, so that failure is ERR_NO_MEMORY rather than
// a V8 RangeError or abort. Empty typed array for 0 bytes.
Napi::Value NewResult(Napi::Env env, uint64_t bytes, napi_typedarray_type type, uint8_t **data) {
  *data = nullptr;
  uint8_t *p = nullptr;
  if (bytes > 0) {
    p = HeldAlloc(bytes);
    if (!p) return ThrowStatus(env, PMC_ERR_NO_MEMORY, "allocating the result");
  }
  napi_value ab, ta;
  if (!AdoptBuffer(env, p, bytes, &ab))
    return ThrowStatus(env, PMC_ERR_NO_MEMORY, "allocating the result");
  const size_t elems = static_cast<size_t>(type == napi_uint16_array ? bytes / 2 : bytes);
  if (napi_create_typedarray(env, type, elems, ab, 0, &ta) != napi_ok) return env.Undefined();
  *data = p;
  return Napi::Value(env, ta);
}

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

// Runs the whole of huffmanCompressQuant; *out / *out_len: a HeldAlloc'ed stream.
pmc_status CompressQuant(const uint8_t *in, uint64_t n, float offset, float scale, pmc_dispatch d,
                         uint8_t **out, uint64_t *out_len) {
  *out = nullptr;
  *out_len = 0;
  std::unique_ptr<pmc_huff_plan> plan(new (std::nothrow) pmc_huff_plan);
  if (!plan) return PMC_ERR_NO_MEMORY;
  if (n >= (uint64_t(1) << 32)) return PMC_ERR_INPUT_TOO_LARGE;
  uint8_t *sym = n ? HeldAlloc(n) : nullptr;
  if (n && !sym) return PMC_ERR_NO_MEMORY;
  pmc_status st = pmc_quantize_into_plan(in, n, offset, scale, d, sym, plan.get());
  if (st == PMC_OK && plan->out_bytes > 0) {
    uint8_t *buf = HeldAlloc(plan->out_bytes);
    if (!buf) {
      st = PMC_ERR_NO_MEMORY;
    } else {
      st = pmc_huffman_encode(sym, n, plan.get(), buf, plan->out_bytes);
      if (st == PMC_OK) {
        *out = buf;
        *out_len = plan->out_bytes;
      } else {
        HeldFree(buf, plan->out_bytes);
      }
    }
  }
  HeldFree(sym, n);
  return st;
}

// huffmanCompressQuant(data: Uint16Array, offset32, scale32, dispatch): Uint8Array
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

// The batch's arrays: streams[i] (Uint8Array), sizes[i] (numbers), outs[i] (Uint8Array of at
// least sizes[i] bytes), all of one length. False on a type error.
struct BatchArgs {
  std::vector<const uint8_t *> streams;
  std::vector<uint64_t> lens, sizes;
  std::vector<uint8_t *> outs;
  std::vector<pmc_status> statuses;
};

bool GetBatch(const Napi::CallbackInfo &info, BatchArgs *b, std::vector<napi_value> *keep) {
  if (!info[0].IsArray() || !info[1].IsArray() || !info[2].IsArray()) return false;
  Napi::Array s = info[0].As<Napi::Array>(), z = info[1].As<Napi::Array>(),
              o = info[2].As<Napi::Array>();
  const uint32_t count = s.Length();
  if (z.Length() != count || o.Length() != count) return false;
  b->streams.resize(count);
  b->lens.resize(count);
  b->sizes.resize(count);
  b->outs.resize(count);
  b->statuses.assign(count, PMC_OK);
  for (uint32_t i = 0; i < count; i++) {
    Napi::Value sv = s.Get(i), ov = o.Get(i);
    uint8_t *sp, *op;
    uint64_t sn, on;
    if (!GetU8(sv, &sp, &sn) || !GetU8(ov, &op, &on) || !GetSize(z.Get(i), &b->sizes[i]))
      return false;
    if (on < b->sizes[i]) return false;
    b->streams[i] = sp;
    b->lens[i] = sn;
    b->outs[i] = op;
    if (keep) {
      keep->push_back(sv);
      keep->push_back(ov);
    }
  }
  return true;
}

// null when every call succeeded, else { index, code, message } of the first failure.
Napi::Value BatchResult(Napi::Env env, const std::vector<pmc_status> &statuses) {
  for (size_t i = 0; i < statuses.size(); i++) {
    if (statuses[i] != PMC_OK) {
      Napi::Object r = Napi::Object::New(env);
      r.Set("index", Napi::Number::New(env, static_cast<double>(i)));
      r.Set("code", Napi::String::New(env, pmc_status_code(statuses[i])));
      r.Set("message", Napi::String::New(env, pmc_status_message(statuses[i])));
      return r;
    }
  }
  return env.Null();
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

// ---------------------------------------------------------------------------------------------
// Async functions (libuv pool)
// ---------------------------------------------------------------------------------------------

enum class Op { Compress, Decompress, Quantize, Dequantize, CompressQuant, DecompressBatch };

const char *OpName(Op op) {
  switch (op) {
    case Op::Compress: return "huffmanCompressAsync";
    case Op::Decompress: return "huffmanDecompressAsync";
    case Op::Quantize: return "quantizeAsync";
    case Op::Dequantize: return "dequantizeAsync";
    case Op::CompressQuant: return "huffmanCompressQuantAsync";
    case Op::DecompressBatch: return "huffmanDecompressBatchAsync";
  }
  return "async";
}

// The baton: pointers into the caller's typed arrays (kept alive by references until the call
// settles), parameters, and the result. Execute() touches no JS value.
class Worker : public Napi::AsyncWorker {
 public:
  Worker(Napi::Env env, Op op, const std::vector<napi_value> &keep)
      : Napi::AsyncWorker(env, "pymecompress"), deferred_(Napi::Promise::Deferred::New(env)),
        op_(op) {
    for (napi_value v : keep) refs_.push_back(Napi::Persistent(Napi::Value(env, v).As<Napi::Object>()));
    g_calls_in_flight.fetch_add(1);
  }

  ~Worker() override {
    HeldFree(result_, result_bytes_);
    g_calls_in_flight.fetch_sub(1);
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

  const uint8_t *in_ = nullptr;
  uint64_t n_ = 0;
  uint8_t *out_ = nullptr; // caller's output, or null: allocate the result
  bool has_out_ = false;
  uint64_t out_size_ = 0;
  float offset_ = 0, scale_ = 1;
  pmc_dispatch disp_ = PMC_DISPATCH_SCALAR;
  BatchArgs batch_;

 protected:
  void Execute() override {
    switch (op_) {
      case Op::Compress: {
        std::unique_ptr<pmc_huff_plan> plan(new (std::nothrow) pmc_huff_plan);
        if (!plan) {
          status_ = PMC_ERR_NO_MEMORY;
          return;
        }
        status_ = pmc_huffman_plan(in_, n_, plan.get());
        if (status_ != PMC_OK || plan->out_bytes == 0) return;
        if (!Allocate(plan->out_bytes)) return;
        status_ = pmc_huffman_encode(in_, n_, plan.get(), result_, result_bytes_);
        break;
      }
      case Op::Decompress:
        if (!has_out_ && !Allocate(out_size_)) return;
        status_ = pmc_huffman_decompress(in_, n_, has_out_ ? out_ : result_, out_size_);
        break;
      case Op::Quantize:
        if (!has_out_ && !Allocate(n_)) return;
        status_ = pmc_quantize(in_, n_, offset_, scale_, has_out_ ? out_ : result_, disp_);
        break;
      case Op::Dequantize:
        if (!has_out_ && !Allocate(2 * n_)) return;
        status_ = pmc_dequantize(in_, n_, offset_, scale_, has_out_ ? out_ : result_, disp_);
        break;
      case Op::CompressQuant:
        status_ = CompressQuant(in_, n_, offset_, scale_, disp_, &result_, &result_bytes_);
        break;
      case Op::DecompressBatch:
        pmc_huffman_decompress_batch(batch_.streams.size(), batch_.streams.data(),
                                     batch_.lens.data(), batch_.outs.data(), batch_.sizes.data(),
                                     batch_.statuses.data());
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
    if (op_ == Op::DecompressBatch) {
      deferred_.Resolve(BatchResult(env, batch_.statuses));
      return;
    }
    if (has_out_) { // the caller's out, filled in place
      deferred_.Resolve(env.Undefined());
      return;
    }
    uint8_t *data = result_;
    const uint64_t bytes = result_bytes_;
    result_ = nullptr;
    result_bytes_ = 0;
    napi_value ab, ta;
    if (!AdoptBuffer(env, data, bytes, &ab)) {
      deferred_.Reject(MakeError(env, PMC_ERR_NO_MEMORY, OpName(op_)).Value());
      return;
    }
    const bool u16 = op_ == Op::Dequantize;
    const size_t elems = static_cast<size_t>(u16 ? bytes / 2 : bytes);
    if (napi_create_typedarray(env, u16 ? napi_uint16_array : napi_uint8_array, elems, ab, 0,
                               &ta) != napi_ok) {
      deferred_.Reject(MakeError(env, PMC_ERR_NO_MEMORY, OpName(op_)).Value());
      return;
    }
    deferred_.Resolve(Napi::Value(env, ta));
  }

  void OnError(const Napi::Error &e) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(e.Value());
  }

 private:
  bool Allocate(uint64_t bytes) {
    if (bytes == 0) return true;
    result_ = HeldAlloc(bytes);
    if (!result_) {
      status_ = PMC_ERR_NO_MEMORY;
      return false;
    }
    result_bytes_ = bytes;
    return true;
  }

  Napi::Promise::Deferred deferred_;
  Op op_;
  std::vector<Napi::ObjectReference> refs_;
  pmc_status status_ = PMC_OK;
  uint8_t *result_ = nullptr;
  uint64_t result_bytes_ = 0;
};

Napi::Value Rejected(Napi::Env env, pmc_status st, const char *what) {
  Napi::Promise::Deferred d = Napi::Promise::Deferred::New(env);
  d.Reject(MakeError(env, st, what).Value());
  return d.Promise();
}

Napi::Value Start(Worker *w) {
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// huffmanCompressAsync(data: Uint8Array): Promise<Uint8Array>
Napi::Value HuffmanCompressAsync(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint8_t *in;
  uint64_t n;
  if (!GetU8(info[0], &in, &n)) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "data must be a Uint8Array");
  if (n >= (uint64_t(1) << 32)) return Rejected(env, PMC_ERR_INPUT_TOO_LARGE, "huffmanCompressAsync");
  Worker *w = new Worker(env, Op::Compress, {info[0]});
  w->in_ = in;
  w->n_ = n;
  return Start(w);
}

// huffmanDecompressAsync(stream: Uint8Array, outSize: number, out?: Uint8Array)
//   : Promise<Uint8Array | undefined> (undefined when written into `out`)
Napi::Value HuffmanDecompressAsync(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint8_t *in;
  uint64_t n, out_size;
  if (!GetU8(info[0], &in, &n)) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "stream must be a Uint8Array");
  if (!GetSize(info[1], &out_size))
    return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "outSize must be an integer in [0, 2^32 - 1]");
  pmc_status st = pmc_huffman_check_output_size(n, out_size);
  if (st != PMC_OK) return Rejected(env, st, "huffmanDecompressAsync");
  std::vector<napi_value> keep{info[0]};
  uint8_t *o = nullptr;
  const bool has_out = !info[2].IsUndefined();
  if (has_out) {
    uint64_t on;
    if (!GetU8(info[2], &o, &on) || on < out_size) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "out is too small");
    keep.push_back(info[2]);
  }
  Worker *w = new Worker(env, Op::Decompress, keep);
  w->in_ = in;
  w->n_ = n;
  w->out_ = o;
  w->has_out_ = has_out;
  w->out_size_ = out_size;
  return Start(w);
}

// quantizeAsync / dequantizeAsync(data, offset32, scale32, dispatch, out?)
// huffmanCompressQuantAsync(data, offset32, scale32, dispatch)
Napi::Value QuantLikeAsync(const Napi::CallbackInfo &info, Op op) {
  Napi::Env env = info.Env();
  uint8_t *in;
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
  std::vector<napi_value> keep{info[0]};
  uint8_t *o = nullptr;
  const bool has_out = op != Op::CompressQuant && !info[4].IsUndefined();
  if (has_out) {
    uint64_t on;
    const bool ok = op == Op::Dequantize ? GetU16(info[4], &o, &on) : GetU8(info[4], &o, &on);
    if (!ok || on < n) return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "out is too small");
    keep.push_back(info[4]);
  }
  Worker *w = new Worker(env, op, keep);
  w->in_ = in;
  w->n_ = n;
  w->offset_ = offset;
  w->scale_ = scale;
  w->disp_ = disp;
  w->out_ = o;
  w->has_out_ = has_out;
  return Start(w);
}

Napi::Value QuantizeAsync(const Napi::CallbackInfo &info) { return QuantLikeAsync(info, Op::Quantize); }
Napi::Value DequantizeAsync(const Napi::CallbackInfo &info) { return QuantLikeAsync(info, Op::Dequantize); }
Napi::Value HuffmanCompressQuantAsync(const Napi::CallbackInfo &info) {
  return QuantLikeAsync(info, Op::CompressQuant);
}

// huffmanDecompressBatchAsync(streams, sizes, outs): Promise<null | { index, code, message }>
Napi::Value HuffmanDecompressBatchAsync(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  BatchArgs b;
  std::vector<napi_value> keep;
  if (!GetBatch(info, &b, &keep))
    return Rejected(env, PMC_ERR_INVALID_ARGUMENT, "huffmanDecompressBatchAsync: bad arguments");
  Worker *w = new Worker(env, Op::DecompressBatch, keep);
  w->batch_ = std::move(b);
  return Start(w);
}

Napi::Value CpuHasAvx2(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), pmc_cpu_has_avx2() != 0);
}

// asyncStats(): { callsInFlight, bytesHeld } over every thread using the addon.
Napi::Value AsyncStats(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object r = Napi::Object::New(env);
  r.Set("callsInFlight", Napi::Number::New(env, static_cast<double>(g_calls_in_flight.load())));
  r.Set("bytesHeld", Napi::Number::New(env, static_cast<double>(g_bytes_held.load())));
  return r;
}

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
  if (napi_create_uint32(env, 2, &abi) != napi_ok) return nullptr;
  if (napi_set_named_property(env, exports, "abiVersion", abi) != napi_ok) return nullptr;
  return exports;
}

}  // namespace

NAPI_MODULE_INIT() { return Init(env, exports); }
