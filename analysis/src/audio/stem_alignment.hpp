#pragma once
// Loading, summing and aligning stem files, shared by the null test and bleed attribution.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace routewise {
class AudioFileReader;
}

namespace routewise::detail {

using Planar = std::vector<std::vector<float>>;  // one vector per channel

// Throws std::invalid_argument naming the file when its rate or channel count differs from the
// reference file's.
void check_like(const AudioFileReader& reader, double rate, int channels,
                const std::string& reference);

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
void shift(const std::vector<float>& x, double delay, long start, std::size_t count, float* out);
// The same with its taps made once, for a shift applied block by block or on several threads
// (the taps' Bessel window calls lgamma, which writes a global).
struct ShiftKernel {
  long whole = 0;               // whole samples of the delay
  long first = 0;               // the first tap's offset, with a fraction
  std::vector<float> reversed;  // the fraction's taps, oldest sample's first; empty: none
};
ShiftKernel shift_kernel(double delay);
void shift(const std::vector<float>& x, const ShiftKernel& kernel, long start, std::size_t count,
           float* out);

// x through a linear-phase lowpass at `cutoff_hz` (a Blackman-windowed sinc of 2·half + 1 taps,
// centred so that nothing is delayed); samples outside x are silence.
std::vector<float> lowpass(std::span<const float> x, double cutoff_hz, double rate,
                           long half = 127);
constexpr double audible_top_hz = 20000.0;

// The channel average of frames [start, start + count), zero beyond the end.
std::vector<float> downmix(const Planar& x, std::size_t start, std::size_t count);

struct Alignment {
  double offset_samples = 0.0;  // the mix lags the stem sum by this much
  double correlation = 0.0;
};

// Pass one of the null test: the offset and gain of the stem sum in the mix, fitted on the mix's
// loudest stretch of `analysis_frames`. The mix is scanned once for it; of each stem only that
// stretch (and the search window around it) is read.
struct StemFit {
  Alignment alignment;
  double gain = 1.0;  // least-squares gain of the stem sum in the mix (negative: inverted)
  double rate = 0.0;
  int channels = 0;
};
StemFit fit_stems(const std::string& mix_path, const std::vector<std::string>& stem_paths,
                  double search_window_ms, std::size_t analysis_frames);

// Pass two: mix − gain × (stem sum shifted by the offset) over the whole length, handed to `sink`
// block by block (one span per channel, the block's frames in order from frame 0). The files are
// decoded on every core, and memory stays a few blocks whatever the length.
struct StreamTotals {
  std::size_t mix_frames = 0, sum_frames = 0;
  double mix_rms_dbfs = 0.0;
  std::vector<std::string> damaged;  // files with NaN or infinite samples
};
using ResidualSink = std::function<void(const std::vector<std::span<const float>>& block)>;
StreamTotals stream_residual(const std::string& mix_path,
                             const std::vector<std::string>& stem_paths, const StemFit& fit,
                             const ResidualSink& sink);

// Both passes, with the residual's first `kept_frames` kept (bleed attribution fits them).
struct Aligned {
  StemFit fit;
  StreamTotals totals;
  Planar residual;
};
Aligned aligned_residual(const std::string& mix_path, const std::vector<std::string>& stem_paths,
                         double search_window_ms, std::size_t analysis_frames,
                         std::size_t kept_frames);

// Runs work(0) … work(workers − 1) at once, work(0) on the calling thread; the first exception
// thrown by any of them is rethrown here once all are done.
void parallel_for(unsigned workers, const std::function<void(unsigned)>& work);

}  // namespace routewise::detail
