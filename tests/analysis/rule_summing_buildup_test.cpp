#include <gtest/gtest.h>

#include <cmath>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::figure;
using testing::findings_of;
using testing::GraphBuilder;

namespace {
RouteGraph bus_with(int count, double level_dbfs) {
  GraphBuilder b;
  for (int i = 0; i < count; ++i) {
    Node& t = b.track("t" + std::to_string(i));
    t.source.average_dbfs = level_dbfs;
    b.output(t.id, "bus");
  }
  b.node("bus", NodeKind::bus, "Drum Bus");
  return b.build();
}
}  // namespace

TEST(SummingBuildup, EightTracksAtMinusTwelveApproachZero) {
  const auto f = findings_of(bus_with(8, -12), "summing-buildup");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NEAR(figure(f[0], "build-up")->value, 10 * std::log10(8.0), 1e-9);
  EXPECT_DOUBLE_EQ(figure(f[0], "inputs")->value, 8);
  EXPECT_NE(f[0].fix.find("trim"), std::string::npos);
}

TEST(SummingBuildup, QuietSumOrOneLoudInputIsNotBuildup) {
  EXPECT_TRUE(findings_of(bus_with(8, -24), "summing-buildup").empty());
  EXPECT_TRUE(findings_of(bus_with(1, -3), "summing-buildup").empty());
}

}  // namespace routewise
