// The engine against hand-computed expectations: gains, pan laws, mute/solo, tap points, delay
// compensation (and its absence), inserts, sidechain keys, block-size independence.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <stdexcept>

#include "../../support/example_session.hpp"
#include "../../support/graph_builder.hpp"
#include "routewise/audio/render_engine.hpp"
#include "routewise/model/route_map_json.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

using testing::GraphBuilder;

struct Response {
  std::vector<float> left, right;
};

// Feeds `input` (a unit impulse unless given) into the listed source nodes and records `at`.
Response render(const RouteGraph& graph, const std::vector<std::string>& sources,
                const std::string& at, std::size_t frames, EngineSettings settings = {},
                std::vector<float> input = {}) {
  RenderEngine engine(graph, settings);
  if (input.empty()) {
    input.assign(frames, 0.0f);
    input[0] = 1.0f;
  }
  const NodeIndex out = *engine.find(at);
  Response r;
  const std::size_t block = settings.block_frames;
  for (std::size_t done = 0; done < frames; done += block) {
    const std::size_t n = std::min(block, frames - done);
    for (const std::string& id : sources) {
      const NodeIndex s = *engine.find(id);
      for (int c = 0; c < engine.channel_count(s); ++c) {
        float* dst = engine.source(s, c);
        for (std::size_t i = 0; i < n; ++i)
          dst[i] = done + i < input.size() ? input[done + i] : 0.0f;
      }
    }
    engine.process(n);
    const int channels = engine.channel_count(out);
    r.left.insert(r.left.end(), engine.output(out, 0), engine.output(out, 0) + n);
    r.right.insert(r.right.end(), engine.output(out, channels - 1),
                   engine.output(out, channels - 1) + n);
  }
  return r;
}

double sum_abs(const std::vector<float>& x) {
  double s = 0.0;
  for (float v : x) s += std::fabs(v);
  return s;
}

// A mono track into a stereo master.
GraphBuilder track_to_master() {
  GraphBuilder b;
  b.track("t").channel_count = 1;
  b.master();
  b.output("t", "master");
  return b;
}

TEST(RenderEngine, TrimPluginGainFaderAndPolarityMultiply) {
  GraphBuilder b = track_to_master();
  Node& t = b.graph().nodes[0];
  t.trim_db = 6.0;
  t.fader_db = -6.0;
  t.polarity_inverted = true;
  t.plugins.push_back({"EQ", 0.0, -3.0, false, false});
  t.plugins.push_back({"Bypassed", 0.0, 20.0, true, false});
  const Response r = render(b.build(), {"t"}, "t", 256);
  EXPECT_NEAR(r.left[0], -db_to_amplitude(-3.0), 1e-6);
  EXPECT_NEAR(sum_abs(r.left), db_to_amplitude(-3.0), 1e-6);
}

TEST(RenderEngine, PanLawsAtCentreAndHardLeft) {
  for (auto [law, centre] :
       {std::pair{PanLaw::constant_power_3db, std::sqrt(0.5)}, std::pair{PanLaw::linear_6db, 0.5},
        std::pair{PanLaw::balance_0db, 1.0}}) {
    EngineSettings s;
    s.pan_law = law;
    GraphBuilder b = track_to_master();
    Response r = render(b.build(), {"t"}, "master", 128, s);
    EXPECT_NEAR(r.left[0], centre, 1e-6) << to_string(law);
    EXPECT_NEAR(r.right[0], centre, 1e-6) << to_string(law);
    b.graph().nodes[0].pan = -1.0;
    r = render(b.build(), {"t"}, "master", 128, s);
    EXPECT_NEAR(r.left[0], 1.0, 1e-6) << to_string(law);
    EXPECT_NEAR(r.right[0], 0.0, 1e-6) << to_string(law);
  }
  // Constant power: L² + R² = 1 across the sweep.
  for (double p = -1.0; p <= 1.0; p += 0.125) {
    const StereoGains g = pan_mono(PanLaw::constant_power_3db, p);
    EXPECT_NEAR(g.left * g.left + g.right * g.right, 1.0, 1e-6) << p;
  }
  // A stereo source is balanced: unity at centre, the far side fades.
  EXPECT_FLOAT_EQ(pan_stereo(PanLaw::constant_power_3db, 0.0).left, 1.0f);
  EXPECT_FLOAT_EQ(pan_stereo(PanLaw::constant_power_3db, 0.5).right, 1.0f);
  EXPECT_LT(pan_stereo(PanLaw::constant_power_3db, 0.5).left, 1.0f);
}

TEST(RenderEngine, SendsTapWhereTheySay) {
  // pre-fx sees trim only; pre-fader adds the plugins; post-fader adds the fader too.
  GraphBuilder b;
  Node& t = b.track("t");
  t.channel_count = 1;
  t.trim_db = -2.0;
  t.fader_db = -10.0;
  t.plugins.push_back({"Comp", 0.0, 4.0, false, false});
  b.node("pre_fx", NodeKind::aux_return).channel_count = 1;
  b.node("pre_fader", NodeKind::aux_return).channel_count = 1;
  b.node("post_fader", NodeKind::aux_return).channel_count = 1;
  b.send("t", "pre_fx", -6.0, TapPoint::pre_fx);
  b.send("t", "pre_fader", -6.0, TapPoint::pre_fader);
  b.send("t", "post_fader", -6.0, TapPoint::post_fader);
  const RouteGraph g = b.build();
  EXPECT_NEAR(render(g, {"t"}, "pre_fx", 128).left[0], db_to_amplitude(-8.0), 1e-6);
  EXPECT_NEAR(render(g, {"t"}, "pre_fader", 128).left[0], db_to_amplitude(-4.0), 1e-6);
  EXPECT_NEAR(render(g, {"t"}, "post_fader", 128).left[0], db_to_amplitude(-14.0), 1e-6);
}

TEST(RenderEngine, MuteSilencesOutputsButNotPreFaderSends) {
  GraphBuilder b = track_to_master();
  b.node("cue", NodeKind::cue_mix).channel_count = 1;
  b.node("verb", NodeKind::aux_return).channel_count = 1;
  b.send("t", "cue", 0.0, TapPoint::pre_fader);
  b.send("t", "verb", 0.0, TapPoint::post_fader);
  b.graph().nodes[0].mute = true;
  const RouteGraph g = b.build();
  EXPECT_EQ(sum_abs(render(g, {"t"}, "master", 128).left), 0.0);
  EXPECT_EQ(sum_abs(render(g, {"t"}, "verb", 128).left), 0.0);
  EXPECT_NEAR(sum_abs(render(g, {"t"}, "cue", 128).left), 1.0, 1e-6);
}

TEST(RenderEngine, SoloKeepsTheSoloedPathAndWhatItFeeds) {
  GraphBuilder b;
  b.track("a").channel_count = 1;
  b.track("b").channel_count = 1;
  b.bus("drums").channel_count = 1;
  b.master().channel_count = 1;
  b.output("a", "drums");
  b.output("b", "master");
  b.output("drums", "master");
  b.graph().nodes[0].solo = true;
  const RouteGraph g = b.build();
  RenderEngine engine(g, {});
  EXPECT_TRUE(engine.audible(*engine.find("a")));
  EXPECT_TRUE(engine.audible(*engine.find("drums")));  // downstream of the solo
  EXPECT_TRUE(engine.audible(*engine.find("master")));
  EXPECT_FALSE(engine.audible(*engine.find("b")));
  EXPECT_NEAR(sum_abs(render(g, {"a"}, "master", 128).left), 1.0, 1e-6);
  EXPECT_EQ(sum_abs(render(g, {"b"}, "master", 128).left), 0.0);
}

// Index of the largest magnitude, refined by a parabola through its neighbours.
double peak_position(const std::vector<float>& x) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < x.size(); ++i)
    if (std::fabs(x[i]) > std::fabs(x[best])) best = i;
  if (best == 0 || best + 1 == x.size()) return static_cast<double>(best);
  const double a = x[best - 1], b = x[best], c = x[best + 1];
  return static_cast<double>(best) + 0.5 * (a - c) / (a - 2 * b + c);
}

TEST(RenderEngine, CompensatedParallelPathsArriveTogether) {
  GraphBuilder b;
  Node& slow = b.track("slow");
  slow.channel_count = 1;
  slow.plugins.push_back({"Linear EQ", 300.0, 0.0, false, false});
  b.track("fast").channel_count = 1;
  b.master().channel_count = 1;
  b.output("slow", "master");
  b.output("fast", "master");
  RenderEngine engine(b.build(), {});
  EXPECT_DOUBLE_EQ(engine.reported_latency_samples(*engine.find("master")), 300.0);
  const Response r = render(b.build(), {"slow", "fast"}, "master", 1024);
  EXPECT_NEAR(r.left[300], 2.0, 1e-6);
  EXPECT_NEAR(sum_abs(r.left), 2.0, 1e-6);
}

TEST(RenderEngine, UncompensatedLatencyCombFiltersAtThePredictedNotch) {
  // The example session's fault: Drum Crush (PDC off, 256-sample lookahead) rejoins the dry
  // drums at DRUMS; the pdc-asymmetry rule predicts the first notch at 1/(2·5.333 ms).
  const RouteGraph session = testing::load_example("pop-song-faulty.json");
  ASSERT_FALSE(session.nodes.empty());
  const Response r = render(session, {"kick_in"}, "drums_stem", 8192);
  const double predicted_hz = 48000.0 / (2.0 * 256.0);
  // |H(f)| over a fine grid around the prediction; the minimum is the notch.
  double notch_hz = 0.0, lowest = 1e300;
  for (double f = 0.5 * predicted_hz; f <= 1.5 * predicted_hz; f += 0.05) {
    std::complex<double> h = 0.0;
    for (std::size_t n = 0; n < r.left.size(); ++n)
      h += static_cast<double>(r.left[n]) *
           std::polar(1.0, -2.0 * std::numbers::pi * f * static_cast<double>(n) / 48000.0);
    if (std::abs(h) < lowest) {
      lowest = std::abs(h);
      notch_hz = f;
    }
  }
  EXPECT_NEAR(notch_hz, predicted_hz, 0.01 * predicted_hz);
  // Two arrivals, 256 samples apart: the dry one and the crushed one.
  const double first = peak_position(r.left);
  std::vector<float> rest = r.left;
  for (std::size_t i = 0; i < rest.size(); ++i)
    if (std::fabs(static_cast<double>(i) - first) < 8.0) rest[i] = 0.0f;
  EXPECT_NEAR(std::fabs(peak_position(rest) - first), 256.0, 0.5);

  // With PDC on the same path no longer combs: a single arrival.
  RouteGraph fixed = session;
  for (Node& n : fixed.nodes)
    if (n.id == "drum_crush") n.pdc_enabled = true;
  const Response aligned = render(fixed, {"kick_in"}, "drums_stem", 8192);
  std::size_t nonzero = 0;
  for (float v : aligned.left) nonzero += std::fabs(v) > 1e-6f;
  EXPECT_EQ(nonzero, 1u);
}

TEST(RenderEngine, HardwareInsertDelaysByItsFractionalLatency) {
  GraphBuilder b;
  b.bus("mix").channel_count = 1;
  b.node("outboard", NodeKind::hardware_insert).channel_count = 1;
  b.master().channel_count = 1;
  b.insert("mix", "outboard", 72.4, true);
  b.output("outboard", "master");
  const Response r = render(b.build(), {"mix"}, "master", 512);
  // The impulse response's centroid is its delay at low frequencies.
  double sum = 0.0, moment = 0.0;
  for (std::size_t n = 0; n < r.left.size(); ++n) {
    sum += r.left[n];
    moment += static_cast<double>(n) * r.left[n];
  }
  EXPECT_NEAR(sum, 1.0, 1e-3);  // unity gain
  EXPECT_NEAR(moment / sum, 72.4, 0.01);
}

TEST(RenderEngine, SidechainKeyReachesTheNamedPluginSlot) {
  GraphBuilder b;
  b.track("kick").channel_count = 1;
  Node& bass = b.track("bass");
  bass.channel_count = 1;
  bass.plugins.push_back({"EQ", 0.0, 0.0, false, false});
  bass.plugins.push_back({"Pro-C 2", 0.0, 0.0, false, true});
  b.master().channel_count = 1;
  b.output("kick", "master");
  b.output("bass", "master");
  b.sidechain("kick", "bass", "Pro-C 2").level_db = -6.0;
  RenderEngine engine(b.build(), {});
  const NodeIndex kick = *engine.find("kick"), bass_node = *engine.find("bass");
  EXPECT_EQ(engine.key(bass_node, 0, 0), nullptr);
  ASSERT_NE(engine.key(bass_node, 1, 0), nullptr);
  std::fill(engine.source(kick, 0), engine.source(kick, 0) + 128, 0.5f);
  engine.process(128);
  EXPECT_NEAR(engine.key(bass_node, 1, 0)[10], 0.5 * db_to_amplitude(-6.0), 1e-6);
  // The key is a detector input only: the bass output carries no kick.
  EXPECT_EQ(engine.output(bass_node, 0)[10], 0.0f);
}

TEST(RenderEngine, InputsAlignedBehindDifferentLatenciesArriveTogether) {
  // Five tracks into one bus: latencies 0, 0, 10.5, 10.5 and 30 samples. The engine delays each
  // set of inputs that needs the same delay as one sum (30, 19.5 and none); every impulse must
  // still land at sample 30 with its own gain, integer and fractional delays alike.
  GraphBuilder b;
  const double latencies[] = {0.0, 0.0, 10.5, 10.5, 30.0};
  const double faders_db[] = {0.0, -6.0, 0.0, -12.0, -3.0};
  std::vector<std::string> tracks;
  for (int t = 0; t < 5; ++t) {
    Node& track = b.track("t" + std::to_string(t));
    track.channel_count = 1;
    track.fader_db = faders_db[t];
    if (latencies[t] > 0.0) track.plugins.push_back({"EQ", latencies[t], 0.0, false, false});
    tracks.push_back(track.id);
  }
  b.bus("sum").channel_count = 1;
  b.master().channel_count = 1;
  for (const std::string& t : tracks) b.output(t, "sum");
  b.output("sum", "master");
  const RouteGraph g = b.build();
  EXPECT_DOUBLE_EQ(RenderEngine(g, {}).reported_latency_samples(*RenderEngine(g, {}).find("sum")),
                   30.0);
  std::vector<float> superposed(256, 0.0f);
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    const Response r = render(g, {tracks[t]}, "master", 256);
    double sum = 0.0, moment = 0.0;
    for (std::size_t n = 0; n < r.left.size(); ++n) {
      sum += r.left[n];
      moment += static_cast<double>(n) * r.left[n];
      superposed[n] += r.left[n];
    }
    EXPECT_NEAR(sum, db_to_amplitude(faders_db[t]), 1e-3) << tracks[t];
    EXPECT_NEAR(moment / sum, 30.0, 0.01) << tracks[t];
    if (latencies[t] == 0.0 || latencies[t] == 30.0) {  // integer delays: one exact sample
      EXPECT_NEAR(r.left[30], db_to_amplitude(faders_db[t]), 1e-6) << tracks[t];
    }
  }
  // All at once is the sum of each alone: the shared delay lines mix nothing up.
  const Response all = render(g, tracks, "master", 256);
  for (std::size_t n = 0; n < all.left.size(); ++n)
    ASSERT_NEAR(all.left[n], superposed[n], 1e-5) << n;
}

TEST(RenderEngine, BlockSizeDoesNotChangeTheResult) {
  const RouteGraph session = testing::load_example("pop-song-faulty.json");
  ASSERT_FALSE(session.nodes.empty());
  std::vector<float> noise(20000);
  std::uint32_t state = 7;
  for (float& v : noise) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
  }
  EngineSettings small, large;
  small.block_frames = 32;
  large.block_frames = 4096;
  const std::vector<std::string> sources = {"kick_in", "lead_vox", "piano", "bass_di"};
  const Response a = render(session, sources, "master", 20000, small, noise);
  const Response b = render(session, sources, "master", 20000, large, noise);
  ASSERT_EQ(a.left.size(), b.left.size());
  double energy = 0.0;
  for (std::size_t i = 0; i < a.left.size(); ++i) {
    ASSERT_NEAR(a.left[i], b.left[i], 1e-6) << i;
    energy += a.left[i] * a.left[i];
  }
  EXPECT_GT(energy, 1.0);  // the comparison was not between two silences
}

TEST(RenderEngine, ObservingOnlyTheMasterGivesTheSameMaster) {
  // Unobserved nodes keep no output of their own; the result must not depend on it.
  const RouteGraph session = testing::load_example("pop-song-faulty.json");
  RenderEngine all(session, {});
  RenderEngine lean(session, {}, {"master", "drums_stem"});
  EXPECT_THROW(RenderEngine(session, {}, {"no_such_node"}), std::invalid_argument);
  std::uint32_t state = 3;
  double energy = 0.0;
  for (int block = 0; block < 200; ++block) {
    for (RenderEngine* engine : {&all, &lean})
      for (NodeIndex n = 0; n < session.nodes.size(); ++n)
        for (int c = 0; c < engine->channel_count(n); ++c)
          if (float* s = engine->source(n, c)) {
            std::uint32_t local = state + n * 7919u + static_cast<std::uint32_t>(c);
            for (std::size_t i = 0; i < 128; ++i) {
              local = local * 1664525u + 1013904223u;
              s[i] = static_cast<float>(local >> 8) / 16777216.0f - 0.5f;
            }
          }
    state += 1;
    all.process(128);
    lean.process(128);
    for (const char* id : {"master", "drums_stem"})
      for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < 128; ++i) {
          const NodeIndex n = *all.find(id);
          ASSERT_EQ(all.output(n, c)[i], lean.output(n, c)[i]) << id << " block " << block;
          energy += all.output(n, c)[i] * all.output(n, c)[i];
        }
  }
  EXPECT_GT(energy, 1.0);
}

TEST(RenderEngine, RefusesFeedbackLoopsAndBadSettings) {
  GraphBuilder b;
  b.bus("a");
  b.bus("b");
  b.output("a", "b");
  b.send("b", "a", -10.0);
  try {
    RenderEngine engine(b.build(), {});
    FAIL() << "a feedback loop was rendered";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'a' → 'b' → 'a'"), std::string::npos) << e.what();
  }
  GraphBuilder ok = track_to_master();
  EXPECT_THROW(RenderEngine(ok.build(), EngineSettings{22050.0, 128, PanLaw::balance_0db}),
               std::invalid_argument);
  EXPECT_THROW(RenderEngine(ok.build(), EngineSettings{48000.0, 16, PanLaw::balance_0db}),
               std::invalid_argument);
  EXPECT_THROW(RenderEngine(ok.build(), EngineSettings{48000.0, 8192, PanLaw::balance_0db}),
               std::invalid_argument);
  for (double rate : {44100.0, 48000.0, 88200.0, 96000.0})
    EXPECT_FALSE(check_engine_settings({rate, 32, PanLaw::linear_6db}));
  // Latencies each within the route map's range can add up beyond what a delay line holds.
  GraphBuilder huge = track_to_master();
  huge.graph().nodes[0].plugins = {{"A", 1e7, 0.0, false, false}, {"B", 1e7, 0.0, false, false}};
  try {
    RenderEngine engine(huge.build(), {});
    FAIL() << "an absurd latency was rendered";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'t': plugin latency"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace routewise
