#pragma once
// Loading, summing and aligning stem files, shared by the null test and bleed attribution.

#include <cstddef>
#include <string>
#include <vector>

namespace routewise::detail {

using Planar = std::vector<std::vector<float>>;  // one vector per channel

// Adds a file into `sum` (growing it) after checking its rate and channel count against the
// reference file's; errors name the file. A file with NaN or infinite samples (added as 0) is
// described in `damaged`.
// With `stretch`, the file's own channel average over [start, start + count) is also kept there.
struct Stretch {
  std::size_t start = 0, count = 0;
  std::vector<float>* mono = nullptr;
};
void add_file(const std::string& path, double rate, int channels, const std::string& reference,
              Planar& sum, std::vector<std::string>& damaged, Stretch stretch = {});

// The x in [lo, hi] where `f` is least, by golden-section search (f unimodal there), to within
// `tolerance` or after `steps` narrowings.
template <typename F>
double golden_section_min(F&& f, double lo, double hi, double tolerance, int steps) {
  const double ratio = 0.6180339887498949;  // (√5 − 1) / 2
  double x1 = hi - ratio * (hi - lo), x2 = lo + ratio * (hi - lo);
  double f1 = f(x1), f2 = f(x2);
  for (int i = 0; i < steps && hi - lo > tolerance; ++i) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - ratio * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + ratio * (hi - lo);
      f2 = f(x2);
    }
  }
  return (lo + hi) / 2.0;
}

// out[i] = x(start + i − delay): an integer shift, or a windowed-sinc interpolation when the
// delay has a fractional part. Samples outside x are silence.
void shift(const std::vector<float>& x, double delay, std::size_t start, std::size_t count,
           float* out);

// The channel average of frames [start, start + count), zero beyond the end.
std::vector<float> downmix(const Planar& x, std::size_t start, std::size_t count);

struct Alignment {
  double offset_samples = 0.0;  // the mix lags the stem sum by this much
  double correlation = 0.0;
};

struct Aligned {
  Alignment alignment;
  Planar residual;    // mix − gain × (stem sum shifted by the offset)
  double gain = 1.0;  // least-squares gain of the stem sum in the mix (negative: inverted)
  std::size_t mix_frames = 0, sum_frames = 0;
  double rate = 0.0;
  double mix_rms_dbfs = 0.0;
  std::vector<std::string> damaged;  // files with NaN or infinite samples
};

Aligned aligned_residual(const std::string& mix_path, const std::vector<std::string>& stem_paths,
                         double search_window_ms, std::size_t analysis_frames);

}  // namespace routewise::detail
