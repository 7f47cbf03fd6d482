#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

namespace {
RouteGraph session_with_click(const std::string& click_target) {
  GraphBuilder b;
  b.node("vox", NodeKind::track, "Vox").stem = "VOX";
  b.node("click", NodeKind::track, "Click");
  b.node("vox_stem", NodeKind::stem_bus, "VOX STEM");
  b.node("cue", NodeKind::cue_mix, "Cue");
  b.master();
  b.stem("VOX", "vox_stem");
  b.output("vox", "vox_stem");
  b.output("vox_stem", "master");
  b.output("click", click_target);
  return b.build();
}
}  // namespace

TEST(UnstemmedSource, TrackStraightToMasterIsInNoStem) {
  const auto f = findings_of(session_with_click("master"), "unstemmed-source");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].nodes, std::vector<std::string>{"click"});
  EXPECT_NE(f[0].fix.find("VOX"), std::string::npos);
}

TEST(UnstemmedSource, CueOnlyTrackAndTrackInsideAStemAreFine) {
  EXPECT_TRUE(findings_of(session_with_click("cue"), "unstemmed-source").empty());
  EXPECT_TRUE(findings_of(session_with_click("vox_stem"), "unstemmed-source").empty());
}

TEST(UnstemmedSource, SessionWithoutStemsHasNothingToSay) {
  GraphBuilder b;
  b.track("a");
  b.master();
  b.output("a", "master");
  EXPECT_TRUE(findings_of(b.build(), "unstemmed-source").empty());
}

}  // namespace routewise
