#pragma once
// One latency measurement of a real loop: play the stimulus, record the return, estimate.

#include <chrono>
#include <string>

#include "routewise/analysis/latency_estimate.hpp"
#include "routewise/audio/audio_loop.hpp"

namespace routewise {

struct LatencyRequest {
  AudioBackend backend = AudioBackend::jack;
  std::string out_port, in_port;
  LatencyMethod method = LatencyMethod::mls;
  std::size_t max_latency_samples = 96000;
  int mls_order = 16;  // 10..20
};

struct LatencyTake {
  LatencyEstimate estimate;
  double sample_rate_hz = 0.0;
  unsigned buffer_frames = 0;
  std::string device;
  double seconds = 0.0;  // wall-clock time the take needed
};

// Throws AudioLoopError (ports, server, xruns) or std::invalid_argument (nothing came back).
LatencyTake measure_latency(const LatencyRequest& request);

// The sine cross-check on the same loop: a 997 Hz sine for one second, nulled against its return
// at `latency_samples`. Returns the residual in dB.
double sine_null_check(const LatencyRequest& request, double latency_samples);

}  // namespace routewise
