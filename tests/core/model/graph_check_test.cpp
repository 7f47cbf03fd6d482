#include "routewise/model/graph_check.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../../support/graph_builder.hpp"
#include "routewise/model/route_map_json.hpp"

namespace routewise {
using testing::GraphBuilder;

namespace {

RouteGraph two_tracks() {
  GraphBuilder b;
  b.node("kick", NodeKind::track, "Kick");
  b.node("verb", NodeKind::aux_return, "Verb");
  b.master();
  b.output("kick", "master");
  b.send("kick", "verb", -10);
  b.output("verb", "master");
  return b.build();
}

std::string first_error(const RouteGraph& g) {
  const Diagnostics d = check_route_graph(g);
  return d.errors.empty() ? "" : format_diagnostic("", d.errors.front());
}

}  // namespace

TEST(GraphCheck, AGoodGraphPassesAndRoundTrips) {
  const RouteGraph g = two_tracks();
  EXPECT_TRUE(check_route_graph(g).ok());
  EXPECT_TRUE(parse_route_map(write_route_map(g)).graph.has_value());
}

TEST(GraphCheck, NamesTheFieldAndTheNodeAsTheFileWouldHoldThem) {
  RouteGraph g = two_tracks();
  g.nodes[0].fader_db = 6160;
  EXPECT_EQ(first_error(g), "nodes[0].fader_db: 'Kick': 6160 dB is out of range (-inf..+24 dB)");
  g = two_tracks();
  g.nodes[0].fader_db = NAN;
  EXPECT_EQ(first_error(g), "nodes[0].fader_db: 'Kick': nan dB is out of range (-inf..+24 dB)");
  g = two_tracks();
  g.edges[1].level_db = 1e308;  // the send
  EXPECT_EQ(first_error(g).rfind("nodes[0].sends[0].level_db: 'Kick': ", 0), 0u) << first_error(g);
  g = two_tracks();
  g.nodes[1].plugins.push_back({"Verb", -5.0});
  EXPECT_EQ(first_error(g),
            "nodes[1].plugins[0].latency_samples: 'Verb': -5 samples is out of range "
            "(0..+1e+07 samples)");
  g = two_tracks();
  g.nodes[0].channel_count = 0;
  EXPECT_EQ(first_error(g), "nodes[0].channels: 'Kick': 0 is out of range (1..64)");
  g = two_tracks();
  g.session.tempo_bpm = -5;
  EXPECT_EQ(first_error(g).rfind("session.tempo_bpm: ", 0), 0u);
  g = two_tracks();
  g.nodes[0].name = " ";
  EXPECT_EQ(first_error(g), "nodes[0].name: is empty");
  g = two_tracks();
  g.nodes[0].measured.peak_dbfs = 1e30;
  EXPECT_EQ(first_error(g).rfind("nodes[0].measured.peak_dbfs: 'Kick': 1e+30 dBFS", 0), 0u);
}

// Whatever the checker lets through, the reader reads back: one rule set for both.
TEST(GraphCheck, EveryRuleItBreaksTheReaderRefusesToo) {
  std::vector<RouteGraph> bad;
  const auto with = [&](auto change) {
    RouteGraph g = two_tracks();
    change(g);
    bad.push_back(g);
  };
  with([](RouteGraph& g) { g.nodes[0].fader_db = 25; });
  with([](RouteGraph& g) { g.nodes[0].trim_db = -97; });
  with([](RouteGraph& g) { g.nodes[0].pan = 1.5; });
  with([](RouteGraph& g) { g.nodes[0].channel_count = 65; });
  with([](RouteGraph& g) { g.nodes[0].colour = "red"; });
  with([](RouteGraph& g) { g.nodes[0].source.average_dbfs = 49; });
  with([](RouteGraph& g) { g.nodes[1].plugins.push_back({"EQ", 0, 60}); });
  with([](RouteGraph& g) { g.session.sample_rate_hz = 100; });
  with([](RouteGraph& g) { g.edges[1].pan = -2; });
  with([](RouteGraph& g) { g.nodes[0].id = "verb"; });
  for (const RouteGraph& g : bad) {
    EXPECT_FALSE(check_route_graph(g).ok());
    EXPECT_FALSE(parse_route_map(write_route_map(g)).graph.has_value()) << write_route_map(g);
  }
}

}  // namespace routewise
