#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

namespace {
RouteGraph two_stems(bool guitar_sends_to_vocal_reverb) {
  GraphBuilder b;
  b.node("vox", NodeKind::track, "Vox").stem = "VOX";
  b.node("gtr", NodeKind::track, "Gtr").stem = "GTR";
  b.node("plate", NodeKind::aux_return, "Vox Plate").stem = "VOX";
  b.node("vox_stem", NodeKind::stem_bus, "VOX STEM");
  b.node("gtr_stem", NodeKind::stem_bus, "GTR STEM");
  b.master();
  b.stem("VOX", "vox_stem");
  b.stem("GTR", "gtr_stem");
  b.output("vox", "vox_stem");
  b.send("vox", "plate", -8);
  b.output("plate", "vox_stem");
  b.output("gtr", "gtr_stem");
  if (guitar_sends_to_vocal_reverb) b.send("gtr", "plate", -12);
  b.output("vox_stem", "master");
  b.output("gtr_stem", "master");
  return b.build();
}
}  // namespace

TEST(StemOverlap, GuitarSentToTheVocalReverbLandsInTwoStems) {
  const auto f = findings_of(two_stems(true), "stem-overlap");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].nodes, std::vector<std::string>{"gtr"});
  EXPECT_DOUBLE_EQ(testing::figure(f[0], "stem buses reached")->value, 2);
}

TEST(StemOverlap, SeparateStemsDoNotOverlap) {
  EXPECT_TRUE(findings_of(two_stems(false), "stem-overlap").empty());
}

}  // namespace routewise
