#include <gtest/gtest.h>

#include "../support/graph_builder.hpp"
#include "routewise/analysis/analyze.hpp"

namespace routewise {
using testing::GraphBuilder;

namespace {
std::vector<Finding> only(const std::vector<Finding>& all, std::string_view rule) {
  std::vector<Finding> out;
  for (const Finding& f : all)
    if (f.rule_id == rule) out.push_back(f);
  return out;
}
}  // namespace

TEST(FeedbackLoop, ReturnRoutedBackIntoTheBusThatFeedsItIsALoop) {
  GraphBuilder b;
  b.track("vox");
  b.node("vox_bus", NodeKind::bus, "Vox Bus");
  b.node("plate", NodeKind::aux_return, "Vox Plate");
  b.master();
  b.output("vox", "vox_bus");
  b.send("vox_bus", "plate", -8);
  b.output("plate", "vox_bus");
  b.output("vox_bus", "master");
  const auto findings = only(analyze(b.build()), "feedback-loop");
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.severity, Severity::error);
  EXPECT_EQ(f.nodes, (std::vector<std::string>{"vox_bus", "plate"}));
  EXPECT_EQ(f.edges.size(), 2u);
  EXPECT_NE(f.message.find("'Vox Bus' → 'Vox Plate' → 'Vox Bus'"), std::string::npos);
  EXPECT_EQ(f.fix, "remove the send from 'Vox Bus' to 'Vox Plate' to break the loop.");
}

TEST(FeedbackLoop, TreeShapedMixHasNoLoop) {
  GraphBuilder b;
  b.track("a");
  b.track("c");
  b.bus("bus");
  b.node("verb", NodeKind::aux_return);
  b.master();
  b.output("a", "bus");
  b.output("c", "bus");
  b.send("a", "verb", -10);
  b.output("verb", "master");
  b.output("bus", "master");
  EXPECT_TRUE(only(analyze(b.build()), "feedback-loop").empty());
}

TEST(FeedbackLoop, SidechainLoopIsNotAnAudioFeedbackLoop) {
  GraphBuilder b;
  b.track("kick").plugins.push_back({"Gate", 0, 0, false, true});
  b.track("bass").plugins.push_back({"Comp", 0, 0, false, true});
  b.sidechain("kick", "bass", "Comp");
  b.sidechain("bass", "kick", "Gate");
  EXPECT_TRUE(only(analyze(b.build()), "feedback-loop").empty());
}

TEST(FeedbackLoop, SelfSendSaysTheNodeFeedsItself) {
  GraphBuilder b;
  b.node("fx", NodeKind::aux_return, "FX 1");
  b.send("fx", "fx", 0);
  const auto findings = only(analyze(b.build()), "feedback-loop");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "'FX 1' feeds its own input; the loop will run away and oscillate.");
}

}  // namespace routewise
