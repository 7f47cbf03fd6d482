#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::figure;
using testing::findings_of;
using testing::GraphBuilder;

namespace {
RouteGraph insert_on(NodeKind host_kind, const std::string& host_name,
                     std::optional<double> latency) {
  GraphBuilder b;
  b.node("host", host_kind, host_name);
  b.node("unit", NodeKind::hardware_insert, "1176");
  b.master();
  Edge& e = b.insert("host", "unit", latency.value_or(0), true);
  e.latency_samples = latency;
  b.output("unit", "master");
  return b.build();
}
}  // namespace

TEST(InsertLatencyBudget, ThreeMillisecondsIsTooMuchOnTheMixBus) {
  const auto f = findings_of(insert_on(NodeKind::bus, "Mix Bus", 144), "insert-latency-budget");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::warning);
  EXPECT_DOUBLE_EQ(figure(f[0], "round trip", "ms")->value, 3.0);
  EXPECT_EQ(figure(f[0], "round trip", "ms")->limit, "<= 2 ms");
}

TEST(InsertLatencyBudget, ThreeMillisecondsIsFineOnAVocalButNotFiveOnADrum) {
  EXPECT_TRUE(
      findings_of(insert_on(NodeKind::track, "Lead Vox", 144), "insert-latency-budget").empty());
  const auto f = findings_of(insert_on(NodeKind::track, "Snare", 240), "insert-latency-budget");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(figure(f[0], "round trip", "ms")->limit, "<= 4 ms");
}

TEST(InsertLatencyBudget, UnmeasuredInsertIsAnInfoToMeasureIt) {
  const auto f =
      findings_of(insert_on(NodeKind::track, "Vox", std::nullopt), "insert-latency-budget");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::info);
}

}  // namespace routewise
