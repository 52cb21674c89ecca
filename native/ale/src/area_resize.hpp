// Area ("INTER_AREA") downscaling of one grayscale image, bit-identical to OpenCV's cv::resize for
// non-integer ratios, which is what Gymnasium's AtariPreprocessing calls (210×160 → 84×84).
// Hand-written rather than linking OpenCV: the addon then needs only the ALE core and zlib, and the
// arithmetic below follows OpenCV's computeResizeAreaTab + ResizeArea_Invoker step by step
// (double-precision tables, float accumulation in the same order, round-half-even), which the
// test suite checks against cv2.resize on random images and real frames.
// Build with -ffp-contract=off: a fused multiply-add would round differently from OpenCV.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace distill {

class AreaResizer {
 public:
  AreaResizer(int srcWidth, int srcHeight, int dstWidth, int dstHeight)
      : srcWidth_(srcWidth), srcHeight_(srcHeight), dstWidth_(dstWidth), dstHeight_(dstHeight) {
    if (srcWidth <= dstWidth || srcHeight <= dstHeight) {
      throw std::invalid_argument("AreaResizer only downscales");
    }
    // cv::resize derives the scale as 1 / (dst / src), not src / dst: the last bit can differ.
    const double scaleX = 1. / (static_cast<double>(dstWidth) / srcWidth);
    const double scaleY = 1. / (static_cast<double>(dstHeight) / srcHeight);
    const std::vector<Weight> xTab = table(srcWidth, dstWidth, scaleX);
    yTab_ = table(srcHeight, dstHeight, scaleY);
    for (const Weight& w : xTab) tapsPerColumn_ = std::max(tapsPerColumn_, static_cast<int>(std::count_if(
        xTab.begin(), xTab.end(), [&](const Weight& v) { return v.dst == w.dst; })));
    taps_.assign(static_cast<size_t>(dstWidth) * tapsPerColumn_, Tap{0, 0.f});
    std::vector<int> filled(dstWidth, 0);
    for (const Weight& w : xTab) taps_[static_cast<size_t>(w.dst) * tapsPerColumn_ + filled[w.dst]++] = {w.src, w.alpha};
    columns_.resize(static_cast<size_t>(srcHeight) * dstWidth);
    line_.resize(srcWidth);
    rowSum_.resize(dstWidth);
  }

  /** src: srcHeight × srcWidth bytes; dst: dstHeight × dstWidth bytes. */
  void resize(const uint8_t* src, uint8_t* dst) {
    // Pass 1, OpenCV's per-row horizontal sums, once per source row (OpenCV recomputes a row shared by
    // two output rows; the value is the same). Each output column adds its few weighted pixels in
    // table order, padded to a fixed count with zero weights (adding +0 changes nothing).
    float* __restrict line = line_.data();
    for (int y = 0; y < srcHeight_; y++) {
      const uint8_t* __restrict pixels = src + static_cast<size_t>(y) * srcWidth_;
      for (int x = 0; x < srcWidth_; x++) line[x] = pixels[x];  // exact; converts 16 at a time
      float* __restrict row = columns_.data() + static_cast<size_t>(y) * dstWidth_;
      const Tap* __restrict taps = taps_.data();
      if (tapsPerColumn_ == 3) {  // 160 → 84: unrolled, the common case
        for (int x = 0; x < dstWidth_; x++, taps += 3) {
          row[x] = ((0.f + line[taps[0].src] * taps[0].alpha) + line[taps[1].src] * taps[1].alpha) +
                   line[taps[2].src] * taps[2].alpha;
        }
      } else {
        for (int x = 0; x < dstWidth_; x++, taps += tapsPerColumn_) {
          float acc = 0.f;
          for (int k = 0; k < tapsPerColumn_; k++) acc += line[taps[k].src] * taps[k].alpha;
          row[x] = acc;
        }
      }
    }
    // Pass 2, the vertical weighted sums over whole rows (vectorizes; no reassociation).
    float* __restrict sum = rowSum_.data();
    size_t entry = 0;
    for (int y = 0; y < dstHeight_; y++) {
      std::fill(rowSum_.begin(), rowSum_.end(), 0.f);
      for (; entry < yTab_.size() && yTab_[entry].dst == y; entry++) {
        const float beta = yTab_[entry].alpha;
        const float* __restrict row = columns_.data() + static_cast<size_t>(yTab_[entry].src) * dstWidth_;
        for (int x = 0; x < dstWidth_; x++) sum[x] += beta * row[x];
      }
      uint8_t* out = dst + static_cast<size_t>(y) * dstWidth_;
      for (int x = 0; x < dstWidth_; x++) out[x] = saturate(sum[x]);
    }
  }

  int srcWidth() const { return srcWidth_; }
  int srcHeight() const { return srcHeight_; }

 private:
  struct Weight {
    int dst;
    int src;
    float alpha;
  };
  struct Tap {
    int src;
    float alpha;
  };

  // OpenCV's computeResizeAreaTab: the source cells each destination cell covers, with their shares.
  static std::vector<Weight> table(int srcSize, int dstSize, double scale) {
    std::vector<Weight> tab;
    for (int d = 0; d < dstSize; d++) {
      const double from = d * scale;
      const double to = from + scale;
      const double cellWidth = std::min(scale, srcSize - from);
      int first = static_cast<int>(std::ceil(from));
      int last = static_cast<int>(std::floor(to));
      last = std::min(last, srcSize - 1);
      first = std::min(first, last);
      if (first - from > 1e-3) tab.push_back({d, first - 1, static_cast<float>((first - from) / cellWidth)});
      for (int s = first; s < last; s++) tab.push_back({d, s, static_cast<float>(1.0 / cellWidth)});
      if (to - last > 1e-3) {
        tab.push_back({d, last, static_cast<float>(std::min(std::min(to - last, 1.), cellWidth) / cellWidth)});
      }
    }
    return tab;
  }

  // saturate_cast<uchar>(float): round half to even (the default FP rounding mode), then clamp.
  static uint8_t saturate(float v) {
    const long r = std::lrint(v);
    return static_cast<uint8_t>(r < 0 ? 0 : r > 255 ? 255 : r);
  }

  int srcWidth_, srcHeight_, dstWidth_, dstHeight_;
  int tapsPerColumn_ = 0;
  std::vector<Tap> taps_;          // tapsPerColumn_ per output column, zero-padded
  std::vector<Weight> yTab_;       // rows, ordered by output row
  std::vector<float> columns_;     // srcHeight × dstWidth horizontal sums
  std::vector<float> rowSum_;
  std::vector<float> line_;        // one source row as floats
};

}  // namespace distill
