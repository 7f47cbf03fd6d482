// Meters against known signals, libebur128 used directly, and ffmpeg's ebur128 filter.
#include <ebur128.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <regex>

#include "../../support/run_command.hpp"
#include "../../support/temp_dir.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/meter.hpp"
#include "routewise/audio/test_signal.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

std::vector<float> sine(double frequency_hz, double amplitude, double phase, std::size_t frames,
                        double rate = 48000.0) {
  std::vector<float> x(frames);
  for (std::size_t i = 0; i < frames; ++i)
    x[i] = static_cast<float>(
        amplitude *
        std::sin(2.0 * std::numbers::pi * frequency_hz * static_cast<double>(i) / rate + phase));
  return x;
}

MeterReading meter(const std::vector<std::vector<float>>& channels, double rate = 48000.0,
                   std::size_t block = 512) {
  Meter m({rate, static_cast<int>(channels.size()), 300.0, true, true});
  const std::size_t frames = channels[0].size();
  for (std::size_t start = 0; start < frames; start += block) {
    std::vector<const float*> p;
    for (const auto& c : channels) p.push_back(c.data() + start);
    m.add(p.data(), std::min(block, frames - start));
  }
  return m.reading();
}

TEST(Meter, SineAtMinus12ReadsMinus12Peak) {
  const auto x = sine(997.0, db_to_amplitude(-12.0), 0.3, 48000 * 5);
  const MeterReading r = meter({x});
  EXPECT_NEAR(r.peak_dbfs, -12.0, 0.01);
  EXPECT_NEAR(r.rms_dbfs, -12.0 - 3.0103, 0.01);
  EXPECT_NEAR(r.max_rms_dbfs, -12.0 - 3.0103, 0.02);
  EXPECT_NEAR(r.true_peak_dbtp, -12.0, 0.02);
}

TEST(Meter, TruePeakFindsTheInterSamplePeak) {
  // EBU Tech 3341's inter-sample test idea: a sine at fs/4 sampled 45° off its crest. Every
  // sample sits at 1/√2 of the crest (−3.01 dB); the true peak is the crest itself.
  const auto x = sine(12000.0, db_to_amplitude(-6.0), std::numbers::pi / 4.0, 48000 * 2);
  const MeterReading r = meter({x, x});
  EXPECT_NEAR(r.peak_dbfs, -6.0 - 3.0103, 0.01);
  EXPECT_NEAR(r.true_peak_dbtp, -6.0, 0.2);  // EBU Tech 3341 tolerance is +0.2/−0.4 dB

  ebur128_state* state = ebur128_init(2, 48000, EBUR128_MODE_TRUE_PEAK);
  std::vector<float> interleaved;
  for (float v : x) interleaved.insert(interleaved.end(), {v, v});
  ebur128_add_frames_float(state, interleaved.data(), x.size());
  double reference = 0.0;
  ebur128_true_peak(state, 0, &reference);
  ebur128_destroy(&state);
  EXPECT_NEAR(r.true_peak_dbtp, amplitude_to_db(reference), 0.2);
}

// A sine's true peak is its amplitude: at any frequency up to 20 kHz and any phase, the reading
// holds it within 0.05 dB (it read 0.27 dB low at 20 kHz with the BS.1770 example's length).
TEST(Meter, TruePeakHoldsASinesCrestWithinFiveHundredthsOfADbUpTo20Khz) {
  double worst = 0.0, worst_hz = 0.0;
  for (double hz = 1000.0; hz <= 20000.0; hz += 500.0)
    for (double phase = 0.0; phase < 1.6; phase += 0.13) {
      auto x = sine(hz, db_to_amplitude(-6.0), phase, 4800);
      // Faded in over 10 ms: a sine switched on at full level rings the filter over its crest.
      for (std::size_t i = 0; i < 480; ++i)
        x[i] *= static_cast<float>(
            0.5 - 0.5 * std::cos(std::numbers::pi * static_cast<double>(i) / 480.0));
      TruePeakDetector detector;
      const double error = amplitude_to_db(detector.process(x.data(), x.size())) + 6.0;
      if (std::fabs(error) > std::fabs(worst)) {
        worst = error;
        worst_hz = hz;
      }
    }
  EXPECT_LT(std::fabs(worst), 0.05) << worst << " dB at " << worst_hz << " Hz";
}

TEST(Meter, EbuTech3341StereoSineReadsMinus23Lufs) {
  const auto x = sine(1000.0, db_to_amplitude(-23.0), 0.0, 48000 * 20);
  const MeterReading r = meter({x, x});
  ASSERT_TRUE(r.integrated_lufs);
  EXPECT_NEAR(*r.integrated_lufs, -23.0, 0.1);
  ASSERT_TRUE(r.momentary_max_lufs);
  EXPECT_NEAR(*r.momentary_max_lufs, -23.0, 0.1);
  ASSERT_TRUE(r.short_term_max_lufs);
  EXPECT_NEAR(*r.short_term_max_lufs, -23.0, 0.1);
  EXPECT_NEAR(r.loudness_range_lu.value_or(99.0), 0.0, 0.1);
}

TEST(Meter, SilenceHasNoLoudnessAndMinusInfinityLevels) {
  const MeterReading r = meter({std::vector<float>(48000, 0.0f)});
  EXPECT_TRUE(std::isinf(r.peak_dbfs));
  EXPECT_TRUE(std::isinf(r.rms_dbfs));
  EXPECT_FALSE(r.integrated_lufs);
  EXPECT_THROW(Meter({48000.0, 0, 300.0, true, true}), std::invalid_argument);
  EXPECT_THROW(Meter({100.0, 2, 300.0, true, true}), std::invalid_argument);
}

// Programme material with loudness that changes: pink noise in three sections.
std::vector<std::vector<float>> varying_programme() {
  std::vector<std::vector<float>> x(2, std::vector<float>(48000 * 24));
  for (int c = 0; c < 2; ++c) {
    SignalSpec spec;
    spec.kind = SignalKind::pink_noise;
    spec.seed = static_cast<std::uint32_t>(c + 1);
    spec.level_dbfs = -20.0;
    SignalGenerator g(spec, 48000.0);
    g.fill(x[c].data(), x[c].size());
    for (std::size_t i = 0; i < x[c].size(); ++i) {
      const std::size_t section = i / (48000 * 8);
      x[c][i] *= static_cast<float>(db_to_amplitude(section == 0   ? 0.0
                                                    : section == 1 ? -10.0
                                                                   : 4.0));
    }
  }
  return x;
}

TEST(Meter, IntegratedLoudnessAgreesWithLibebur128) {
  const auto x = varying_programme();
  const MeterReading r = meter(x, 48000.0, 333);
  ebur128_state* state = ebur128_init(2, 48000, EBUR128_MODE_I | EBUR128_MODE_LRA);
  std::vector<float> interleaved;
  for (std::size_t i = 0; i < x[0].size(); ++i)
    interleaved.insert(interleaved.end(), {x[0][i], x[1][i]});
  ebur128_add_frames_float(state, interleaved.data(), x[0].size());
  double integrated = 0.0, range = 0.0;
  ebur128_loudness_global(state, &integrated);
  ebur128_loudness_range(state, &range);
  ebur128_destroy(&state);
  ASSERT_TRUE(r.integrated_lufs);
  EXPECT_NEAR(*r.integrated_lufs, integrated, 0.01);
  EXPECT_NEAR(*r.loudness_range_lu, range, 0.01);
  EXPECT_GT(range, 5.0);  // the sections really differ
}

TEST(MeterPeer, IntegratedLoudnessAgreesWithFfmpeg) {
  testing::TempDir dir;
  const auto x = varying_programme();
  const std::string path = (dir / "programme.wav").string();
  write_audio_file(path, AudioData{48000.0, x, {}});
  const MeterReading ours = meter(read_audio_file(path).channels);

  const auto ffmpeg =
      testing::run_command("ffmpeg -hide_banner -nostats -i '" + path + "' -af ebur128 -f null -");
  ASSERT_EQ(ffmpeg.exit_code, 0) << ffmpeg.output;
  const std::string& output = ffmpeg.output;
  // The summary block: "Integrated loudness:\n    I:         -21.4 LUFS" and "LRA: ... LU".
  std::smatch m;
  ASSERT_TRUE(std::regex_search(output, m, std::regex(R"(I:\s+(-?[0-9.]+) LUFS\s+Threshold)")))
      << output;
  const double ffmpeg_i = std::stod(m[1]);
  ASSERT_TRUE(ours.integrated_lufs);
  EXPECT_NEAR(*ours.integrated_lufs, ffmpeg_i, 0.1) << "ffmpeg prints one decimal";
}

}  // namespace
}  // namespace routewise
