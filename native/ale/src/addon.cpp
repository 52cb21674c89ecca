// N-API bindings: AleEnv (one game, stepped on the calling thread) and AleVecEnv (N games stepped on
// native threads, writing straight into the caller's typed arrays, step() returning a Promise).
// Arguments are validated again in src/env/atari (with friendlier messages); these checks only
// keep a wrong call from touching memory it does not own.
#include <napi.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
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
  std::string error;

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

  void resetOne(int i) { emulators[i]->reset(observations + observationSize * i); }

  // Runs on a libuv thread; the pool's helpers share the batch.
  void runBatch(bool reset) {
    try {
      pool->run(static_cast<int>(emulators.size()), [&](int i) {
        if (reset) resetOne(i);
        else stepOne(i);
      });
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::lock_guard<std::mutex> lock(mutex);
    busy = false;
    idle.notify_all();
  }

  void waitIdle() {
    std::unique_lock<std::mutex> lock(mutex);
    idle.wait(lock, [this] { return !busy; });
  }
};

class BatchWorker : public Napi::AsyncWorker {
 public:
  BatchWorker(const Napi::Env& env, std::shared_ptr<VecCore> core, bool reset, const Napi::Object& owner)
      : Napi::AsyncWorker(env, "ale-batch"), core_(std::move(core)), reset_(reset), deferred_(env) {
    owner_ = Napi::Persistent(owner);  // keeps the environment (and its buffers) alive until we resolve
  }
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override { core_->runBatch(reset_); }
  void OnOK() override {
    if (core_->error.empty()) {
      deferred_.Resolve(Env().Undefined());
    } else {
      deferred_.Reject(Napi::Error::New(Env(), core_->error).Value());
      core_->error.clear();
    }
  }

 private:
  std::shared_ptr<VecCore> core_;
  bool reset_;
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference owner_;
};

// new AleVecEnv(romPath, seed, protocol, numThreads, buffers)
// buffers: { observations, rewards, rawRewards, terminals, truncateds, gameOvers }, their length fixing N.
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
    napi_add_env_cleanup_hook(env, &AleVecEnv::Cleanup, core_.get());
    cleanupEnv_ = env;
  }

  ~AleVecEnv() override { shutdown(); }

 private:
  static void Cleanup(void* core) { static_cast<VecCore*>(core)->waitIdle(); }

  // Waits for a batch in flight, then joins the threads and frees the emulators.
  void shutdown() {
    if (!core_) return;
    core_->waitIdle();
    core_->pool.reset();
    core_->emulators.clear();
    napi_remove_env_cleanup_hook(cleanupEnv_, &AleVecEnv::Cleanup, core_.get());
    core_.reset();
  }

  VecCore& open(const Napi::Env& env) {
    if (!core_) throw Napi::Error::New(env, "the environment is closed");
    return *core_;
  }

  Napi::Value launch(const Napi::CallbackInfo& info, bool reset) {
    VecCore& core = open(info.Env());
    {
      std::lock_guard<std::mutex> lock(core.mutex);
      if (core.busy) throw Napi::Error::New(info.Env(), "a step or reset is still running: await it before the next");
      core.busy = true;
    }
    auto* worker = new BatchWorker(info.Env(), core_, reset, info.This().As<Napi::Object>());
    worker->Queue();
    return worker->promise();
  }

  Napi::Value Reset(const Napi::CallbackInfo& info) { return launch(info, true); }

  // step(actions: Int32Array(N)) -> Promise<void>; the actions are copied before it returns.
  Napi::Value Step(const Napi::CallbackInfo& info) {
    const Napi::Env env = info.Env();
    VecCore& core = open(env);
    const auto actions = typedArray<Napi::Int32Array>(env, info[0], core.emulators.size(), "actions");
    for (size_t i = 0; i < actions.ElementLength(); i++) checkedAction(env, actions[i]);
    {
      std::lock_guard<std::mutex> lock(core.mutex);
      if (core.busy) throw Napi::Error::New(env, "a step or reset is still running: await it before the next");
    }
    std::copy(actions.Data(), actions.Data() + actions.ElementLength(), core.actions.begin());
    return launch(info, false);
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
