// The engine's scheduling against independent expectations: a session large enough that its sums
// are run in pieces, a stretch of sources at a time, must still count every path once; a short
// delay kept in front of its buffer must hold its samples across blocks of any size.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../support/graph_builder.hpp"
#include "routewise/audio/render_engine.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

using testing::GraphBuilder;

constexpr int tracks = 200, buses = 20, returns = 6, sends_per_track = 3;

double track_fader_db(int t) {
  return -static_cast<double>(t % 13);
}
double bus_fader_db(int b) {
  return -static_cast<double>(b % 4);
}
double send_level_db(int t, int s) {
  return -3.0 - s - t % 3;
}
bool pre_fader(int s) {
  return s % 2 == 1;
}
float dc(int t) {
  return 0.01f + 0.001f * static_cast<float>(t % 17);
}

// 200 mono tracks (100 KB of sources, several stretches) into 20 buses, each sending to 3 of 6
// returns, pre- and post-fader. Plugin latencies of every kind on tracks and buses: short integer
// (64, 40: kept in front of the buffer), long integer (300: a line), fractional (10.5).
RouteGraph large_mono_session() {
  GraphBuilder b;
  b.master().channel_count = 1;
  for (int i = 0; i < buses; ++i) {
    Node& bus = b.bus("bus" + std::to_string(i));
    bus.channel_count = 1;
    bus.fader_db = bus_fader_db(i);
    if (i % 6 == 0) bus.plugins.push_back({"Lookahead", 40.0, 0.0, false, false});
    b.output(bus.id, "master");
  }
  for (int r = 0; r < returns; ++r) {
    b.node("return" + std::to_string(r), NodeKind::aux_return).channel_count = 1;
    b.output("return" + std::to_string(r), "master");
  }
  for (int t = 0; t < tracks; ++t) {
    Node& track = b.track("track" + std::to_string(t));
    track.channel_count = 1;
    track.fader_db = track_fader_db(t);
    if (t % 5 == 1) track.plugins.push_back({"EQ", 64.0, 0.0, false, false});
    if (t % 7 == 2) track.plugins.push_back({"Linear EQ", 300.0, 0.0, false, false});
    if (t % 11 == 3) track.plugins.push_back({"Oversampler", 10.5, 0.0, false, false});
    const std::string id = track.id;
    b.output(id, "bus" + std::to_string(t % buses));
    for (int s = 0; s < sends_per_track; ++s)
      b.send(id, "return" + std::to_string((t + s) % returns), send_level_db(t, s),
             pre_fader(s) ? TapPoint::pre_fader : TapPoint::post_fader);
  }
  return b.build();
}

TEST(RenderEngineSchedule, LargeSessionCountsEveryPathOnce) {
  // Every track plays a constant: once every delay has filled, each node carries the sum over the
  // paths reaching it of the constant times the path's gains, computed here from the graph's
  // numbers alone. Blocks of irregular sizes, some shorter than the short delays.
  const RouteGraph graph = large_mono_session();
  RenderEngine engine(graph, {});
  double master = 0.0, return0 = 0.0;
  for (int t = 0; t < tracks; ++t) {
    const double fader = db_to_amplitude(track_fader_db(t));
    master += dc(t) * fader * db_to_amplitude(bus_fader_db(t % buses));
    for (int s = 0; s < sends_per_track; ++s) {
      const double send =
          dc(t) * db_to_amplitude(send_level_db(t, s)) * (pre_fader(s) ? 1.0 : fader);
      master += send;
      if ((t + s) % returns == 0) return0 += send;
    }
  }
  const NodeIndex master_node = *engine.find("master"), return_node = *engine.find("return0");
  const std::size_t sizes[] = {128, 77, 5, 128, 64, 31, 128};
  std::size_t played = 0;
  for (int call = 0; played < 4000; ++call) {
    const std::size_t frames = sizes[call % std::size(sizes)];
    for (int t = 0; t < tracks; ++t) {
      float* source = engine.source(*engine.find("track" + std::to_string(t)), 0);
      ASSERT_NE(source, nullptr);
      std::fill(source, source + frames, dc(t));
    }
    engine.process(frames);
    played += frames;
    if (played < 1000) continue;  // the 300-sample lines and the compensation behind them
    for (std::size_t i = 0; i < frames; ++i) {
      ASSERT_NEAR(engine.output(master_node, 0)[i], master, 1e-5 * master) << played;
      ASSERT_NEAR(engine.output(return_node, 0)[i], return0, 1e-5 * return0) << played;
    }
  }
  EXPECT_GT(master, 1.0);  // the comparison is between signals, not silences
  EXPECT_GT(return0, 0.1);
}

// The large session's master for `frames` samples of noise on every track, rendered with blocks
// of `block_frames` in calls of irregular sizes up to a block.
std::vector<float> master_of_noise(std::size_t block_frames, std::size_t frames) {
  const RouteGraph graph = large_mono_session();
  EngineSettings settings;
  settings.block_frames = block_frames;
  RenderEngine engine(graph, settings);
  std::vector<NodeIndex> track_nodes;
  for (int t = 0; t < tracks; ++t) track_nodes.push_back(*engine.find("track" + std::to_string(t)));
  const NodeIndex master = *engine.find("master");
  std::vector<float> out;
  for (std::size_t call = 0; out.size() < frames; ++call) {
    const std::size_t size = std::min(
        {block_frames, frames - out.size(), call % 3 == 1 ? block_frames / 2 + 3 : block_frames});
    // Each track's noise depends on the sample's time only, not on how the calls cut it.
    for (std::size_t t = 0; t < track_nodes.size(); ++t)
      for (std::size_t i = 0; i < size; ++i) {
        auto x = static_cast<std::uint32_t>((out.size() + i) * 2654435761u + t * 40503u);
        x ^= x >> 15;
        x *= 2246822519u;
        x ^= x >> 13;
        engine.source(track_nodes[t], 0)[i] = static_cast<float>(x >> 8) / 16777216.0f - 0.5f;
      }
    engine.process(size);
    out.insert(out.end(), engine.output(master, 0), engine.output(master, 0) + size);
  }
  return out;
}

TEST(RenderEngineSchedule, LargeSessionSoundsTheSameAtEveryBlockSize) {
  // The schedule differs with the block: at 32 frames the 40- and 64-sample delays are lines, at
  // 128 they are kept in front of their buffers and the 300-sample ones are lines, at 4096 all
  // are; the stretches hold 4 to 128 channels. A piece run before what it reads is complete
  // would show as a difference.
  const std::size_t frames = 9000;
  const std::vector<float> reference = master_of_noise(128, frames);
  double energy = 0.0;
  for (float v : reference) energy += double{v} * v;
  EXPECT_GT(energy, 100.0);
  for (const std::size_t block : {32, 4096}) {
    const std::vector<float> other = master_of_noise(block, frames);
    ASSERT_EQ(other.size(), reference.size());
    for (std::size_t i = 0; i < frames; ++i)
      ASSERT_NEAR(other[i], reference[i], 1e-4) << "block " << block << ", sample " << i;
  }
}

// Two mono tracks into a mono master: "slow" behind a plugin of `latency_samples`, "fast" at
// -6 dB and compensated by as much.
RouteGraph slow_and_fast(double latency_samples) {
  GraphBuilder b;
  Node& slow = b.track("slow");
  slow.channel_count = 1;
  slow.plugins.push_back({"Linear EQ", latency_samples, 0.0, false, false});
  Node& fast = b.track("fast");  // (after `slow` is complete: adding a node moves the others)
  fast.channel_count = 1;
  fast.fader_db = -6.0;
  b.master().channel_count = 1;
  b.output("slow", "master");
  b.output("fast", "master");
  return b.build();
}

TEST(RenderEngineSchedule, ShortDelaysHoldTheirSamplesAcrossBlocksShorterThanThemselves) {
  // A 100-sample plugin on one track (kept in front of its buffer at 128-sample blocks) and the
  // compensation of another track behind it (a delay group of 100): impulses at samples 0 and 3
  // leave the master at 100 and 103, through calls of 30 samples and a full block.
  RenderEngine engine(slow_and_fast(100.0), {});
  const NodeIndex slow_node = *engine.find("slow"), fast_node = *engine.find("fast"),
                  master = *engine.find("master");
  std::vector<float> out;
  std::size_t played = 0;
  for (const std::size_t frames : {30, 30, 30, 30, 128, 128}) {
    for (std::size_t i = 0; i < frames; ++i) {
      engine.source(slow_node, 0)[i] = played + i == 0 ? 1.0f : 0.0f;
      engine.source(fast_node, 0)[i] = played + i == 3 ? 1.0f : 0.0f;
    }
    engine.process(frames);
    out.insert(out.end(), engine.output(master, 0), engine.output(master, 0) + frames);
    played += frames;
  }
  for (std::size_t n = 0; n < out.size(); ++n) {
    const double expected = n == 100 ? 1.0 : n == 103 ? db_to_amplitude(-6.0) : 0.0;
    ASSERT_NEAR(out[n], expected, 1e-7) << n;
  }
}

TEST(RenderEngineSchedule, ANearlyWholeDelayIsSummedIntoItsLine) {
  // 200.0000000001 samples of plugin latency: too far from a whole number to be kept in front of
  // a buffer, near enough for the delay line to treat it as whole (no interpolation). The track
  // beside it is compensated by that much through a line, which must receive its sum.
  RenderEngine engine(slow_and_fast(200.0000000001), {});
  const NodeIndex fast_node = *engine.find("fast"), master = *engine.find("master");
  std::vector<float> out;
  for (int block = 0; block < 4; ++block) {
    std::fill_n(engine.source(fast_node, 0), 128, 0.0f);
    if (block == 0) engine.source(fast_node, 0)[5] = 1.0f;
    engine.process(128);
    out.insert(out.end(), engine.output(master, 0), engine.output(master, 0) + 128);
  }
  for (std::size_t n = 0; n < out.size(); ++n)
    ASSERT_NEAR(out[n], n == 205 ? db_to_amplitude(-6.0) : 0.0, 1e-6) << n;
}

TEST(RenderEngineSchedule, AbsurdLatenciesAreRefusedByNameBeforeAnythingIsAllocated) {
  // Twenty stereo tracks behind plugins of 10 M samples (the most a route map allows each) would
  // want over 3 GB of delay lines; the engine says so, naming the longest, instead of taking them.
  GraphBuilder b;
  b.master();
  for (int t = 0; t < 20; ++t) {
    Node& track = b.track("t" + std::to_string(t));
    track.name = "Track " + std::to_string(t + 1);
    track.plugins.push_back({"Lookahead", t == 7 ? 10'000'000.0 : 9'000'000.0, 0.0, false, false});
  }
  for (int t = 0; t < 20; ++t) b.output("t" + std::to_string(t), "master");
  try {
    RenderEngine engine(b.build(), {});
    FAIL() << "rendered a session wanting gigabytes of delay lines";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("GB"), std::string::npos) << what;
    EXPECT_NE(what.find("'Track 8': plugin latency of 10000000 samples"), std::string::npos)
        << what;
  }
  // A long latency on its own is fine: a line of 1 M samples (21 s at 48 kHz) per channel.
  GraphBuilder one;
  one.master();
  one.track("t").plugins.push_back({"Lookahead", 1'000'000.0, 0.0, false, false});
  one.output("t", "master");
  EXPECT_NO_THROW(RenderEngine(one.build(), {}));
}

}  // namespace
}  // namespace routewise
