#include "routewise/audio/meter.hpp"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>

#include "routewise/model/units.hpp"

namespace routewise {
namespace {

// A windowed-sinc low-pass at the original Nyquist frequency, designed for 4× oversampling. Twice
// the BS.1770-4 example filter's length (24 taps a phase, Kaiser β 8): with 12 and β 6 a 20 kHz
// sine at 48 kHz read 0.27 dB low, the filter's droop there.
std::vector<float> design_interpolator(std::size_t phases, std::size_t per_phase) {
  const std::size_t length = phases * per_phase;
  std::vector<float> taps(length);
  // Centred on a tap so that phase 0 reproduces the input samples and phase 2 the midpoints.
  const double centre = static_cast<double>(length) / 2.0;
  for (std::size_t n = 0; n < length; ++n) {
    const double x = (static_cast<double>(n) - centre) / static_cast<double>(phases);
    const double sinc = x == 0.0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
    // Kaiser window, beta 8: about 80 dB stop-band with 96 taps.
    const double r = (static_cast<double>(n) - centre) / (centre + 1.0);
    const double beta = 8.0;
    const double window = std::cyl_bessel_i(0.0, beta * std::sqrt(std::max(0.0, 1.0 - r * r))) /
                          std::cyl_bessel_i(0.0, beta);
    taps[n] = static_cast<float>(sinc * window);
  }
  // Each phase on its own must pass DC at unity, so normalise phase by phase. Kept tap-major (the
  // phases of one tap side by side), so the four phases are summed as one vector.
  for (std::size_t p = 0; p < phases; ++p) {
    double sum = 0.0;
    for (std::size_t k = 0; k < per_phase; ++k) sum += taps[k * phases + p];
    for (std::size_t k = 0; k < per_phase; ++k)
      taps[k * phases + p] = static_cast<float>(taps[k * phases + p] / sum);
  }
  return taps;
}

double mean_square_to_db(double mean_square) {
  return mean_square <= 0.0 ? minus_inf_db : 10.0 * std::log10(mean_square);
}

std::optional<double> finite(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> describe_overs(const MeterReading& reading) {
  if (!(reading.true_peak_dbtp > -1.0) && !(reading.peak_dbfs > 0.0)) return std::nullopt;
  char figure[96];
  std::snprintf(figure, sizeof figure, "%+.1f dBFS, true peak %+.1f dBTP", reading.peak_dbfs,
                reading.true_peak_dbtp);
  return std::string(figure) +
         (reading.peak_dbfs > 0.0
              ? ": over full scale, it clips in any integer export and at the converter"
              : ": over the -1 dBTP ceiling streaming and broadcast ask for");
}

TruePeakDetector::TruePeakDetector()
    : taps_(design_interpolator(4, taps_per_phase)), history_(2 * taps_per_phase, 0.0f) {}

float TruePeakDetector::process(const float* samples, std::size_t frames) {
  float peak = 0.0f;
  for (std::size_t i = 0; i < frames; ++i) {
    // Keep the newest taps_per_phase samples contiguous at history_[fill_ .. fill_ + 12).
    if (fill_ == 0) {
      std::copy(history_.begin(), history_.begin() + taps_per_phase - 1,
                history_.begin() + taps_per_phase + 1);
      fill_ = taps_per_phase + 1;
    }
    history_[--fill_] = samples[i];
    const float* newest = history_.data() + fill_;  // newest[k] = x[n - k]
    float acc[4] = {};
    for (std::size_t k = 0; k < taps_per_phase; ++k)
      for (std::size_t p = 0; p < 4; ++p) acc[p] += taps_[k * 4 + p] * newest[k];
    for (const float value : acc) {
      const float now = std::fabs(value);
      peak = std::max(peak, now);
      // Four points a sample can still straddle a crest near 20 kHz (0.47 dB low at worst): at a
      // local maximum the parabola through it and its neighbours finds the crest between them.
      if (last_ >= before_ && last_ >= now) {
        const float curve = before_ - 2.0f * last_ + now;
        if (curve < 0.0f)
          peak = std::max(peak, last_ - (before_ - now) * (before_ - now) / (8.0f * curve));
      }
      before_ = last_;
      last_ = now;
    }
  }
  return peak;
}

struct Meter::Loudness {
  explicit Loudness(ebur128_state* s) : state(s) {}
  ~Loudness() { ebur128_destroy(&state); }
  Loudness(const Loudness&) = delete;
  Loudness& operator=(const Loudness&) = delete;
  ebur128_state* state;
};

Meter::Meter(const MeterSettings& settings) : settings_(settings) {
  if (settings.channels < 1 || settings.channels > 64)
    throw std::invalid_argument("meter: channel count must be 1..64");
  if (!(settings.sample_rate_hz >= 8000.0 && settings.sample_rate_hz <= 768000.0))
    throw std::invalid_argument("meter: sample rate must be 8 kHz..768 kHz");
  if (!(settings.rms_window_ms > 0.0 && settings.rms_window_ms <= 60000.0))
    throw std::invalid_argument("meter: RMS window must be 0..60000 ms");
  const auto channels = static_cast<std::size_t>(settings.channels);
  if (settings.loudness) {
    ebur128_state* state = ebur128_init(
        static_cast<unsigned>(channels), static_cast<unsigned long>(settings.sample_rate_hz),
        EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA);
    if (!state) throw std::runtime_error("meter: libebur128 could not be initialised");
    loudness_ = std::make_unique<Loudness>(state);
  }
  if (settings.true_peak) true_peak_.resize(channels);
  sum_squares_.assign(channels, 0.0);
  window_frames_ = std::max<std::size_t>(
      1, static_cast<std::size_t>(settings.rms_window_ms * settings.sample_rate_hz / 1000.0));
  window_.assign(channels, std::vector<float>(window_frames_, 0.0f));
  window_sum_.assign(channels, 0.0);
}

Meter::~Meter() = default;
Meter::Meter(Meter&&) noexcept = default;
Meter& Meter::operator=(Meter&&) noexcept = default;

void Meter::add(const float* const* channels, std::size_t frames) {
  const auto count = static_cast<std::size_t>(settings_.channels);
  for (std::size_t c = 0; c < count; ++c) {
    const float* x = channels[c];
    float peak = peak_;
    double sum = 0.0;
    for (std::size_t i = 0; i < frames; ++i) {
      peak = std::max(peak, std::fabs(x[i]));
      sum += static_cast<double>(x[i]) * x[i];
    }
    peak_ = peak;
    sum_squares_[c] += sum;
    if (!true_peak_.empty())
      true_peak_max_ = std::max(true_peak_max_, true_peak_[c].process(x, frames));
  }
  // Sliding RMS windows, judged once each window is full.
  for (std::size_t i = 0; i < frames; ++i) {
    for (std::size_t c = 0; c < count; ++c) {
      const float square = channels[c][i] * channels[c][i];
      window_sum_[c] += square - window_[c][window_pos_];
      window_[c][window_pos_] = square;
    }
    window_pos_ = window_pos_ + 1 == window_frames_ ? 0 : window_pos_ + 1;
    if (frames_ + i + 1 >= window_frames_)
      for (std::size_t c = 0; c < count; ++c)
        max_window_mean_square_ =
            std::max(max_window_mean_square_, window_sum_[c] / static_cast<double>(window_frames_));
  }
  frames_ += frames;
  if (!loudness_) return;
  for (std::size_t start = 0; start < frames;) {
    // Feed libebur128 in pieces that end on 100 ms boundaries so that momentary and short-term
    // maxima are read at the rate the standard updates them.
    const auto step = static_cast<std::size_t>(settings_.sample_rate_hz / 10.0);
    const std::size_t n = std::min(frames - start, step - since_momentary_);
    ebur128_state* state = loudness_->state;
    const float* planar[64];
    for (std::size_t c = 0; c < count; ++c) planar[c] = channels[c] + start;
    // libebur128 takes interleaved frames; convert in fixed chunks so nothing is allocated.
    float chunk[64 * 64];
    for (std::size_t done = 0; done < n;) {
      const std::size_t m = std::min<std::size_t>(std::size_t{64} * 64 / count, n - done);
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t c = 0; c < count; ++c) chunk[i * count + c] = planar[c][done + i];
      ebur128_add_frames_float(state, chunk, m);
      done += m;
    }
    since_momentary_ += n;
    start += n;
    if (since_momentary_ == step) {
      since_momentary_ = 0;
      double momentary = 0.0, short_term = 0.0;
      if (frames_ >= static_cast<std::size_t>(0.4 * settings_.sample_rate_hz) &&
          ebur128_loudness_momentary(state, &momentary) == EBUR128_SUCCESS &&
          std::isfinite(momentary))
        momentary_max_lufs_ = std::max(momentary_max_lufs_.value_or(momentary), momentary);
      if (frames_ >= static_cast<std::size_t>(3.0 * settings_.sample_rate_hz) &&
          ebur128_loudness_shortterm(state, &short_term) == EBUR128_SUCCESS &&
          std::isfinite(short_term))
        short_term_max_lufs_ = std::max(short_term_max_lufs_.value_or(short_term), short_term);
    }
  }
}

MeterReading Meter::reading() const {
  MeterReading r{};
  r.frames = frames_;
  r.peak_dbfs = amplitude_to_db(peak_);
  double loudest = 0.0;
  for (double s : sum_squares_) loudest = std::max(loudest, s);
  r.rms_dbfs =
      frames_ == 0 ? minus_inf_db : mean_square_to_db(loudest / static_cast<double>(frames_));
  r.max_rms_dbfs =
      frames_ < window_frames_ ? r.rms_dbfs : mean_square_to_db(max_window_mean_square_);
  r.true_peak_dbtp =
      true_peak_.empty() ? r.peak_dbfs : amplitude_to_db(std::max(true_peak_max_, peak_));
  if (loudness_) {
    double value = 0.0;
    if (ebur128_loudness_global(loudness_->state, &value) == EBUR128_SUCCESS)
      r.integrated_lufs = finite(value);
    if (ebur128_loudness_range(loudness_->state, &value) == EBUR128_SUCCESS && r.integrated_lufs)
      r.loudness_range_lu = finite(value);
    r.momentary_max_lufs = momentary_max_lufs_;
    r.short_term_max_lufs = short_term_max_lufs_;
  }
  return r;
}

}  // namespace routewise
