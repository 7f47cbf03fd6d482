#include "routewise/analysis/latency_measurement.hpp"

#include <cmath>
#include <numbers>

namespace routewise {
namespace {

std::chrono::milliseconds timeout_for(std::size_t frames, double rate_guess) {
  // Real time plus a generous margin for server start-up and scheduling.
  return std::chrono::milliseconds(static_cast<long>(frames / rate_guess * 1000.0) + 10000);
}

// A take spoiled by an xrun is void; a loaded machine gets up to five attempts (three were seen
// all spoiled under the sanitizers on two busy cores).
LoopRecording take_with_retries(const LatencyRequest& request, const std::vector<float>& signal,
                                std::size_t extra) {
  for (int attempt = 1;; ++attempt) {
    try {
      return play_and_record(request.backend, request.out_port, request.in_port, signal, extra,
                             timeout_for(signal.size() + extra, 8000.0));
    } catch (const AudioLoopXrun&) {
      if (attempt == 5) throw;
    }
  }
}

}  // namespace

LatencyTake measure_latency(const LatencyRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  // The stimulus is generated for 48 kHz first; if the loop runs at another rate it is remade.
  std::vector<float> stimulus = latency_stimulus(request.method, 48000.0, request.mls_order);
  LoopRecording take = take_with_retries(request, stimulus, request.max_latency_samples);
  if (take.sample_rate_hz != 48000.0 && request.method == LatencyMethod::sweep) {
    stimulus = latency_stimulus(request.method, take.sample_rate_hz, request.mls_order);
    take = take_with_retries(request, stimulus, request.max_latency_samples);
  }
  LatencyTake result;
  result.estimate = estimate_latency(stimulus, take.recording, request.max_latency_samples);
  result.sample_rate_hz = take.sample_rate_hz;
  result.buffer_frames = take.buffer_frames;
  result.device = take.device;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

double sine_null_check(const LatencyRequest& request, double latency_samples) {
  std::vector<float> sine(48000);
  for (std::size_t i = 0; i < sine.size(); ++i)
    sine[i] = static_cast<float>(
        0.5 * std::sin(2.0 * std::numbers::pi * 997.0 * static_cast<double>(i) / 48000.0));
  const auto extra = static_cast<std::size_t>(std::ceil(latency_samples)) + 64;
  const LoopRecording take = take_with_retries(request, sine, extra);
  return sine_null_residual_db(sine, take.recording, latency_samples);
}

}  // namespace routewise
