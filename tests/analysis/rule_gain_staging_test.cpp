#include <gtest/gtest.h>

#include <cmath>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::figure;
using testing::findings_of;
using testing::GraphBuilder;

namespace {
// `count` drum tracks at `level_dbfs` into a drum bus into the master.
RouteGraph drum_bus(int count, double level_dbfs) {
  GraphBuilder b;
  for (int i = 0; i < count; ++i) {
    Node& t = b.track("d" + std::to_string(i));
    t.source.average_dbfs = level_dbfs;
    b.output(t.id, "drum_bus");
  }
  b.node("drum_bus", NodeKind::bus, "Drum Bus").fader_db = -6;
  b.master();
  b.output("drum_bus", "master");
  return b.build();
}
}  // namespace

TEST(GainStaging, EightTracksAtMinusTwelveMakeAHotDrumBus) {
  const auto f = findings_of(drum_bus(8, -12), "gain-staging");
  ASSERT_GE(f.size(), 1u);
  EXPECT_EQ(f[0].nodes, std::vector<std::string>{"drum_bus"});
  EXPECT_NEAR(figure(f[0], "bus input level")->value, -12 + 10 * std::log10(8.0), 1e-9);
  EXPECT_EQ(figure(f[0], "bus input level")->limit, "-18..-14 dBFS");
  EXPECT_NE(f[0].fix.find("lower the input of 'Drum Bus'"), std::string::npos);
}

TEST(GainStaging, DrumBusInRangeIsQuiet) {
  // 4 tracks at -22 dBFS sum to about -16 dBFS; the master then sits at -22, which is cold.
  const auto f = findings_of(drum_bus(4, -22), "gain-staging");
  for (const Finding& x : f) EXPECT_NE(x.nodes.front(), "drum_bus");
}

TEST(GainStaging, ColdBusIsReportedToo) {
  const auto f = findings_of(drum_bus(1, -40), "gain-staging");
  ASSERT_FALSE(f.empty());
  EXPECT_NE(f[0].message.find("colder"), std::string::npos);
}

TEST(GainStaging, ThresholdsComeFromTheConfig) {
  AnalysisConfig config;
  config.thresholds["gain-staging.drums_max_dbfs"] = 0;
  config.thresholds["gain-staging.min_headroom_db"] = 0;
  config.thresholds["gain-staging.assumed_crest_factor_db"] = 0;
  for (const Finding& x : findings_of(drum_bus(8, -12), "gain-staging", config))
    EXPECT_NE(x.nodes.front(), "drum_bus");
}

TEST(GainStaging, MeasuredMasterTruePeakAboveCeiling) {
  GraphBuilder b;
  Node& m = b.master();
  m.measured.true_peak_dbtp = 0.4;
  auto f = findings_of(b.build(), "gain-staging");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_DOUBLE_EQ(figure(f[0], "true peak")->value, 0.4);
  b.graph().nodes[0].measured.true_peak_dbtp = -1.0;
  EXPECT_TRUE(findings_of(b.build(), "gain-staging").empty());
}

TEST(GainStaging, MeasuredLevelOverridesTheEstimate) {
  RouteGraph g = drum_bus(8, -12);
  for (Node& n : g.nodes)
    if (n.id == "drum_bus") n.measured.average_dbfs = -22;  // output; input = -22 + 6 = -16
  for (const Finding& x : findings_of(g, "gain-staging")) EXPECT_NE(x.nodes.front(), "drum_bus");
}

TEST(GainStaging, MutedTracksAddNothing) {
  RouteGraph g = drum_bus(8, -12);
  for (Node& n : g.nodes)
    if (n.kind == NodeKind::track && n.id != "d0") n.mute = true;
  // one track at -12 dBFS into the drum bus: hot by 2 dB only
  const auto f = findings_of(g, "gain-staging");
  ASSERT_FALSE(f.empty());
  EXPECT_NEAR(figure(f[0], "bus input level")->value, -12, 1e-9);
}

}  // namespace routewise
