// Latency estimation offline: the stimulus through a known (fractional) delay, polarity and
// noise, exactly as a loop would return it.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "routewise/analysis/latency_estimate.hpp"
#include "routewise/audio/delay_line.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

// The stimulus delayed by `delay`, times `gain`, plus white noise `snr_db` below the stimulus RMS.
std::vector<float> loop(const std::vector<float>& stimulus, double delay, double gain,
                        double snr_db, std::size_t extra, unsigned seed = 1) {
  std::vector<float> x(stimulus.size() + extra, 0.0f);
  std::copy(stimulus.begin(), stimulus.end(), x.begin());
  DelayLine line(delay, x.size());
  line.process(x.data(), x.data(), x.size());
  double energy = 0.0;
  for (float v : stimulus) energy += static_cast<double>(v) * v;
  const double noise_rms =
      std::sqrt(energy / static_cast<double>(stimulus.size())) * db_to_amplitude(-snr_db);
  std::mt19937 random(seed);
  std::normal_distribution<double> normal(0.0, noise_rms);
  for (float& v : x) v = static_cast<float>(gain * v + normal(random));
  return x;
}

TEST(LatencyEstimate, FindsIntegerAndFractionalDelaysWithinTwoThousandthsOfASample) {
  for (LatencyMethod method : {LatencyMethod::mls, LatencyMethod::sweep}) {
    const auto stimulus = latency_stimulus(method, 48000.0);
    for (double delay : {0.0, 1.0, 256.0, 100.3, 1000.125, 4095.5, 65000.0, 64999.73}) {
      const auto recording = loop(stimulus, delay, 0.8, 40.0, 66000);
      const LatencyEstimate e = estimate_latency(stimulus, recording, 66000);
      EXPECT_NEAR(e.latency_samples, delay, 0.002) << to_string(method) << " " << delay;
      EXPECT_FALSE(e.inverted);
      EXPECT_GT(e.snr_db, 30.0) << to_string(method) << " " << delay;
      EXPECT_GT(e.confidence, 0.5) << to_string(method) << " " << delay;
    }
  }
}

TEST(LatencyEstimate, HoldsAtTenDbSnrAndReportsInvertedPolarity) {
  const auto stimulus = latency_stimulus(LatencyMethod::mls, 48000.0);
  for (unsigned seed : {1u, 2u, 3u}) {
    const auto recording = loop(stimulus, 512.4, -1.0, 10.0, 2048, seed);
    const LatencyEstimate e = estimate_latency(stimulus, recording, 2048);
    EXPECT_NEAR(e.latency_samples, 512.4, 0.02) << seed;
    EXPECT_TRUE(e.inverted);
    EXPECT_GT(e.snr_db, 20.0);  // the MLS's processing gain lifts the impulse above the noise
  }
}

TEST(LatencyEstimate, NothingBackIsAClearError) {
  const auto stimulus = latency_stimulus(LatencyMethod::mls, 48000.0);
  EXPECT_THROW(estimate_latency(stimulus, std::vector<float>(stimulus.size() + 100, 0.0f), 100),
               std::invalid_argument);
  EXPECT_THROW(estimate_latency(stimulus, std::vector<float>(10, 0.1f), 100),
               std::invalid_argument);
  // Noise alone (the stimulus at zero gain, noise 20 dB above it): an answer comes back, but
  // with no confidence.
  const std::vector<float> pure_noise = loop(stimulus, 10.0, 0.0, -20.0, 5000);
  const LatencyEstimate e = estimate_latency(stimulus, pure_noise, 5000);
  EXPECT_LT(e.confidence, 0.3);
}

TEST(LatencyEstimate, SineNullConfirmsTheRightLatencyAndRejectsAWrongOne) {
  std::vector<float> sine(48000);
  for (std::size_t i = 0; i < sine.size(); ++i)
    sine[i] = static_cast<float>(
        0.5 * std::sin(2.0 * 3.141592653589793 * 997.0 * static_cast<double>(i) / 48000.0));
  const auto returned = loop(sine, 300.25, -0.7, 80.0, 1000);
  EXPECT_LT(sine_null_residual_db(sine, returned, 300.25), -50.0);
  EXPECT_GT(sine_null_residual_db(sine, returned, 301.25), -20.0);
}

}  // namespace
}  // namespace routewise
