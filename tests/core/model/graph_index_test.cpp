#include "routewise/model/graph_index.hpp"

#include <gtest/gtest.h>

#include "../../support/graph_builder.hpp"

namespace routewise {
using testing::GraphBuilder;

TEST(GraphIndex, SuccessorsAndPredecessorsFollowOnlyTheRequestedEdgeKinds) {
  GraphBuilder b;
  b.track("kick");
  b.track("bass");
  b.bus("drums");
  b.node("verb", NodeKind::aux_return);
  b.master();
  b.output("kick", "drums");
  b.send("kick", "verb", -10);
  b.sidechain("kick", "bass", "Comp");
  b.output("drums", "master");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const NodeIndex kick = *index.find("kick");
  EXPECT_EQ(successors(index, kick, EdgeFilter::audio()).size(), 2u);
  EXPECT_EQ(successors(index, kick, EdgeFilter::only(EdgeKind::sidechain)),
            std::vector<NodeIndex>{*index.find("bass")});
  EXPECT_EQ(predecessors(index, *index.find("master"), EdgeFilter::all()),
            std::vector<NodeIndex>{*index.find("drums")});
  EXPECT_FALSE(index.find("nope"));
}

TEST(GraphIndex, DuplicateEdgesYieldOneNeighbour) {
  GraphBuilder b;
  b.track("a");
  b.bus("b");
  b.output("a", "b");
  b.send("a", "b");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  EXPECT_EQ(successors(index, 0, EdgeFilter::all()).size(), 1u);
  EXPECT_EQ(index.out_edges(0).size(), 2u);
}

TEST(GraphIndex, EdgesToUnknownNodesAreLeftOut) {
  GraphBuilder b;
  b.track("a");
  b.output("a", "ghost");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  EXPECT_TRUE(index.out_edges(0).empty());
  EXPECT_EQ(index.from(0), no_node);
}

TEST(GraphIndex, ReachabilityBothWays) {
  GraphBuilder b;
  b.track("a");
  b.bus("b");
  b.master();
  b.track("lonely");
  b.output("a", "b");
  b.output("b", "master");
  const RouteGraph g = b.build();
  const GraphIndex index(g);
  const auto down = reachable_from(index, 0, EdgeFilter::audio());
  EXPECT_TRUE(down[2]);
  EXPECT_FALSE(down[3]);
  const auto up = reaching(index, 2, EdgeFilter::audio());
  EXPECT_TRUE(up[0]);
  EXPECT_FALSE(up[3]);
}

}  // namespace routewise
