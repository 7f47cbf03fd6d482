#include "routewise/analysis/report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/graph_builder.hpp"
#include "routewise/analysis/analyze.hpp"

namespace routewise {
using testing::GraphBuilder;

namespace {
RouteGraph looped() {
  GraphBuilder b;
  b.node("fx", NodeKind::aux_return, "FX 1");
  b.send("fx", "fx", 0);
  return b.build();
}
}  // namespace

TEST(TextReport, GroupsBySeverityAndPrintsTheFix) {
  const RouteGraph g = looped();
  const std::string text = text_report(g, analyze(g));
  EXPECT_NE(text.find("ERROR (1)"), std::string::npos);
  EXPECT_NE(text.find("[feedback-loop]"), std::string::npos);
  EXPECT_NE(text.find("fix: remove the send from 'FX 1' to 'FX 1'"), std::string::npos);
  EXPECT_EQ(text.find("\033["), std::string::npos);  // plain unless asked
  EXPECT_NE(text_report(g, analyze(g), {true}).find("\033["), std::string::npos);
}

TEST(TextReport, SaysSoWhenThereAreNoFindings) {
  GraphBuilder b;
  b.track("a");
  const RouteGraph g = b.build();
  EXPECT_NE(text_report(g, {}).find("No findings."), std::string::npos);
}

TEST(JsonReport, CarriesRuleSeverityNodesEdgesFiguresAndFix) {
  const RouteGraph g = looped();
  const auto doc = nlohmann::json::parse(json_report(g, analyze(g)));
  EXPECT_EQ(doc["format"], "routewise-findings");
  EXPECT_EQ(doc["summary"]["error"], 1);
  const auto& f = doc["findings"][0];
  EXPECT_EQ(f["rule"], "feedback-loop");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["nodes"][0]["name"], "FX 1");
  EXPECT_EQ(f["edges"][0]["kind"], "send");
  EXPECT_TRUE(f["figures"].is_array());
  EXPECT_FALSE(f["fix"].get<std::string>().empty());
}

}  // namespace routewise
