#include "routewise/model/graph_order.hpp"

#include <gtest/gtest.h>

#include "../../support/graph_builder.hpp"

namespace routewise {
using testing::GraphBuilder;

TEST(TopologicalOrder, SourcesComeBeforeTheBusesTheyFeed) {
  GraphBuilder b;
  b.master();
  b.bus("drums");
  b.track("kick");
  b.track("snare");
  b.output("kick", "drums");
  b.output("snare", "drums");
  b.output("drums", "master");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const auto result = topological_order(index, EdgeFilter::audio());
  ASSERT_TRUE(result.cycles.empty());
  ASSERT_EQ(result.order.size(), 4u);
  std::vector<std::size_t> position(4);
  for (std::size_t i = 0; i < 4; ++i) position[result.order[i]] = i;
  EXPECT_LT(position[*index.find("kick")], position[*index.find("drums")]);
  EXPECT_LT(position[*index.find("drums")], position[*index.find("master")]);
}

TEST(TopologicalOrder, ReportsACycleWithItsEdgesInOrder) {
  GraphBuilder b;
  b.track("vox");
  b.bus("vox_bus");
  b.node("plate", NodeKind::aux_return);
  b.master();
  b.output("vox", "vox_bus");
  b.send("vox_bus", "plate", -8);
  b.output("plate", "vox_bus");
  b.output("vox_bus", "master");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const auto result = topological_order(index, EdgeFilter::audio());
  ASSERT_EQ(result.cycles.size(), 1u);
  const Cycle& c = result.cycles[0];
  ASSERT_EQ(c.nodes.size(), 2u);
  EXPECT_EQ(c.nodes[0], *index.find("vox_bus"));
  for (std::size_t i = 0; i < c.edges.size(); ++i) {
    EXPECT_EQ(index.from(c.edges[i]), c.nodes[i]);
    EXPECT_EQ(index.to(c.edges[i]), c.nodes[(i + 1) % c.nodes.size()]);
  }
  EXPECT_EQ(result.order.size(), 2u);  // vox and master
}

TEST(TopologicalOrder, SelfSendIsACycleOfOne) {
  GraphBuilder b;
  b.node("fx", NodeKind::aux_return);
  b.send("fx", "fx");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const auto result = topological_order(index, EdgeFilter::audio());
  ASSERT_EQ(result.cycles.size(), 1u);
  EXPECT_EQ(result.cycles[0].edges.size(), 1u);
}

TEST(TopologicalOrder, SidechainOnlyLoopIsNotAnAudioCycle) {
  GraphBuilder b;
  b.track("kick");
  b.track("bass");
  b.sidechain("kick", "bass", "Comp");
  b.sidechain("bass", "kick", "Gate");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  EXPECT_TRUE(topological_order(index, EdgeFilter::audio()).cycles.empty());
  EXPECT_EQ(topological_order(index, EdgeFilter::all()).cycles.size(), 1u);
}

TEST(TopologicalOrder, LongChainDoesNotRecurse) {
  GraphBuilder b;
  const int n = 200000;
  for (int i = 0; i < n; ++i) b.bus("n" + std::to_string(i));
  for (int i = 0; i + 1 < n; ++i) b.output("n" + std::to_string(i), "n" + std::to_string(i + 1));
  b.output("n" + std::to_string(n - 1), "n0");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const auto result = topological_order(index, EdgeFilter::audio());
  ASSERT_EQ(result.cycles.size(), 1u);
  EXPECT_EQ(result.cycles[0].nodes.size(), static_cast<std::size_t>(n));
}

TEST(CyclicComponents, TwoSeparateLoopsAreTwoComponents) {
  GraphBuilder b;
  for (const char* id : {"a", "b", "c", "d"}) b.bus(id);
  b.output("a", "b");
  b.output("b", "a");
  b.output("c", "d");
  b.send("d", "c");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  EXPECT_EQ(cyclic_components(index, EdgeFilter::audio()).size(), 2u);
}

}  // namespace routewise
