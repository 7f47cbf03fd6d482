// The mixer's running meter and the engine playing a graph in real time with every node metered.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <thread>

#include "../../support/graph_builder.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/live_meter.hpp"
#include "routewise/audio/live_render.hpp"

namespace routewise {
namespace {

using testing::GraphBuilder;

std::vector<float> tone(double frequency_hz, double amplitude, double phase, std::size_t frames) {
  std::vector<float> x(frames);
  for (std::size_t i = 0; i < frames; ++i)
    x[i] = static_cast<float>(
        amplitude *
        std::sin(2.0 * std::numbers::pi * frequency_hz * static_cast<double>(i) / 48000.0 + phase));
  return x;
}

LiveMeterReading feed(LiveMeter& meter, const std::vector<float>& x, std::size_t block = 480) {
  for (std::size_t at = 0; at < x.size(); at += block) {
    const float* channel = x.data() + at;
    meter.add(&channel, std::min(block, x.size() - at));
  }
  return meter.take();
}

TEST(LiveMeter, SineAtMinusTwelveReadsPeakAndRmsAndFallsSilentAfter) {
  LiveMeter meter(1, 48000.0, 300.0);
  const LiveMeterReading r = feed(meter, tone(997.0, db_to_amplitude(-12.0), 0.3, 48000));
  EXPECT_NEAR(r.peak_dbfs, -12.0, 0.01);
  EXPECT_NEAR(r.rms_dbfs, -12.0 - 3.0103, 0.02);  // a sine's RMS is 3.01 dB under its peak
  EXPECT_NEAR(r.true_peak_dbtp, -12.0, 0.05);
  // The peak is since the last look; the RMS window empties as silence comes in.
  const LiveMeterReading quiet = feed(meter, std::vector<float>(48000 * 3 / 10, 0.0f));
  EXPECT_EQ(quiet.peak_dbfs, minus_inf_db);
  EXPECT_LT(quiet.rms_dbfs, -100.0);
  EXPECT_THROW(LiveMeter(1, 48000.0, 0.0), std::invalid_argument);
  EXPECT_THROW(LiveMeter(0, 48000.0), std::invalid_argument);
}

TEST(LiveMeter, TruePeakSeesTheCrestBetweenSamples) {
  // A sine at fs/4 sampled 45° off its crest: every sample is 3.01 dB under the true peak.
  LiveMeter meter(1, 48000.0);
  const LiveMeterReading r =
      feed(meter, tone(12000.0, db_to_amplitude(-6.0), std::numbers::pi / 4, 4800));
  EXPECT_NEAR(r.peak_dbfs, -6.0 - 3.0103, 0.01);
  EXPECT_NEAR(r.true_peak_dbtp, -6.0, 0.2);
}

TEST(LiveMeter, AShortWindowFollowsALevelChangeWithinTheWindow) {
  LiveMeter meter(1, 48000.0, 50.0);
  feed(meter, tone(1000.0, 1.0, 0.0, 48000));
  const LiveMeterReading r = feed(meter, tone(1000.0, db_to_amplitude(-20.0), 0.0, 2400));
  EXPECT_NEAR(r.rms_dbfs, -20.0 - 3.0103, 0.05);
}

RouteGraph two_tracks_into_master() {
  GraphBuilder b;
  b.track("kick").channel_count = 1;
  b.track("bass").channel_count = 1;
  b.master();
  b.output("kick", "master");
  b.output("bass", "master");
  return b.build();
}

TEST(LiveRender, PlaysInRealTimeMetersEveryNodeAndFollowsAFaderMove) {
  LiveRenderSettings settings;
  settings.engine.block_frames = 512;
  settings.signal.kind = SignalKind::pink_noise;
  settings.signal.level_dbfs = -18.0;
  RouteGraph graph = two_tracks_into_master();
  LiveRender live(graph, settings);
  const auto started = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  auto readings = live.take_readings();
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Real time, not as fast as it can: never ahead of the wall clock by more than a block, and
  // behind it only by what a loaded machine's scheduler takes.
  EXPECT_LE(live.seconds_played(), wall_s + 0.02);
  EXPECT_GE(live.seconds_played(), wall_s - 0.15);
  ASSERT_EQ(readings.size(), 3u);
  EXPECT_NEAR(readings.at("kick").rms_dbfs, -18.0, 0.7);  // pink noise at −18 dBFS RMS
  EXPECT_GT(readings.at("kick").peak_dbfs, readings.at("kick").rms_dbfs + 6.0);
  EXPECT_GE(readings.at("kick").true_peak_dbtp, readings.at("kick").peak_dbfs);
  // Two uncorrelated −18 dB tracks at the centre of a stereo master, −3 dB pan law: −18 dBFS.
  EXPECT_NEAR(readings.at("master").rms_dbfs, -18.0, 0.8);

  graph.nodes[0].fader_db = -20.0;  // kick down 20 dB
  ASSERT_FALSE(live.set_graph(graph).has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(450));  // longer than the RMS window
  readings = live.take_readings();
  EXPECT_NEAR(readings.at("kick").rms_dbfs, -38.0, 0.8);
  EXPECT_NEAR(readings.at("bass").rms_dbfs, -18.0, 0.7);
}

TEST(LiveRender, PlaysEachTracksFileLoopedAndNamesTheTracksWithoutOne) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "routewise-live-sources";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    // 0.2 s of 1 kHz at −12 dBFS: 200 whole cycles, so the loop is seamless.
    AudioFileWriter kick((dir / "kick.wav").string(), 48000.0, 1);
    const auto x = tone(1000.0, db_to_amplitude(-12.0), 0.0, 9600);
    kick.write(x.data(), x.size());
    kick.close();
  }
  LiveRenderSettings settings;
  settings.engine.block_frames = 512;
  settings.sources_dir = dir;
  LiveRender live(two_tracks_into_master(), settings);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // the file three times over
  const auto readings = live.take_readings();
  EXPECT_NEAR(readings.at("kick").peak_dbfs, -12.0, 0.05);
  EXPECT_NEAR(readings.at("kick").rms_dbfs, -15.01, 0.1);
  EXPECT_EQ(readings.at("bass").peak_dbfs, minus_inf_db);
  const auto notes = live.notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes.front().find("'bass': no source file in"), std::string::npos) << notes.front();
  settings.sources_dir = dir / "nowhere";
  EXPECT_THROW(LiveRender(two_tracks_into_master(), settings), std::invalid_argument);
  fs::remove_all(dir);
}

TEST(LiveRender, AFeedbackLoopIsRefusedAndThePreviousGraphPlaysOn) {
  GraphBuilder b;
  b.track("t").channel_count = 1;
  b.bus("a");
  b.bus("b");
  b.output("t", "a");
  b.output("a", "b");
  b.send("b", "a", -10.0);
  EXPECT_THROW(LiveRender(b.build()), std::invalid_argument);
  LiveRender live(two_tracks_into_master());
  const auto problem = live.set_graph(b.build());
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("feedback loop"), std::string::npos) << *problem;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(live.take_readings().contains("kick"));
}

}  // namespace
}  // namespace routewise
