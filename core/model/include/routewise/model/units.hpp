#pragma once
// Unit conversions used everywhere; each is tested at its edges (-inf, 0, max, out of range).

#include <cmath>
#include <limits>

namespace routewise {

inline constexpr double minus_inf_db = -std::numeric_limits<double>::infinity();
// The highest level a route map holds (floating-point mixes run over 0 dBFS; nothing real reads
// 48 dB over it).
inline constexpr double max_meter_dbfs = 48.0;

// Linear amplitude -> dB (20·log10). 0 gives -inf; negative amplitudes use their magnitude.
inline double amplitude_to_db(double amplitude) {
  const double a = std::fabs(amplitude);
  return a == 0.0 ? minus_inf_db : 20.0 * std::log10(a);
}

// dB -> linear amplitude. -inf gives 0.
inline double db_to_amplitude(double gain_db) {
  return std::isinf(gain_db) && gain_db < 0 ? 0.0 : std::pow(10.0, gain_db / 20.0);
}

// Power sum of incoherent signals given as dB levels (10·log10 Σ 10^(L/10)); -inf terms add
// nothing.
double power_sum_db(const double* levels_db, std::size_t count);

inline double samples_to_ms(double latency_samples, double sample_rate_hz) {
  return latency_samples * 1000.0 / sample_rate_hz;
}

inline double ms_to_samples(double latency_ms, double sample_rate_hz) {
  return latency_ms * sample_rate_hz / 1000.0;
}

}  // namespace routewise
