// What a control surface shows of the findings: LCD markers and overload LEDs.
#include "routewise/analysis/surface_findings.hpp"

#include <gtest/gtest.h>

namespace routewise {
namespace {

Finding finding(std::string rule, std::vector<std::string> nodes) {
  Finding f;
  f.rule_id = std::move(rule);
  f.nodes = std::move(nodes);
  return f;
}

TEST(SurfaceFindings, MarkersFitACellAndTheFirstFindingOfANodeWins) {
  EXPECT_EQ(finding_marker("stem-bleed"), "!STEM");
  EXPECT_EQ(finding_marker("feedback-loop"), "!FEEDB");  // six characters at most
  EXPECT_EQ(finding_marker("orphan"), "!ORPHA");
  const SurfaceFindings shown = surface_findings(
      {finding("gain-staging", {"drum_bus"}), finding("stem-bleed", {"plate", "drum_bus"})});
  EXPECT_EQ(shown.markers.at("drum_bus"), "!GAIN");
  EXPECT_EQ(shown.markers.at("plate"), "!STEM");
  EXPECT_EQ(shown.overloads, std::set<std::string>{"drum_bus"});
  EXPECT_TRUE(surface_findings({}).markers.empty());
}

}  // namespace
}  // namespace routewise
