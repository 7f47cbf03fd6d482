#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

namespace {
RouteGraph sends(TapPoint to_reverb, TapPoint to_cue) {
  GraphBuilder b;
  b.node("vox", NodeKind::track, "Lead Vox");
  b.node("plate", NodeKind::aux_return, "Vox Plate");
  b.node("cue", NodeKind::cue_mix, "Singer Cue");
  b.send("vox", "plate", -8, to_reverb);
  b.send("vox", "cue", -3, to_cue);
  return b.build();
}
}  // namespace

TEST(SendTapMisuse, PreFaderIntoAMixReverbAndPostFaderIntoACue) {
  const auto f = findings_of(sends(TapPoint::pre_fader, TapPoint::post_fader), "send-tap-misuse");
  ASSERT_EQ(f.size(), 2u);
  // Stable order: by node ids, so the cue ("cue") comes before the plate ("plate").
  EXPECT_EQ(f[0].fix, "switch the send from 'Lead Vox' to 'Singer Cue' to pre-fader.");
  EXPECT_EQ(f[1].fix, "switch the send from 'Lead Vox' to 'Vox Plate' to post-fader.");
}

TEST(SendTapMisuse, PostFaderReverbAndPreFaderCueAreRight) {
  EXPECT_TRUE(
      findings_of(sends(TapPoint::post_fader, TapPoint::pre_fader), "send-tap-misuse").empty());
}

}  // namespace routewise
