#pragma once
// Generated test signals for rendering and measurement: sine, pink noise, impulse, MLS.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace routewise {

enum class SignalKind { sine, pink_noise, white_noise, impulse, mls };

struct SignalSpec {
  SignalKind kind = SignalKind::pink_noise;
  double level_dbfs = -18.0;     // sine: peak; noise and MLS: RMS; impulse: the impulse's height
  double frequency_hz = 1000.0;  // sine
  double phase_rad = 0.0;        // sine
  std::uint32_t seed = 1;        // noise; different seeds give uncorrelated signals
  int mls_order = 16;            // MLS period is 2^order − 1 samples (2..24)
};

// Parses "sine[:HZ]", "pink", "white", "impulse", "mls[:ORDER]", each optionally followed by
// "@DBFS" (e.g. "sine:997@-12"). Errors say which part is wrong.
struct ParsedSignal {
  std::optional<SignalSpec> spec;
  std::string error;
};
ParsedSignal parse_signal(std::string_view text);

// Produces a signal block by block; the same spec always gives the same samples.
class SignalGenerator {
 public:
  SignalGenerator(const SignalSpec& spec, double sample_rate_hz);
  void fill(float* out, std::size_t frames);

 private:
  float next();
  SignalSpec spec_;
  double sample_rate_hz_;
  double amplitude_;
  std::uint64_t position_ = 0;
  std::mt19937 random_;
  double pink_state_[7] = {};
  std::uint32_t lfsr_ = 1;
  std::uint32_t lfsr_taps_ = 0;
};

// One period of a maximum length sequence of ±1, from a Galois LFSR.
std::vector<float> mls_sequence(int order);

}  // namespace routewise
