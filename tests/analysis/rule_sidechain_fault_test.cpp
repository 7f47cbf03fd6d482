#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

namespace {
GraphBuilder kick_keys_bass(bool key_input, bool bypassed) {
  GraphBuilder b;
  b.node("kick", NodeKind::track, "Kick");
  b.node("bass", NodeKind::track, "Bass").plugins.push_back({"Comp", 0, 0, bypassed, key_input});
  b.sidechain("kick", "bass", "Comp");
  return b;
}
}  // namespace

TEST(SidechainFault, KeyIntoAPluginThatDoesNotExist) {
  GraphBuilder b = kick_keys_bass(true, false);
  b.graph().edges[0].plugin = "Gate";
  const auto f = findings_of(b.build(), "sidechain-fault");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::error);
}

TEST(SidechainFault, NoKeyInputOrBypassedDetector) {
  EXPECT_EQ(findings_of(kick_keys_bass(false, false).build(), "sidechain-fault").size(), 1u);
  EXPECT_EQ(findings_of(kick_keys_bass(true, true).build(), "sidechain-fault").size(), 1u);
}

TEST(SidechainFault, PostFaderKeyFollowsTheFaderAndMutedSourceCarriesNothing) {
  GraphBuilder b = kick_keys_bass(true, false);
  b.graph().edges[0].tap = TapPoint::post_fader;
  auto f = findings_of(b.build(), "sidechain-fault");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("post-fader"), std::string::npos);
  b.graph().nodes[0].mute = true;
  f = findings_of(b.build(), "sidechain-fault");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("carries no signal"), std::string::npos);
}

TEST(SidechainFault, PreFaderKeyIntoAnEnabledDetectorIsRight) {
  EXPECT_TRUE(findings_of(kick_keys_bass(true, false).build(), "sidechain-fault").empty());
}

}  // namespace routewise
