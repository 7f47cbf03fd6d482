#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

namespace {
RouteGraph reverb_send(const std::string& source, double level_db,
                       const std::string& ret = "Plate") {
  GraphBuilder b;
  b.node("src", NodeKind::track, source);
  b.node("ret", NodeKind::aux_return, ret);
  b.send("src", "ret", level_db);
  return b.build();
}
}  // namespace

TEST(SendLevelRange, VocalSendAtMinusTwentyIsOutsideMinusTenToMinusSeven) {
  const auto f = findings_of(reverb_send("Lead Vox", -20), "send-level-range");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::info);
  EXPECT_EQ(testing::figure(f[0], "send level")->limit, "-10..-7 dB");
}

TEST(SendLevelRange, TypicalLevelsAndNonReverbReturnsAreQuiet) {
  EXPECT_TRUE(findings_of(reverb_send("Lead Vox", -8), "send-level-range").empty());
  EXPECT_TRUE(findings_of(reverb_send("Bass", -12), "send-level-range").empty());
  EXPECT_TRUE(findings_of(reverb_send("Lead Vox", -20, "Slap Delay"), "send-level-range").empty());
}

TEST(SendLevelRange, BassUsesItsOwnRange) {
  EXPECT_EQ(findings_of(reverb_send("Bass", -8), "send-level-range").size(), 1u);
}

}  // namespace routewise
