#include "routewise/audio/test_signal.hpp"

#include <charconv>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "routewise/model/units.hpp"

namespace routewise {
namespace {

// Feedback masks of primitive polynomials for Galois LFSRs, by order (Xilinx XAPP052 table).
constexpr std::uint32_t mls_feedback(int order) {
  constexpr std::uint32_t masks[] = {
      0,       0,       0x3,     0x6,      0xC,      0x14,     0x30,    0x60,   0xB8,
      0x110,   0x240,   0x500,   0x829,    0x100D,   0x2015,   0x6000,  0xD008, 0x12000,
      0x20400, 0x40023, 0x90000, 0x140000, 0x300000, 0x420000, 0xE10000};
  return masks[order];
}

// The pink filter below turns unit-RMS white noise into pink noise of RMS 3.037 (measured over
// ten million samples); this scales it back to unit RMS.
constexpr double pink_rms_of_unit_white = 0.32922;

double parse_number(std::string_view text, bool& ok) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  ok = ec == std::errc() && end == text.data() + text.size();
  return value;
}

}  // namespace

ParsedSignal parse_signal(std::string_view text) {
  SignalSpec spec;
  std::string_view body = text;
  if (const auto at = text.find('@'); at != std::string_view::npos) {
    bool ok = false;
    spec.level_dbfs = parse_number(text.substr(at + 1), ok);
    if (!ok || spec.level_dbfs > 0.0 || spec.level_dbfs < -200.0)
      return {std::nullopt, "signal level '" + std::string(text.substr(at + 1)) +
                                "' is not a number of dBFS between -200 and 0"};
    body = text.substr(0, at);
  }
  std::string_view name = body, argument;
  if (const auto colon = body.find(':'); colon != std::string_view::npos) {
    name = body.substr(0, colon);
    argument = body.substr(colon + 1);
  }
  bool ok = true;
  if (name == "sine") {
    spec.kind = SignalKind::sine;
    if (!argument.empty()) spec.frequency_hz = parse_number(argument, ok);
    if (!ok || !(spec.frequency_hz > 0.0) || spec.frequency_hz > 1e6)
      return {std::nullopt, "sine frequency '" + std::string(argument) + "' is not a number of Hz"};
  } else if (name == "pink" || name == "white") {
    spec.kind = name == "pink" ? SignalKind::pink_noise : SignalKind::white_noise;
  } else if (name == "impulse") {
    spec.kind = SignalKind::impulse;
    if (text.find('@') == std::string_view::npos) spec.level_dbfs = 0.0;
  } else if (name == "mls") {
    spec.kind = SignalKind::mls;
    if (!argument.empty()) spec.mls_order = static_cast<int>(parse_number(argument, ok));
    if (!ok || spec.mls_order < 2 || spec.mls_order > 24)
      return {std::nullopt, "MLS order '" + std::string(argument) + "' is not between 2 and 24"};
  } else {
    return {std::nullopt, "unknown signal '" + std::string(name) +
                              "' (expected sine, pink, white, impulse or mls)"};
  }
  return {spec, ""};
}

std::vector<float> mls_sequence(int order) {
  if (order < 2 || order > 24) throw std::invalid_argument("MLS order must be 2..24");
  SignalSpec spec;
  spec.kind = SignalKind::mls;
  spec.level_dbfs = 0.0;  // ±1
  spec.mls_order = order;
  SignalGenerator generator(spec, 48000.0);
  std::vector<float> out((std::size_t{1} << order) - 1);
  generator.fill(out.data(), out.size());
  return out;
}

SignalGenerator::SignalGenerator(const SignalSpec& spec, double sample_rate_hz)
    : spec_(spec),
      sample_rate_hz_(sample_rate_hz),
      amplitude_(db_to_amplitude(spec.level_dbfs)),
      random_(spec.seed) {
  if (spec.kind == SignalKind::mls) {
    if (spec.mls_order < 2 || spec.mls_order > 24)
      throw std::invalid_argument("MLS order must be 2..24");
    lfsr_taps_ = mls_feedback(spec.mls_order);
  }
}

float SignalGenerator::next() {
  const std::uint64_t n = position_++;
  switch (spec_.kind) {
    case SignalKind::sine:
      return static_cast<float>(amplitude_ * std::sin(2.0 * std::numbers::pi * spec_.frequency_hz *
                                                          static_cast<double>(n) / sample_rate_hz_ +
                                                      spec_.phase_rad));
    case SignalKind::impulse:
      return n == 0 ? static_cast<float>(amplitude_) : 0.0f;
    case SignalKind::mls: {
      const bool bit = lfsr_ & 1u;
      lfsr_ >>= 1;
      if (bit) lfsr_ ^= lfsr_taps_;
      return static_cast<float>(bit ? amplitude_ : -amplitude_);
    }
    case SignalKind::white_noise:
    case SignalKind::pink_noise: {
      // Uniform white noise with unit RMS (uniform on ±√3).
      const double white =
          (static_cast<double>(random_()) / 4294967295.0 * 2.0 - 1.0) * std::numbers::sqrt3;
      if (spec_.kind == SignalKind::white_noise) return static_cast<float>(amplitude_ * white);
      // Paul Kellet's refined pink filter: −3 dB/octave within ±0.05 dB above 9 Hz at 44.1 kHz.
      double* b = pink_state_;
      b[0] = 0.99886 * b[0] + white * 0.0555179;
      b[1] = 0.99332 * b[1] + white * 0.0750759;
      b[2] = 0.96900 * b[2] + white * 0.1538520;
      b[3] = 0.86650 * b[3] + white * 0.3104856;
      b[4] = 0.55000 * b[4] + white * 0.5329522;
      b[5] = -0.7616 * b[5] - white * 0.0168980;
      const double pink = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + white * 0.5362;
      b[6] = white * 0.115926;
      return static_cast<float>(amplitude_ * pink * pink_rms_of_unit_white);
    }
  }
  return 0.0f;
}

void SignalGenerator::fill(float* out, std::size_t frames) {
  for (std::size_t i = 0; i < frames; ++i) out[i] = next();
}

}  // namespace routewise
