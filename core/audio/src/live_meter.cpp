#include "routewise/audio/live_meter.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace routewise {

LiveMeter::LiveMeter(int channels, double sample_rate_hz, double rms_window_ms) {
  if (channels < 1 || channels > 64) throw std::invalid_argument("a meter needs 1..64 channels");
  const double frames = sample_rate_hz * rms_window_ms / 1000.0;
  if (!(frames >= 1.0 && frames <= 10.0 * 192000.0))
    throw std::invalid_argument("RMS window of " + std::to_string(rms_window_ms) +
                                " ms is outside one sample..10 s");
  const auto window = static_cast<std::size_t>(std::lround(frames));
  true_peak_.resize(static_cast<std::size_t>(channels));
  squares_.assign(static_cast<std::size_t>(channels), std::vector<float>(window, 0.0f));
  window_sum_.assign(static_cast<std::size_t>(channels), 0.0);
}

void LiveMeter::add(const float* const* channels, std::size_t frames) {
  const std::size_t window = squares_.front().size();
  for (std::size_t c = 0; c < squares_.size(); ++c) {
    const float* x = channels[c];
    for (std::size_t i = 0; i < frames; ++i) peak_ = std::max(peak_, std::fabs(x[i]));
    true_peak_max_ = std::max(true_peak_max_, true_peak_[c].process(x, frames));
    std::vector<float>& ring = squares_[c];
    double sum = window_sum_[c];
    std::size_t at = position_;
    for (std::size_t i = 0; i < frames; ++i) {
      const float square = x[i] * x[i];
      sum += static_cast<double>(square) - ring[at];
      ring[at] = square;
      at = at + 1 == window ? 0 : at + 1;
    }
    window_sum_[c] = std::max(sum, 0.0);  // a running sum may drift a hair below zero
  }
  position_ = (position_ + frames) % window;
  filled_ = std::min(window, filled_ + frames);
}

LiveMeterReading LiveMeter::take() {
  LiveMeterReading r;
  r.peak_dbfs = amplitude_to_db(peak_);
  r.true_peak_dbtp = amplitude_to_db(std::max(true_peak_max_, peak_));
  double loudest = 0.0;
  for (double s : window_sum_) loudest = std::max(loudest, s);
  // Until a whole window has passed, the mean is over what there is.
  if (filled_ > 0) r.rms_dbfs = amplitude_to_db(std::sqrt(loudest / static_cast<double>(filled_)));
  peak_ = 0.0f;
  true_peak_max_ = 0.0f;
  return r;
}

}  // namespace routewise
