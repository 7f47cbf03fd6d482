#pragma once
// A mixer strip's meter over a running signal: sample peak and true peak since the last look
// (so nothing between two screen frames is missed), and RMS over a sliding window. The
// whole-programme figures (loudness, loudest window) are Meter's.

#include <cstddef>
#include <vector>

#include "routewise/audio/meter.hpp"
#include "routewise/model/units.hpp"

namespace routewise {

struct LiveMeterReading {
  // −inf for silence.
  double peak_dbfs = minus_inf_db;       // highest sample magnitude since the last reading
  double rms_dbfs = minus_inf_db;        // RMS over the window ending now, loudest channel
  double true_peak_dbtp = minus_inf_db;  // 4× oversampled peak since the last reading
};

class LiveMeter {
 public:
  LiveMeter(int channels, double sample_rate_hz, double rms_window_ms = 300.0);

  // Planar input: channels[c][0..frames). Allocates nothing.
  void add(const float* const* channels, std::size_t frames);
  // The reading now; starts the next peak interval.
  LiveMeterReading take();

 private:
  std::vector<TruePeakDetector> true_peak_;
  std::vector<std::vector<float>> squares_;  // ring of the window's squares, per channel
  std::vector<double> window_sum_;
  std::size_t position_ = 0;
  std::size_t filled_ = 0;
  float peak_ = 0.0f, true_peak_max_ = 0.0f;
};

}  // namespace routewise
