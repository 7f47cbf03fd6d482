// Property test: any graph the model can hold survives write -> parse unchanged.
#include <gtest/gtest.h>

#include <random>

#include "routewise/model/route_map_json.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

RouteGraph random_graph(std::mt19937& rng) {
  std::uniform_int_distribution<int> node_count(1, 40);
  std::uniform_real_distribution<double> db(-60.0, 12.0);
  std::uniform_real_distribution<double> pan(-1.0, 1.0);
  std::uniform_int_distribution<int> coin(0, 1);
  std::uniform_int_distribution<int> die(0, 9);
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };

  RouteGraph g;
  g.session.name = "random " + std::to_string(rng());
  g.session.sample_rate_hz = std::array{44100.0, 48000.0, 96000.0}[pick(3)];
  if (coin(rng)) g.session.tempo_bpm = 60 + pick(120) + 0.5;
  if (coin(rng)) g.session.source_daw = "Ardour";
  const int n = node_count(rng);
  for (int i = 0; i < n; ++i) {
    Node node;
    node.id = "n" + std::to_string(i);
    node.name = std::string("Node ") + std::array{"Ä", "Ø", "\"", "\\", "/", "\t", "→"}[pick(7)] +
                std::to_string(i);
    node.kind = static_cast<NodeKind>(pick(9));
    node.channel_count = 1 + pick(8);
    node.fader_db = die(rng) == 0 ? minus_inf_db : db(rng);
    node.trim_db = coin(rng) ? db(rng) : 0.0;
    node.mute = coin(rng);
    node.solo = coin(rng);
    node.polarity_inverted = coin(rng);
    node.pan = coin(rng) ? pan(rng) : 0.0;
    if (coin(rng)) node.colour = "#a0b1c2";
    if (coin(rng)) node.stem = "STEM" + std::to_string(pick(3));
    if (coin(rng)) node.daw_id = std::to_string(rng());
    node.pdc_enabled = coin(rng);
    for (int p = pick(4); p > 0; --p)
      node.plugins.push_back({"Plug " + std::to_string(p), static_cast<double>(pick(5000)),
                              coin(rng) ? db(rng) : 0.0, static_cast<bool>(coin(rng)),
                              static_cast<bool>(coin(rng))});
    if (coin(rng)) node.source.average_dbfs = db(rng);
    if (coin(rng)) node.measured.true_peak_dbtp = db(rng);
    if (coin(rng)) node.measured.peak_dbfs = minus_inf_db;
    g.nodes.push_back(node);
  }
  for (int e = pick(3 * n + 1); e > 0; --e) {
    Edge edge;
    edge.kind = static_cast<EdgeKind>(pick(4));
    edge.from = g.nodes[pick(n)].id;
    edge.to = g.nodes[pick(n)].id;
    if (edge.kind == EdgeKind::send || edge.kind == EdgeKind::sidechain) {
      edge.level_db = die(rng) == 0 ? minus_inf_db : db(rng);
      edge.mute = coin(rng);
      edge.tap = static_cast<TapPoint>(pick(3));
      if (edge.kind == EdgeKind::send) edge.pan = coin(rng) ? pan(rng) : 0.0;
      if (edge.kind == EdgeKind::sidechain) edge.plugin = "Comp";
    }
    if (edge.kind == EdgeKind::hardware_insert) {
      edge.send_port = coin(rng) ? "system:playback_3" : "";
      edge.return_port = "system:capture_3";
      if (coin(rng)) edge.latency_samples = pick(100000) / 7.0;
      edge.compensated = coin(rng);
    }
    g.edges.push_back(edge);
  }
  for (int s = pick(3); s > 0; --s)
    g.session.stems["STEM" + std::to_string(s)] = g.nodes[pick(n)].id;
  canonicalize_edges(g);
  return g;
}

}  // namespace

TEST(RouteMapRoundTrip, RandomGraphsSurviveWriteAndParseExactly) {
  std::mt19937 rng(20261126);
  for (int i = 0; i < 500; ++i) {
    const RouteGraph original = random_graph(rng);
    const std::string text = write_route_map(original);
    const RouteMapLoad load = parse_route_map(text);
    ASSERT_TRUE(load.graph) << "graph " << i << ": " << load.diagnostics.errors.front().where
                            << ": " << load.diagnostics.errors.front().message;
    EXPECT_TRUE(load.diagnostics.warnings.empty()) << "graph " << i;
    ASSERT_EQ(*load.graph, original) << "graph " << i << " changed:\n" << text;
    EXPECT_EQ(write_route_map(*load.graph), text) << "graph " << i;
  }
}

}  // namespace routewise
