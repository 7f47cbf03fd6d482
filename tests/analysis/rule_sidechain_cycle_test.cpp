#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

TEST(SidechainCycle, KeyFromADownstreamBusBackIntoItsOwnSourceIsALoop) {
  GraphBuilder b;
  b.track("kick").plugins.push_back({"Gate", 0, 0, false, true});
  b.bus("drums");
  b.master();
  b.output("kick", "drums");
  b.output("drums", "master");
  b.sidechain("drums", "kick", "Gate");
  const auto f = findings_of(b.build(), "sidechain-cycle");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::warning);
  EXPECT_EQ(f[0].nodes, (std::vector<std::string>{"drums", "kick"}));
  EXPECT_EQ(f[0].edges.size(), 2u);
  EXPECT_EQ(f[0].edges[0].kind, EdgeKind::sidechain);
}

TEST(SidechainCycle, KickKeyingTheBassIsNoLoop) {
  GraphBuilder b;
  b.track("kick");
  b.track("bass").plugins.push_back({"Comp", 0, 0, false, true});
  b.master();
  b.output("kick", "master");
  b.output("bass", "master");
  b.sidechain("kick", "bass", "Comp");
  EXPECT_TRUE(findings_of(b.build(), "sidechain-cycle").empty());
}

TEST(SidechainCycle, PureAudioLoopIsLeftToFeedbackLoop) {
  GraphBuilder b;
  b.bus("a");
  b.bus("c");
  b.output("a", "c");
  b.output("c", "a");
  EXPECT_TRUE(findings_of(b.build(), "sidechain-cycle").empty());
}

}  // namespace routewise
