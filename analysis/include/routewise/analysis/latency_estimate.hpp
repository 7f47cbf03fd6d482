#pragma once
// Round-trip latency from a played stimulus and its recorded return: MLS or exponential sweep,
// deconvolved against what was sent, with the impulse's peak found to a fraction of a sample.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace routewise {

enum class LatencyMethod { mls, sweep };
std::string_view to_string(LatencyMethod method);

// The signal to play: one MLS period (2^order − 1 samples; order 16 is 1.4 s at 48 kHz) or a 2 s
// exponential sweep from 20 Hz to 0.45·fs, at −6 dBFS peak (−6 dBFS RMS for the MLS), with short
// fades on the sweep. A longer MLS gains 3 dB of noise immunity per doubling.
std::vector<float> latency_stimulus(LatencyMethod method, double sample_rate_hz,
                                    int mls_order = 16);

struct LatencyEstimate {
  double latency_samples = 0.0;  // sub-sample; the return lags the stimulus by this much
  bool inverted = false;         // the return's polarity is reversed
  double snr_db = 0.0;           // impulse peak against the impulse response's noise floor
  double confidence = 0.0;       // 0..1, from the SNR and how clearly the peak stands out
  double gain_db = 0.0;          // level of the return against the stimulus
};

// Throws std::invalid_argument when the recording is too short or silent (nothing came back).
// `max_latency_samples` bounds the search.
LatencyEstimate estimate_latency(const std::vector<float>& stimulus,
                                 const std::vector<float>& recording,
                                 std::size_t max_latency_samples);

// The seed's manual cross-check: a sine sent through the loop, its return moved back by the
// measured latency, inverted and added to what was sent (at the return's own gain and polarity).
// Returns the residual relative to the sine in dB: very negative when the latency is right.
double sine_null_residual_db(const std::vector<float>& sent, const std::vector<float>& returned,
                             double latency_samples);

}  // namespace routewise
