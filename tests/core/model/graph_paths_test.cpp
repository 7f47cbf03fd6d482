#include "routewise/model/graph_paths.hpp"

#include <gtest/gtest.h>

#include "../../support/graph_builder.hpp"

namespace routewise {
using testing::GraphBuilder;

namespace {
// Parallel drum compression: drums -> master directly and drums -> crush -> master.
RouteGraph parallel_compression(double crush_latency, bool crush_pdc) {
  GraphBuilder b;
  b.bus("drums").fader_db = -2;
  Node& crush = b.bus("crush");
  crush.plugins.push_back({"Lookahead Comp", crush_latency, 4.0, false, false});
  crush.pdc_enabled = crush_pdc;
  crush.fader_db = -6;
  b.master();
  b.output("drums", "master");
  b.send("drums", "crush", -3);
  b.output("crush", "master");
  return b.build();
}
}  // namespace

TEST(AllPaths, FindsBothBranchesOfAParallelChain) {
  const RouteGraph g = parallel_compression(256, false);
  const GraphIndex index(g);
  const auto set =
      all_paths(index, *index.find("drums"), *index.find("master"), EdgeFilter::audio());
  EXPECT_FALSE(set.truncated);
  ASSERT_EQ(set.paths.size(), 2u);
  EXPECT_EQ(set.paths[0].size(), 1u);
  EXPECT_EQ(set.paths[1].size(), 2u);
}

TEST(AllPaths, StopsAtTheLimitAndSaysSo) {
  // A ladder of k rungs has 2^k paths; a limit of 10 must cut it short.
  GraphBuilder b;
  const int k = 30;
  for (int i = 0; i <= k; ++i) b.bus("n" + std::to_string(i));
  for (int i = 0; i < k; ++i) {
    b.output("n" + std::to_string(i), "n" + std::to_string(i + 1));
    b.send("n" + std::to_string(i), "n" + std::to_string(i + 1));
  }
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const auto set = all_paths(index, 0, k, EdgeFilter::audio(), {10, 64});
  EXPECT_TRUE(set.truncated);
  EXPECT_EQ(set.paths.size(), 10u);
}

TEST(AllPaths, NoPathWhenUnreachable) {
  GraphBuilder b;
  b.track("a");
  b.master();
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  EXPECT_TRUE(all_paths(index, 0, 1, EdgeFilter::audio()).paths.empty());
}

TEST(PathMetrics, UncompensatedPluginLatencyShowsOnlyOnItsBranch) {
  const RouteGraph g = parallel_compression(256, false);
  const GraphIndex index(g);
  const auto set =
      all_paths(index, *index.find("drums"), *index.find("master"), EdgeFilter::audio());
  const PathMetrics direct = path_metrics(index, set.paths[0]);
  const PathMetrics crushed = path_metrics(index, set.paths[1]);
  EXPECT_DOUBLE_EQ(direct.latency_samples, 0);
  EXPECT_DOUBLE_EQ(crushed.latency_samples, 256);
  EXPECT_DOUBLE_EQ(crushed.uncompensated_latency_samples, 256);
  // drums fader -2, send -3, crush plugin +4, crush fader -6
  EXPECT_DOUBLE_EQ(direct.gain_db, -2);
  EXPECT_DOUBLE_EQ(crushed.gain_db, -2 - 3 + 4 - 6);
}

TEST(PathMetrics, CompensatedLatencyIsNotUncompensated) {
  const RouteGraph g = parallel_compression(256, true);
  const GraphIndex index(g);
  const auto set =
      all_paths(index, *index.find("drums"), *index.find("master"), EdgeFilter::audio());
  EXPECT_DOUBLE_EQ(path_metrics(index, set.paths[1]).uncompensated_latency_samples, 0);
}

TEST(PathMetrics, PreFaderSendSkipsTheFaderAndPreFxSkipsThePlugins) {
  GraphBuilder b;
  Node& vox = b.track("vox");
  vox.fader_db = -10;
  vox.trim_db = 2;
  vox.plugins.push_back({"Linear EQ", 1024, 1.0, false, false});
  b.node("cue", NodeKind::cue_mix);
  b.node("verb", NodeKind::aux_return);
  b.send("vox", "cue", -5, TapPoint::pre_fader);
  b.send("vox", "verb", -5, TapPoint::pre_fx);
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const PathMetrics pre_fader = path_metrics(index, std::vector<EdgeIndex>{0});
  const PathMetrics pre_fx = path_metrics(index, std::vector<EdgeIndex>{1});
  EXPECT_DOUBLE_EQ(pre_fader.gain_db, 2 + 1 - 5);
  EXPECT_DOUBLE_EQ(pre_fader.latency_samples, 1024);
  EXPECT_DOUBLE_EQ(pre_fx.gain_db, 2 - 5);
  EXPECT_DOUBLE_EQ(pre_fx.latency_samples, 0);
}

TEST(PathMetrics, InsertRoundTripAndUnknownLatency) {
  GraphBuilder b;
  b.bus("mix");
  b.node("comp", NodeKind::hardware_insert);
  b.node("eq", NodeKind::hardware_insert);
  b.master();
  b.insert("mix", "comp", 96.5, false);
  Edge& unknown = b.insert("comp", "eq", 0, false);
  unknown.latency_samples.reset();
  b.output("eq", "master");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const auto set = all_paths(index, 0, 3, EdgeFilter::audio());
  ASSERT_EQ(set.paths.size(), 1u);
  const PathMetrics m = path_metrics(index, set.paths[0]);
  EXPECT_DOUBLE_EQ(m.latency_samples, 96.5);
  EXPECT_DOUBLE_EQ(m.uncompensated_latency_samples, 96.5);
  EXPECT_TRUE(m.latency_unknown);
}

TEST(PathMetrics, MutedSendOrMutedNodeSilencesThePath) {
  GraphBuilder b;
  b.track("a").mute = true;
  b.node("verb", NodeKind::aux_return);
  b.node("cue", NodeKind::cue_mix);
  b.send("a", "verb");
  b.send("a", "cue", 0, TapPoint::pre_fader);
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  EXPECT_TRUE(path_metrics(index, std::vector<EdgeIndex>{0}).muted);
  EXPECT_FALSE(path_metrics(index, std::vector<EdgeIndex>{1}).muted);  // pre-fader: before the mute
}

}  // namespace routewise
