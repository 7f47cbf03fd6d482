// The example sessions shipped in resources/sessions load cleanly and hold what their README says.
#include <gtest/gtest.h>

#include "../../support/example_session.hpp"
#include "routewise/model/graph_order.hpp"
#include "routewise/model/route_map_json.hpp"

namespace routewise {
namespace {

RouteGraph load(const std::string& name) {
  return testing::load_example(name);
}

std::size_t count(const RouteGraph& g, NodeKind kind) {
  return static_cast<std::size_t>(
      std::count_if(g.nodes.begin(), g.nodes.end(), [&](const Node& n) { return n.kind == kind; }));
}

}  // namespace

TEST(ExampleSessions, PopSessionHasTwentyFourTracksThreeReturnsFiveStemsAndAHardwareInsert) {
  for (const char* name : {"pop-song-faulty.json", "pop-song-clean.json"}) {
    const RouteGraph g = load(name);
    EXPECT_EQ(count(g, NodeKind::track), 24u) << name;
    EXPECT_EQ(count(g, NodeKind::aux_return), 3u) << name;
    EXPECT_EQ(count(g, NodeKind::stem_bus), 5u) << name;
    EXPECT_EQ(count(g, NodeKind::hardware_insert), 1u) << name;
    EXPECT_EQ(g.session.stems.size(), 5u) << name;
    const GraphIndex index(g);
    EXPECT_TRUE(topological_order(index, EdgeFilter::audio()).cycles.empty()) << name;
  }
}

TEST(ExampleSessions, TwinsDifferOnlyInTheirDocumentedFaults) {
  RouteGraph faulty = load("pop-song-faulty.json");
  RouteGraph clean = load("pop-song-clean.json");
  EXPECT_EQ(faulty.nodes.size(), clean.nodes.size());
  EXPECT_EQ(faulty.edges.size(), clean.edges.size());
  std::size_t differing_nodes = 0;
  for (std::size_t i = 0; i < faulty.nodes.size(); ++i)
    differing_nodes += !(faulty.nodes[i] == clean.nodes[i]);
  // drum levels (10 tracks), Drum Bus fader pulled down to hide them, Drum Crush PDC
  EXPECT_EQ(differing_nodes, 12u);
  std::size_t differing_edges = 0;
  for (std::size_t i = 0; i < faulty.edges.size(); ++i)
    differing_edges += !(faulty.edges[i] == clean.edges[i]);
  EXPECT_EQ(differing_edges, 2u);  // Vox Plate output, Lead Vox send tap
}

TEST(ExampleSessions, FileWrittenBackIsStableUnderASecondRoundTrip) {
  const RouteGraph g = load("pop-song-faulty.json");
  const std::string once = write_route_map(g);
  const auto again = parse_route_map(once);
  ASSERT_TRUE(again.graph);
  EXPECT_EQ(*again.graph, g);
  EXPECT_EQ(write_route_map(*again.graph), once);
}

}  // namespace routewise

namespace routewise {

TEST(FormatDocument, CompleteExampleInTheDocsIsValidAndUsesNoUnknownField) {
  const auto doc = read_text_file(std::string(ROUTEWISE_SOURCE_DIR) + "/docs/route-map-format.md",
                                  max_input_file_bytes);
  ASSERT_TRUE(doc.content);
  const std::string& text = *doc.content;
  const auto start = text.rfind("```json\n");
  ASSERT_NE(start, std::string::npos);
  const auto end = text.find("```", start + 8);
  const auto load = parse_route_map(text.substr(start + 8, end - start - 8));
  ASSERT_TRUE(load.graph) << load.diagnostics.errors.front().where << ": "
                          << load.diagnostics.errors.front().message;
  EXPECT_TRUE(load.diagnostics.warnings.empty());
  EXPECT_EQ(load.graph->edges.size(), 8u);
}

}  // namespace routewise
