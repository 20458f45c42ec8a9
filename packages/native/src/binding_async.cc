// The binding's async entry points (libuv pool): see the contract in binding.cc's header.
#include "binding.h"

namespace pmc_node {
namespace {

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
        status_ = CompressQuant(in_, n_, offset_, scale_, disp_, HeldAlloc, HeldFree, &result_,
                                &result_bytes_);
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
}  // namespace

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
static Napi::Value QuantLikeAsync(const Napi::CallbackInfo &info, Op op) {
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

Napi::Value CpuHasAvx512(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), pmc_cpu_has_avx512() != 0);
}

// asyncStats(): { callsInFlight, bytesHeld } over every thread using the addon.
Napi::Value AsyncStats(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object r = Napi::Object::New(env);
  r.Set("callsInFlight", Napi::Number::New(env, static_cast<double>(g_calls_in_flight.load())));
  r.Set("bytesHeld", Napi::Number::New(env, static_cast<double>(g_bytes_held.load())));
  return r;
}

}  // namespace pmc_node
