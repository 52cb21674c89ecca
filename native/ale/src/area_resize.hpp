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
    xTab_ = table(srcWidth, dstWidth, scaleX);
    yTab_ = table(srcHeight, dstHeight, scaleY);
    rowBuffer_.resize(dstWidth);
    rowSum_.resize(dstWidth);
  }

  /** src: srcHeight × srcWidth bytes; dst: dstHeight × dstWidth bytes. */
  void resize(const uint8_t* src, uint8_t* dst) {
    float* buf = rowBuffer_.data();
    float* sum = rowSum_.data();
    std::fill(rowSum_.begin(), rowSum_.end(), 0.f);
    int previousRow = yTab_.front().dst;
    for (const Weight& row : yTab_) {
      const uint8_t* line = src + static_cast<size_t>(row.src) * srcWidth_;
      std::fill(rowBuffer_.begin(), rowBuffer_.end(), 0.f);
      for (const Weight& col : xTab_) buf[col.dst] += line[col.src] * col.alpha;
      if (row.dst != previousRow) {
        uint8_t* out = dst + static_cast<size_t>(previousRow) * dstWidth_;
        for (int x = 0; x < dstWidth_; x++) {
          out[x] = saturate(sum[x]);
          sum[x] = row.alpha * buf[x];
        }
        previousRow = row.dst;
      } else {
        for (int x = 0; x < dstWidth_; x++) sum[x] += row.alpha * buf[x];
      }
    }
    uint8_t* out = dst + static_cast<size_t>(previousRow) * dstWidth_;
    for (int x = 0; x < dstWidth_; x++) out[x] = saturate(sum[x]);
  }

  int srcWidth() const { return srcWidth_; }
  int srcHeight() const { return srcHeight_; }

 private:
  struct Weight {
    int dst;
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
  std::vector<Weight> xTab_, yTab_;
  std::vector<float> rowBuffer_, rowSum_;
};

}  // namespace distill
