#include "routewise/analysis/analyze.hpp"

#include <gtest/gtest.h>

#include <set>

#include "../support/graph_builder.hpp"
#include "routewise/analysis/rule.hpp"

namespace routewise {
using testing::GraphBuilder;

TEST(GlobMatch, StarsAndQuestionMarks) {
  EXPECT_TRUE(glob_match("Vox*", "Vox Plate"));
  EXPECT_TRUE(glob_match("*Plate", "Vox Plate"));
  EXPECT_TRUE(glob_match("V?x*", "Vox"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("Vox*", "Lead Vox"));
  EXPECT_FALSE(glob_match("a?c", "ac"));
  EXPECT_TRUE(glob_match("*a*b*c*", "xxaxxbxxcxx"));
}

namespace {
RouteGraph two_loops() {
  GraphBuilder b;
  b.node("a", NodeKind::bus, "Vox Bus");
  b.node("b", NodeKind::bus, "Drum Bus");
  b.send("a", "a");
  b.send("b", "b");
  return b.build();
}
}  // namespace

TEST(Analyze, IgnoreByRuleAndNodeNameGlob) {
  AnalysisConfig config;
  EXPECT_EQ(analyze(two_loops(), config).size(), 2u);
  config.ignore = {"feedback-loop:Vox*"};
  const auto findings = analyze(two_loops(), config);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].nodes.front(), "b");
  config.ignore = {"feedback-loop"};
  EXPECT_TRUE(analyze(two_loops(), config).empty());
}

TEST(Analyze, DisabledRuleDoesNotRun) {
  AnalysisConfig config;
  config.disabled_rules = {"feedback-loop"};
  EXPECT_TRUE(analyze(two_loops(), config).empty());
}

TEST(Analyze, FindingsAreInAStableOrder) {
  const auto first = analyze(two_loops());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(analyze(two_loops()), first);
  EXPECT_EQ(first[0].nodes.front(), "a");
}

TEST(RuleRegistry, EveryRuleHasAUniqueIdAndItsThresholdsResolve) {
  std::set<std::string_view> ids;
  const GraphBuilder empty;
  const RouteGraph g;
  const GraphIndex index(g);
  const std::map<std::string, double> none;
  for (const Rule& rule : all_rules()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    EXPECT_EQ(find_rule(rule.id), &rule);
    const RuleContext context(index, rule.id, none, rule.thresholds);
    for (const Threshold& t : rule.thresholds)
      EXPECT_DOUBLE_EQ(context.threshold(t.key), t.default_value) << rule.id << "." << t.key;
  }
  EXPECT_EQ(find_rule("no-such-rule"), nullptr);
}

}  // namespace routewise
