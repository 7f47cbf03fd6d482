#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::figure;
using testing::findings_of;
using testing::GraphBuilder;

TEST(DoubleRouting, OutputToBusAndAlsoToMaster) {
  GraphBuilder b;
  b.node("gtr", NodeKind::track, "Gtr");
  b.node("bus", NodeKind::bus, "Gtr Bus");
  b.master();
  b.output("gtr", "bus");
  b.output("gtr", "master");
  b.output("bus", "master");
  const auto f = findings_of(b.build(), "double-routing");
  ASSERT_EQ(f.size(), 1u);  // only where the branches meet, not again downstream
  EXPECT_NEAR(figure(f[0], "coherent build-up")->value, 6.02, 0.01);
  EXPECT_NE(f[0].fix.find("remove the extra output"), std::string::npos);
}

TEST(DoubleRouting, SendIntoTheBusTheTrackAlreadyFeeds) {
  GraphBuilder b;
  b.node("kick", NodeKind::track, "Kick");
  b.node("bus", NodeKind::bus, "Drum Bus");
  b.output("kick", "bus");
  b.send("kick", "bus", -6);
  const auto f = findings_of(b.build(), "double-routing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].fix,
            "remove the send from 'Kick' to 'Drum Bus': it already reaches it through its output.");
}

TEST(DoubleRouting, ReverbSendAndParallelCompressionAreNotDoubleRouting) {
  GraphBuilder b;
  b.track("vox");
  b.node("plate", NodeKind::aux_return);
  b.bus("crush");
  b.master();
  b.output("vox", "master");
  b.send("vox", "plate", -8);
  b.send("vox", "crush", 0);
  b.output("plate", "master");
  b.output("crush", "master");
  EXPECT_TRUE(findings_of(b.build(), "double-routing").empty());
}

}  // namespace routewise
