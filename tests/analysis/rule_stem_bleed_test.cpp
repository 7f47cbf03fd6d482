#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

namespace {
// Lead vox with a plate reverb; the plate returns to `plate_target`.
RouteGraph vocal_stem(const std::string& plate_target) {
  GraphBuilder b;
  b.node("vox", NodeKind::track, "Lead Vox").stem = "VOX";
  b.node("plate", NodeKind::aux_return, "Vox Plate").stem = "VOX";
  b.node("vox_stem", NodeKind::stem_bus, "VOX STEM").stem = "VOX";
  b.node("gtr", NodeKind::track, "Gtr").stem = "GTR";
  b.node("gtr_stem", NodeKind::stem_bus, "GTR STEM").stem = "GTR";
  b.master();
  b.stem("VOX", "vox_stem");
  b.stem("GTR", "gtr_stem");
  b.output("vox", "vox_stem");
  b.send("vox", "plate", -8);
  b.output("plate", plate_target);
  b.output("vox_stem", "master");
  b.output("gtr", "gtr_stem");
  b.output("gtr_stem", "master");
  return b.build();
}
}  // namespace

TEST(StemBleed, ReverbReturnOnMasterBleedsVocalStem) {
  const auto f = findings_of(vocal_stem("master"), "stem-bleed");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::error);
  EXPECT_EQ(f[0].nodes, (std::vector<std::string>{"vox", "plate", "master"}));
  EXPECT_EQ(f[0].fix, "route 'Vox Plate' output to 'VOX STEM' instead of 'Master'.");
  EXPECT_DOUBLE_EQ(testing::figure(f[0], "stem sources leaking")->value, 1);
}

TEST(StemBleed, ReverbReturnIntoAnotherStemBleedsToo) {
  const auto f = findings_of(vocal_stem("gtr_stem"), "stem-bleed");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("feeds 'GTR STEM'"), std::string::npos);
}

TEST(StemBleed, ReturnIntoItsOwnStemIsClean) {
  EXPECT_TRUE(findings_of(vocal_stem("vox_stem"), "stem-bleed").empty());
}

TEST(StemBleed, UntaggedSubmixThatFeedsTheStemBusIsClean) {
  GraphBuilder b;
  b.node("vox", NodeKind::track, "Vox").stem = "VOX";
  b.bus("comp_bus");
  b.node("vox_stem", NodeKind::stem_bus, "VOX STEM");
  b.master();
  b.stem("VOX", "vox_stem");
  b.output("vox", "comp_bus");
  b.output("comp_bus", "vox_stem");
  b.output("vox_stem", "master");
  EXPECT_TRUE(findings_of(b.build(), "stem-bleed").empty());
}

}  // namespace routewise
