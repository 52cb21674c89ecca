// One Atari game behind the DQN protocol (Mnih et al. 2015): frame skip with a max over the last two
// frames, 84×84 grayscale area resize, a stack of the last frames in H×W×C layout, up to N no-op
// starts, optional episodic life and reward clipping. The frame handling follows Gymnasium's
// AtariPreprocessing + FrameStackObservation exactly, so the two produce identical observations.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "area_resize.hpp"

namespace ale {
class ALEInterface;
}

namespace distill {

struct Protocol {
  int frameSkip = 4;
  bool maxPool = true;
  int noopMax = 30;
  bool episodicLife = false;
  bool clipRewards = false;
  float stickyActionProbability = 0.f;
  int maxEpisodeFrames = 108000;
  int stackSize = 4;
  int screenSize = 84;
};

struct StepOutcome {
  float reward = 0.f;     // clipped to its sign when the protocol says so
  float rawReward = 0.f;  // the game's score change
  bool terminal = false;  // game over, or a lost life under episodic life
  bool truncated = false; // the frame budget of the episode ran out
  bool gameOver = false;  // the real episode ended (game over or truncation): the next reset is a full one
};

// splitmix64: a tiny seeded generator for the no-op counts (ALE owns its own for sticky actions).
class NoopCounter {
 public:
  explicit NoopCounter(uint64_t seed) : state_(seed) {}
  int uniformBelow(int n);

 private:
  uint64_t next();
  uint64_t state_;
};

class Emulator {
 public:
  Emulator(const std::string& romPath, uint32_t seed, const Protocol& protocol);
  ~Emulator();

  size_t observationSize() const { return static_cast<size_t>(protocol_.screenSize) * protocol_.screenSize * protocol_.stackSize; }
  /** A new episode: a full game reset with no-op starts, or after a lost life (episodic life) one no-op step. */
  void reset(uint8_t* obs);
  StepOutcome step(int action, uint8_t* obs);
  /** The current screen as 210×160 RGB. */
  void render(uint8_t* rgb) const;
  std::vector<int> minimalActions() const;
  int lives();
  /** Frames emulated since the episode's reset (a no-op start shows up here). */
  int episodeFrameNumber() const;
  int screenWidth() const;
  int screenHeight() const;

 private:
  void fullReset();
  StepOutcome advance(int action);  // frame skip + pooling into frame buffers, no stacking
  void grab(std::vector<uint8_t>& into);
  void pushFrame(bool fillStack, uint8_t* obs);

  Protocol protocol_;
  std::unique_ptr<ale::ALEInterface> ale_;
  NoopCounter noops_;
  AreaResizer resizer_;
  std::vector<uint8_t> latest_, previous_;  // Gymnasium's obs_buffer[0] and [1]
  std::vector<uint8_t> resized_;
  std::vector<uint32_t> stack_;  // one word per pixel: byte c = stack channel c (little-endian), newest last
  int lives_ = 0;
  bool needsFullReset_ = true;
};

}  // namespace distill
