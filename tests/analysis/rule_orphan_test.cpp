#include <gtest/gtest.h>

#include <set>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

TEST(Orphan, TrackWithoutOutputReturnWithoutSendsEmptyBusUnusedOutput) {
  GraphBuilder b;
  b.node("t", NodeKind::track, "Lost Track");
  b.node("r", NodeKind::aux_return, "Unused Verb");
  b.node("bus", NodeKind::bus, "Empty Bus");
  b.node("out", NodeKind::hardware_output, "Out 7-8");
  b.master();
  b.output("r", "master");
  b.output("bus", "master");
  const auto f = findings_of(b.build(), "orphan");
  ASSERT_EQ(f.size(), 4u);
  std::set<std::string> nodes;
  for (const Finding& x : f) nodes.insert(x.nodes.front());
  EXPECT_EQ(nodes, (std::set<std::string>{"t", "r", "bus", "out"}));
  for (const Finding& x : f)
    EXPECT_EQ(x.severity, x.nodes.front() == "out" ? Severity::info : Severity::warning);
}

TEST(Orphan, ConnectedSessionHasNoOrphans) {
  GraphBuilder b;
  b.track("t");
  b.node("r", NodeKind::aux_return);
  b.master();
  b.node("out", NodeKind::hardware_output);
  b.output("t", "master");
  b.send("t", "r", -10);
  b.output("r", "master");
  b.output("master", "out");
  EXPECT_TRUE(findings_of(b.build(), "orphan").empty());
}

}  // namespace routewise
