// Helpers of the binding: memory accounting of async calls, errors, argument conversion.
#include "binding.h"

namespace pmc_node {

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
static bool GetView(const Napi::Value &v, napi_typedarray_type type, uint8_t **data, uint64_t *n) {
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
  if (x < 0 || x > 3) return false;
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

// A result of `bytes` bytes for a synchronous call (empty typed array for 0 bytes). Its memory
// belongs to V8, so the GC frees it as soon as it is garbage, also inside a synchronous loop of
// calls: Node runs the finalizer of an external buffer (AdoptBuffer) only when the event loop
// turns, so a loop of 150 encodes of one frame held about 1 GB and page-faulted every fresh
// output. V8 aborts when it cannot allocate, so a probe malloc of the same size first keeps
// failure an ERR_NO_MEMORY (test/no-memory.test.ts).
Napi::Value NewResult(Napi::Env env, uint64_t bytes, napi_typedarray_type type, uint8_t **data) {
  *data = nullptr;
  if (bytes > SIZE_MAX) return ThrowStatus(env, PMC_ERR_NO_MEMORY, "allocating the result");
  if (bytes > 0) {
    void *probe = std::malloc(static_cast<size_t>(bytes));
    if (!probe) return ThrowStatus(env, PMC_ERR_NO_MEMORY, "allocating the result");
    std::free(probe);
  }
  napi_value buf, ab, ta;
  void *p = nullptr;
  size_t offset = 0;
  if (napi_create_buffer(env, static_cast<size_t>(bytes), &p, &buf) != napi_ok ||
      napi_get_typedarray_info(env, buf, nullptr, nullptr, nullptr, &ab, &offset) != napi_ok) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored); // e.g. Node's ERR_BUFFER_TOO_LARGE
    return ThrowStatus(env, PMC_ERR_NO_MEMORY, "allocating the result");
  }
  const size_t elems = static_cast<size_t>(type == napi_uint16_array ? bytes / 2 : bytes);
  if (napi_create_typedarray(env, type, elems, ab, offset, &ta) != napi_ok) return env.Undefined();
  *data = static_cast<uint8_t *>(p);
  return Napi::Value(env, ta);
}


// Runs the whole of huffmanCompressQuant. The stream's buffer comes from `out_alloc` (null: out
// of memory) once its exact size is known (never for an empty stream), and goes back through `out_release` if encoding
// fails; *out / *out_len: the stream. The symbols' scratch is a HeldAlloc of the call.
pmc_status CompressQuant(const uint8_t *in, uint64_t n, float offset, float scale, pmc_dispatch d,
                         const OutAlloc &out_alloc, const OutRelease &out_release,
                         uint8_t **out, uint64_t *out_len) {
  *out = nullptr;
  *out_len = 0;
  std::unique_ptr<pmc_huff_plan> plan(new (std::nothrow) pmc_huff_plan);
  if (!plan) return PMC_ERR_NO_MEMORY;
  if (n >= (uint64_t(1) << 32)) return PMC_ERR_INPUT_TOO_LARGE;
  uint8_t *sym = n ? HeldAlloc(n) : nullptr;
  if (n && !sym) return PMC_ERR_NO_MEMORY;
  pmc_status st = pmc_quantize_into_plan(in, n, offset, scale, d, sym, plan.get());
  if (st == PMC_OK && plan->out_bytes > 0) { // an empty stream needs no buffer
    uint8_t *buf = out_alloc(plan->out_bytes);
    if (!buf) {
      st = PMC_ERR_NO_MEMORY;
    } else {
      st = pmc_huffman_encode(sym, n, plan.get(), buf, plan->out_bytes);
      if (st == PMC_OK) {
        *out = buf;
        *out_len = plan->out_bytes;
      } else {
        out_release(buf, plan->out_bytes);
      }
    }
  }
  HeldFree(sym, n);
  return st;
}

// huffmanCompressQuant(data: Uint16Array, offset32, scale32, dispatch): Uint8Array


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


}  // namespace pmc_node
