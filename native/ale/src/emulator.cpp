#include "emulator.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "ale/ale_interface.hpp"

namespace distill {

uint64_t NoopCounter::next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int NoopCounter::uniformBelow(int n) {
  // Rejection keeps the draw unbiased.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % static_cast<uint64_t>(n);
  uint64_t r = next();
  while (r >= limit) r = next();
  return static_cast<int>(r % static_cast<uint64_t>(n));
}

namespace {
constexpr int kScreenWidth = 160;
constexpr int kScreenHeight = 210;

std::unique_ptr<ale::ALEInterface> loadGame(const std::string& romPath, uint32_t seed, const Protocol& p) {
  ale::Logger::setMode(ale::Logger::Error);
  auto ale = std::make_unique<ale::ALEInterface>();
  // ALE stores the seed as a signed int; Python's ale_py passes np.int32(seed) the same way.
  ale->setInt("random_seed", static_cast<int32_t>(seed));
  ale->setFloat("repeat_action_probability", p.stickyActionProbability);
  ale->setInt("max_num_frames_per_episode", p.maxEpisodeFrames);
  ale->setInt("frame_skip", 1);
  ale->loadROM(romPath);
  if (ale->getScreen().width() != kScreenWidth || ale->getScreen().height() != kScreenHeight) {
    throw std::runtime_error("unexpected Atari screen size in " + romPath);
  }
  return ale;
}
}  // namespace

Emulator::Emulator(const std::string& romPath, uint32_t seed, const Protocol& protocol)
    : protocol_(protocol),
      ale_(loadGame(romPath, seed, protocol)),
      noops_(static_cast<uint64_t>(seed) * 0x2545f4914f6cdd1dULL + 1),
      resizer_(kScreenWidth, kScreenHeight, protocol.screenSize, protocol.screenSize),
      latest_(kScreenWidth * kScreenHeight),
      previous_(kScreenWidth * kScreenHeight),
      resized_(static_cast<size_t>(protocol.screenSize) * protocol.screenSize),
      stack_(static_cast<size_t>(protocol.screenSize) * protocol.screenSize) {
  if (protocol.stackSize < 1 || protocol.stackSize > 4) throw std::invalid_argument("stackSize must be 1..4");
}

Emulator::~Emulator() = default;

void Emulator::grab(std::vector<uint8_t>& into) { ale_->getScreenGrayscale(into); }

void Emulator::fullReset() {
  ale_->reset_game();
  const int count = protocol_.noopMax > 0 ? 1 + noops_.uniformBelow(protocol_.noopMax) : 0;
  for (int i = 0; i < count; i++) {
    ale_->act(ale::PLAYER_A_NOOP);
    if (ale_->game_over(true)) ale_->reset_game();
  }
  lives_ = ale_->lives();
  grab(latest_);
  std::fill(previous_.begin(), previous_.end(), 0);
}

void Emulator::reset(uint8_t* obs) {
  if (needsFullReset_ || !protocol_.episodicLife) {
    fullReset();
    needsFullReset_ = false;
  } else {
    // A lost life under episodic life: the game goes on, the new "episode" starts after one no-op step.
    const StepOutcome outcome = advance(ale::PLAYER_A_NOOP);
    if (outcome.gameOver) fullReset();
  }
  pushFrame(true, obs);
}

StepOutcome Emulator::advance(int action) {
  StepOutcome out;
  const auto pressed = static_cast<ale::Action>(action);
  for (int t = 0; t < protocol_.frameSkip; t++) {
    out.rawReward += static_cast<float>(ale_->act(pressed));
    out.terminal = ale_->game_over(false);
    out.truncated = ale_->game_truncated();
    if (protocol_.episodicLife) {
      const int lives = ale_->lives();
      out.terminal = out.terminal || lives < lives_;
      lives_ = lives;
    }
    // Like Gymnasium, a step that ends early keeps the frames grabbed before it (the quirk is copied
    // so that observations agree bit for bit; a terminal observation is never bootstrapped from).
    if (out.terminal || out.truncated) break;
    if (t == protocol_.frameSkip - 2) grab(previous_);
    else if (t == protocol_.frameSkip - 1) grab(latest_);
  }
  out.gameOver = ale_->game_over(true);
  out.reward = protocol_.clipRewards ? static_cast<float>((out.rawReward > 0) - (out.rawReward < 0)) : out.rawReward;
  return out;
}

StepOutcome Emulator::step(int action, uint8_t* obs) {
  const StepOutcome out = advance(action);
  needsFullReset_ = out.gameOver;
  pushFrame(false, obs);
  return out;
}

void Emulator::pushFrame(bool fillStack, uint8_t* obs) {
  if (protocol_.maxPool && protocol_.frameSkip > 1) {
    uint8_t* __restrict latest = latest_.data();
    const uint8_t* __restrict previous = previous_.data();
    for (size_t i = 0; i < latest_.size(); i++) latest[i] = std::max(latest[i], previous[i]);  // vectorizes
  }
  resizer_.resize(latest_.data(), resized_.data());
  const int stack = protocol_.stackSize;
  const int top = 8 * (stack - 1);
  const size_t pixels = resized_.size();
  if (fillStack) {
    // A new episode's stack holds its first frame in every channel (FrameStackObservation's padding).
    const uint32_t everyChannel = 0x01010101u >> (8 * (4 - stack));
    for (size_t i = 0; i < pixels; i++) stack_[i] = resized_[i] * everyChannel;
  } else {
    for (size_t i = 0; i < pixels; i++) stack_[i] = (stack_[i] >> 8) | (static_cast<uint32_t>(resized_[i]) << top);
  }
  if (stack == 4) {
    std::memcpy(obs, stack_.data(), pixels * 4);  // little-endian: byte c of a word is channel c
  } else {
    for (size_t i = 0; i < pixels; i++) {
      for (int c = 0; c < stack; c++) obs[i * stack + c] = static_cast<uint8_t>(stack_[i] >> (8 * c));
    }
  }
}

void Emulator::render(uint8_t* rgb) const {
  std::vector<unsigned char> buffer(kScreenWidth * kScreenHeight * 3);
  ale_->getScreenRGB(buffer);
  std::memcpy(rgb, buffer.data(), buffer.size());
}

std::vector<int> Emulator::minimalActions() const {
  std::vector<int> actions;
  for (ale::Action a : ale_->getMinimalActionSet()) actions.push_back(static_cast<int>(a));
  std::sort(actions.begin(), actions.end());
  return actions;
}

int Emulator::lives() { return ale_->lives(); }
int Emulator::episodeFrameNumber() const { return ale_->getEpisodeFrameNumber(); }
int Emulator::screenWidth() const { return kScreenWidth; }
int Emulator::screenHeight() const { return kScreenHeight; }

}  // namespace distill
