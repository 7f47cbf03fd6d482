#include "routewise/analysis/route_map_render.hpp"

#include <gtest/gtest.h>

#include "../support/graph_builder.hpp"
#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/report.hpp"

namespace routewise {
using testing::GraphBuilder;

namespace {
RouteGraph small_session() {
  GraphBuilder b;
  b.node("vox", NodeKind::track, "Lead \"Vox\"").stem = "VOX";
  b.node("plate", NodeKind::aux_return, "Plate").stem = "VOX";
  b.node("stem", NodeKind::stem_bus, "VOCALS").stem = "VOX";
  b.node("unit", NodeKind::hardware_insert, "1176");
  b.master();
  b.stem("VOX", "stem");
  b.output("vox", "stem");
  b.send("vox", "plate", -8);
  b.output("plate", "master");  // a stem-bleed finding to draw in red
  b.insert("stem", "unit", 96, false);
  b.output("unit", "master");
  return b.build();
}
}  // namespace

TEST(RouteMapDot, EdgeStylesClustersAndFindingsInRed) {
  const RouteGraph g = small_session();
  const std::string dot = route_map_dot(g, analyze(g));
  EXPECT_NE(dot.find("rankdir=LR"), std::string::npos);
  EXPECT_NE(dot.find("subgraph cluster_0"), std::string::npos);
  EXPECT_NE(dot.find("label=\"VOX stem\""), std::string::npos);
  EXPECT_NE(dot.find("Lead \\\"Vox\\\""), std::string::npos);
  EXPECT_NE(dot.find("style=dashed, label=\"-8.0 dB post-fader\""), std::string::npos);
  EXPECT_NE(dot.find("insert 96 smp\\n2.00 ms uncomp."), std::string::npos);
  EXPECT_NE(dot.find("\"plate\" -> \"master\" [style=solid, color=red"), std::string::npos);
}

TEST(RouteMapRender, SvgAndPngThroughLinkedGraphviz) {
  const std::string dot = route_map_dot(small_session());
  const Rendered svg = render_dot(dot, "svg");
  ASSERT_TRUE(svg.data) << svg.error;
  EXPECT_NE(svg.data->find("<svg"), std::string::npos);
  EXPECT_NE(svg.data->find("VOCALS"), std::string::npos);
  const Rendered png = render_dot(dot, "png");
  ASSERT_TRUE(png.data) << png.error;
  EXPECT_EQ(png.data->substr(1, 3), "PNG");
  EXPECT_FALSE(render_dot(dot, "gif").data);
  EXPECT_FALSE(render_dot("digraph { this is not dot", "svg").data);
}

TEST(MarkdownReport, HasEverySectionAndTheImage) {
  const RouteGraph g = small_session();
  const std::string md = markdown_report(g, analyze(g), "map.svg");
  for (const char* section : {"# Routing report", "## Session", "## Findings", "## Stems",
                              "## Buses", "## Latency", "![Route map of test](map.svg)"})
    EXPECT_NE(md.find(section), std::string::npos) << section;
  EXPECT_NE(md.find("| stem | hardware insert → unit | 96 | 2.00 | **no** |"), std::string::npos);
  EXPECT_NE(md.find("`stem-bleed`"), std::string::npos);
}

}  // namespace routewise
