#pragma once
// Meters for one signal (one node's output or one file): sample peak, RMS (whole programme and
// the loudest window), true peak (4× oversampling, ITU-R BS.1770-4 Annex 2) and loudness
// (momentary, short-term, integrated LUFS and loudness range, through libebur128).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace routewise {

struct MeterSettings {
  double sample_rate_hz = 48000.0;
  int channels = 2;
  double rms_window_ms = 300.0;
  bool true_peak = true;
  bool loudness = true;
};

struct MeterReading {
  double peak_dbfs;       // highest sample magnitude, any channel
  double rms_dbfs;        // RMS of the whole programme, loudest channel
  double max_rms_dbfs;    // loudest RMS window, loudest channel
  double true_peak_dbtp;  // 4× oversampled; equals peak_dbfs when true peak is off
  std::optional<double> momentary_max_lufs;   // 400 ms windows
  std::optional<double> short_term_max_lufs;  // 3 s windows
  std::optional<double> integrated_lufs;      // gated, whole programme
  std::optional<double> loudness_range_lu;
  std::size_t frames;
};

// "+0.5 dBFS, true peak +0.7 dBTP: over full scale, …" for a reading over 0 dBFS or over the
// -1 dBTP ceiling streaming and broadcast ask for; nothing for one within them.
std::optional<std::string> describe_overs(const MeterReading& reading);

// True peak: 4× interpolation (96 taps, 24 per phase) and a parabola at each local maximum of the
// oversampled magnitude; within 0.05 dB of a sine's crest up to 20 kHz at 48 kHz. Shared by the
// meter, the live meters and their tests.
class TruePeakDetector {
 public:
  TruePeakDetector();
  // Returns the highest magnitude among the input samples and the three interpolated points
  // between each pair.
  float process(const float* samples, std::size_t frames);

 private:
  static constexpr std::size_t taps_per_phase = 24;
  std::vector<float> taps_;     // tap-major: taps_[k * 4 + phase]
  std::vector<float> history_;  // newest last, 2 × taps_per_phase so reads stay contiguous
  std::size_t fill_ = 0;
  float before_ = 0.0f, last_ = 0.0f;  // the two oversampled magnitudes before this one
};

class Meter {
 public:
  explicit Meter(const MeterSettings& settings);
  ~Meter();
  Meter(Meter&&) noexcept;
  Meter& operator=(Meter&&) noexcept;

  // Planar input: channels[c][0..frames). Allocates nothing.
  void add(const float* const* channels, std::size_t frames);
  MeterReading reading() const;

 private:
  struct Loudness;  // owns the libebur128 state
  MeterSettings settings_;
  std::unique_ptr<Loudness> loudness_;
  std::vector<TruePeakDetector> true_peak_;
  std::vector<double> sum_squares_;
  std::vector<std::vector<float>> window_;  // squares, ring per channel
  std::vector<double> window_sum_;
  std::size_t window_pos_ = 0;
  std::size_t window_frames_ = 1;
  std::size_t since_momentary_ = 0;
  float peak_ = 0.0f;
  float true_peak_max_ = 0.0f;
  double max_window_mean_square_ = 0.0;
  std::optional<double> momentary_max_lufs_, short_term_max_lufs_;
  std::size_t frames_ = 0;
  std::vector<double> interleave_;
};

}  // namespace routewise
