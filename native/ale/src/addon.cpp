// N-API bindings: AleEnv (one game, stepped on the calling thread) and AleVecEnv (N games stepped on
// native worker threads, writing straight into the caller's typed arrays, step() returning a Promise).
// Arguments are validated again in src/env/atari (with friendlier messages); these checks only
// keep a wrong call from touching memory it does not own.
#include <napi.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "area_resize.hpp"
#include "emulator.hpp"
#include "worker_pool.hpp"

namespace distill {
namespace {

constexpr int kFullActionSetSize = 18;

Protocol readProtocol(const Napi::Object& o) {
  Protocol p;
  p.frameSkip = o.Get("frameSkip").As<Napi::Number>().Int32Value();
  p.maxPool = o.Get("maxPool").As<Napi::Boolean>().Value();
  p.noopMax = o.Get("noopMax").As<Napi::Number>().Int32Value();
  p.episodicLife = o.Get("episodicLife").As<Napi::Boolean>().Value();
  p.clipRewards = o.Get("clipRewards").As<Napi::Boolean>().Value();
  p.stickyActionProbability = o.Get("stickyActionProbability").As<Napi::Number>().FloatValue();
  p.maxEpisodeFrames = o.Get("maxEpisodeFrames").As<Napi::Number>().Int32Value();
  p.stackSize = o.Get("stackSize").As<Napi::Number>().Int32Value();
  return p;
}

template <typename T>
T typedArray(const Napi::Env& env, const Napi::Value& v, size_t length, const char* name) {
  if (!v.IsTypedArray()) throw Napi::TypeError::New(env, std::string(name) + " must be a typed array");
  T array = v.As<T>();
  if (array.ElementLength() != length) {
    throw Napi::RangeError::New(env, std::string(name) + " must have length " + std::to_string(length) + ", got " +
                                         std::to_string(array.ElementLength()));
  }
  return array;
}

int checkedAction(const Napi::Env& env, double action) {
  if (!(action >= 0 && action < kFullActionSetSize) || action != static_cast<int>(action)) {
    throw Napi::RangeError::New(env, "action must be an integer in 0..17, got " + std::to_string(action));
  }
  return static_cast<int>(action);
}

Napi::Array toArray(const Napi::Env& env, const std::vector<int>& values) {
  Napi::Array out = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); i++) out.Set(static_cast<uint32_t>(i), values[i]);
  return out;
}

Napi::Value render(const Napi::Env& env, Emulator& emulator) {
  auto rgb = Napi::Uint8Array::New(env, static_cast<size_t>(emulator.screenWidth()) * emulator.screenHeight() * 3);
  emulator.render(rgb.Data());
  return rgb;
}

// ---------------------------------------------------------------------------------------------
// new AleEnv(romPath, seed, protocol, result: Float64Array(5))
// result after each step: [reward, rawReward, terminal, truncated, gameOver]
class AleEnv : public Napi::ObjectWrap<AleEnv> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "AleEnv",
                       {InstanceMethod<&AleEnv::Reset>("reset"), InstanceMethod<&AleEnv::Step>("step"),
                        InstanceMethod<&AleEnv::Render>("render"), InstanceMethod<&AleEnv::Lives>("lives"),
                        InstanceMethod<&AleEnv::EpisodeFrame>("episodeFrame"),
                        InstanceMethod<&AleEnv::LegalActions>("legalActions"), InstanceMethod<&AleEnv::Close>("close")});
  }

  explicit AleEnv(const Napi::CallbackInfo& info) : Napi::ObjectWrap<AleEnv>(info) {
    const Napi::Env env = info.Env();
    const std::string rom = info[0].As<Napi::String>().Utf8Value();
    const uint32_t seed = info[1].As<Napi::Number>().Uint32Value();
    const Protocol protocol = readProtocol(info[2].As<Napi::Object>());
    resultRef_ = Napi::Persistent(typedArray<Napi::Float64Array>(env, info[3], 5, "result"));
    result_ = resultRef_.Value().As<Napi::Float64Array>().Data();
    try {
      emulator_ = std::make_unique<Emulator>(rom, seed, protocol);
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, std::string("ALE could not load ") + rom + ": " + e.what());
    }
  }

 private:
  Emulator& open(const Napi::Env& env) {
    if (!emulator_) throw Napi::Error::New(env, "the environment is closed");
    return *emulator_;
  }

  uint8_t* observation(const Napi::Env& env, const Napi::Value& v) {
    return typedArray<Napi::Uint8Array>(env, v, open(env).observationSize(), "obs").Data();
  }

  Napi::Value Reset(const Napi::CallbackInfo& info) {
    open(info.Env()).reset(observation(info.Env(), info[0]));
    return info.Env().Undefined();
  }

  Napi::Value Step(const Napi::CallbackInfo& info) {
    const Napi::Env env = info.Env();
    const int action = checkedAction(env, info[0].As<Napi::Number>().DoubleValue());
    const StepOutcome out = open(env).step(action, observation(env, info[1]));
    result_[0] = out.reward;
    result_[1] = out.rawReward;
    result_[2] = out.terminal;
    result_[3] = out.truncated;
    result_[4] = out.gameOver;
    return env.Undefined();
  }

  Napi::Value Render(const Napi::CallbackInfo& info) { return render(info.Env(), open(info.Env())); }
  Napi::Value Lives(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), open(info.Env()).lives()); }
  Napi::Value EpisodeFrame(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), open(info.Env()).episodeFrameNumber());
  }
  Napi::Value LegalActions(const Napi::CallbackInfo& info) {
    return toArray(info.Env(), open(info.Env()).minimalActions());
  }
  Napi::Value Close(const Napi::CallbackInfo& info) {
    emulator_.reset();
    return info.Env().Undefined();
  }

  std::unique_ptr<Emulator> emulator_;
  Napi::Reference<Napi::Float64Array> resultRef_;
  double* result_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// The state of a vector environment that worker threads touch; owned by AleVecEnv.
struct VecCore {
  std::vector<std::unique_ptr<Emulator>> emulators;
  std::unique_ptr<WorkerPool> pool;
  std::vector<int> actions;
  uint8_t* observations = nullptr;
  float* rewards = nullptr;
  float* rawRewards = nullptr;
  uint8_t* terminals = nullptr;
  uint8_t* truncateds = nullptr;
  uint8_t* gameOvers = nullptr;
  size_t observationSize = 0;
  std::mutex mutex;
  std::condition_variable idle;
  bool busy = false;
  std::string error;  // the first failure of the batch in flight

  void stepOne(int i) {
    Emulator& e = *emulators[i];
    uint8_t* obs = observations + observationSize * i;
    const StepOutcome out = e.step(actions[i], obs);
    rewards[i] = out.reward;
    rawRewards[i] = out.rawReward;
    terminals[i] = out.terminal;
    truncateds[i] = out.truncated;
    gameOvers[i] = out.gameOver;
    // Auto-reset: the slot now shows the next episode's first observation.
    if (out.terminal || out.truncated) e.reset(obs);
  }

  void runOne(int i, bool reset) {
    try {
      if (reset) emulators[i]->reset(observations + observationSize * i);
      else stepOne(i);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex);
      if (error.empty()) error = e.what();
    }
  }

  void markIdle() {
    std::lock_guard<std::mutex> lock(mutex);
    busy = false;
    idle.notify_all();
  }

  void waitIdle() {
    std::unique_lock<std::mutex> lock(mutex);
    idle.wait(lock, [this] { return !busy; });
  }
};

// new AleVecEnv(romPath, seed, protocol, numThreads, buffers)
// buffers: { observations, rewards, rawRewards, terminals, truncateds, gameOvers }, their length fixing N.
// A batch goes straight from the JavaScript thread to the worker threads; the last one to finish
// wakes the JavaScript thread through a thread-safe function, which settles the promise.
class AleVecEnv : public Napi::ObjectWrap<AleVecEnv> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "AleVecEnv",
                       {InstanceMethod<&AleVecEnv::Reset>("reset"), InstanceMethod<&AleVecEnv::Step>("step"),
                        InstanceMethod<&AleVecEnv::Render>("render"),
                        InstanceMethod<&AleVecEnv::LegalActions>("legalActions"),
                        InstanceMethod<&AleVecEnv::Close>("close")});
  }

  explicit AleVecEnv(const Napi::CallbackInfo& info) : Napi::ObjectWrap<AleVecEnv>(info) {
    const Napi::Env env = info.Env();
    const std::string rom = info[0].As<Napi::String>().Utf8Value();
    const uint32_t seed = info[1].As<Napi::Number>().Uint32Value();
    const Protocol protocol = readProtocol(info[2].As<Napi::Object>());
    const int threads = info[3].As<Napi::Number>().Int32Value();
    const Napi::Object buffers = info[4].As<Napi::Object>();
    const size_t n = buffers.Get("rewards").As<Napi::Float32Array>().ElementLength();
    if (n < 1 || threads < 1) throw Napi::RangeError::New(env, "need at least one environment and one thread");
    core_ = std::make_shared<VecCore>();
    VecCore& core = *core_;
    try {
      // Each copy gets its own seed, spread by a large odd constant so that nearby run seeds differ.
      for (size_t i = 0; i < n; i++) {
        core.emulators.push_back(std::make_unique<Emulator>(rom, seed + static_cast<uint32_t>(i) * 0x9e3779b9u, protocol));
      }
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, std::string("ALE could not load ") + rom + ": " + e.what());
    }
    core.observationSize = core.emulators[0]->observationSize();
    buffers_ = Napi::Persistent(buffers);
    core.observations = typedArray<Napi::Uint8Array>(env, buffers.Get("observations"), n * core.observationSize, "observations").Data();
    core.rewards = typedArray<Napi::Float32Array>(env, buffers.Get("rewards"), n, "rewards").Data();
    core.rawRewards = typedArray<Napi::Float32Array>(env, buffers.Get("rawRewards"), n, "rawRewards").Data();
    core.terminals = typedArray<Napi::Uint8Array>(env, buffers.Get("terminals"), n, "terminals").Data();
    core.truncateds = typedArray<Napi::Uint8Array>(env, buffers.Get("truncateds"), n, "truncateds").Data();
    core.gameOvers = typedArray<Napi::Uint8Array>(env, buffers.Get("gameOvers"), n, "gameOvers").Data();
    core.actions.assign(n, 0);
    core.pool = std::make_unique<WorkerPool>(std::min(threads, static_cast<int>(n)));
    finished_ = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                              "ale-batch", 0, 1);
    finished_.Unref(env);  // only a batch in flight keeps the event loop alive
    napi_add_env_cleanup_hook(env, &AleVecEnv::Cleanup, core_.get());
    cleanupEnv_ = env;
  }

  ~AleVecEnv() override { shutdown(); }

 private:
  // Node is shutting down (process exit, worker termination) with the environment still open.
  static void Cleanup(void* data) {
    auto* core = static_cast<VecCore*>(data);
    core->waitIdle();
    core->pool.reset();
    core->emulators.clear();
  }

  // Waits for a batch in flight, then joins the threads and frees the emulators.
  void shutdown() {
    if (!core_) return;
    core_->waitIdle();
    core_->pool.reset();
    core_->emulators.clear();
    napi_remove_env_cleanup_hook(cleanupEnv_, &AleVecEnv::Cleanup, core_.get());
    core_.reset();
    finished_.Release();
  }

  VecCore& open(const Napi::Env& env) {
    if (!core_) throw Napi::Error::New(env, "the environment is closed");
    return *core_;
  }

  // In flight until its promise settles on the JavaScript thread, not merely until the worker threads finish:
  // a short batch can be done before the next call, and refusing then would depend on timing.
  void refuseIfBusy(const Napi::Env& env, VecCore& core) {
    std::lock_guard<std::mutex> lock(core.mutex);
    if (core.busy || pending_.has_value())
      throw Napi::Error::New(env, "a step or reset is still running: await it before the next");
  }

  Napi::Value launch(const Napi::Env& env, bool reset) {
    VecCore& core = open(env);
    {
      std::lock_guard<std::mutex> lock(core.mutex);
      core.busy = true;
    }
    pending_.emplace(Napi::Promise::Deferred::New(env));
    Napi::Promise promise = pending_->Promise();
    Ref();  // not collected while the threads write into its buffers
    finished_.Ref(env);
    std::shared_ptr<VecCore> shared = core_;
    Napi::ThreadSafeFunction finished = finished_;
    core.pool->start(
        static_cast<int>(core.emulators.size()), [shared, reset](int i) { shared->runOne(i, reset); },
        [this, shared, finished]() mutable {
          std::string error;
          {
            std::lock_guard<std::mutex> lock(shared->mutex);
            error.swap(shared->error);
          }
          shared->markIdle();
          finished.NonBlockingCall([this, error](Napi::Env env, Napi::Function) { settle(env, error); });
        });
    return promise;
  }

  // On the JavaScript thread, once the batch is done.
  void settle(Napi::Env env, const std::string& error) {
    Napi::Promise::Deferred deferred = *pending_;
    pending_.reset();
    if (core_) finished_.Unref(env);
    Unref();
    if (error.empty()) deferred.Resolve(env.Undefined());
    else deferred.Reject(Napi::Error::New(env, error).Value());
  }

  Napi::Value Reset(const Napi::CallbackInfo& info) {
    refuseIfBusy(info.Env(), open(info.Env()));
    return launch(info.Env(), true);
  }

  // step(actions: Int32Array(N)) -> Promise<void>; the actions are copied before it returns.
  Napi::Value Step(const Napi::CallbackInfo& info) {
    const Napi::Env env = info.Env();
    VecCore& core = open(env);
    const auto actions = typedArray<Napi::Int32Array>(env, info[0], core.emulators.size(), "actions");
    for (size_t i = 0; i < actions.ElementLength(); i++) checkedAction(env, actions[i]);
    refuseIfBusy(env, core);
    std::copy(actions.Data(), actions.Data() + actions.ElementLength(), core.actions.begin());
    return launch(env, false);
  }

  Napi::Value Render(const Napi::CallbackInfo& info) {
    VecCore& core = open(info.Env());
    const uint32_t i = info[0].As<Napi::Number>().Uint32Value();
    if (i >= core.emulators.size()) throw Napi::RangeError::New(info.Env(), "no environment " + std::to_string(i));
    core.waitIdle();
    return render(info.Env(), *core.emulators[i]);
  }

  Napi::Value LegalActions(const Napi::CallbackInfo& info) {
    return toArray(info.Env(), open(info.Env()).emulators[0]->minimalActions());
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    shutdown();
    buffers_.Reset();
    return info.Env().Undefined();
  }

  std::shared_ptr<VecCore> core_;
  Napi::ObjectReference buffers_;
  Napi::ThreadSafeFunction finished_;
  std::optional<Napi::Promise::Deferred> pending_;
  napi_env cleanupEnv_ = nullptr;
};

// resizeArea(src, srcWidth, srcHeight, dstWidth, dstHeight) -> Uint8Array: exposed for the tests
// that compare the resize with OpenCV's on random images.
Napi::Value ResizeArea(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const int sw = info[1].As<Napi::Number>().Int32Value(), sh = info[2].As<Napi::Number>().Int32Value();
  const int dw = info[3].As<Napi::Number>().Int32Value(), dh = info[4].As<Napi::Number>().Int32Value();
  const auto src = typedArray<Napi::Uint8Array>(env, info[0], static_cast<size_t>(sw) * sh, "src");
  AreaResizer resizer(sw, sh, dw, dh);
  auto dst = Napi::Uint8Array::New(env, static_cast<size_t>(dw) * dh);
  resizer.resize(src.Data(), dst.Data());
  return dst;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("AleEnv", AleEnv::Define(env));
  exports.Set("AleVecEnv", AleVecEnv::Define(env));
  exports.Set("resizeArea", Napi::Function::New(env, ResizeArea));
  return exports;
}

}  // namespace
}  // namespace distill

static Napi::Object InitAle(Napi::Env env, Napi::Object exports) { return distill::Init(env, exports); }

NODE_API_MODULE(ale, InitAle)
