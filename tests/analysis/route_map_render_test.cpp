#include "routewise/analysis/route_map_render.hpp"

#include <gtest/gtest.h>

#include "routewise/model/route_map_json.hpp"

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

namespace routewise {

// Found by fuzz_writers: a name with a carriage return (from a session file) reached the Markdown
// report raw, breaking its table and any terminal it is shown in. Control characters are shown.
TEST(MarkdownReport, ControlCharactersInNamesAreShownNotWritten) {
  RouteGraph g = small_session();
  g.session.name = "Mix\x1b]0;pwned\x07";
  g.nodes.front().name = "Sn\rare";
  const std::string md = markdown_report(g, analyze(g), "map.svg");
  for (char c : md) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_FALSE((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) << static_cast<int>(u);
  }
  EXPECT_NE(md.find("Mix\\x1b]0;pwned\\x07"), std::string::npos);
  // The fuzzer's own input: the faulty example with "Snare Bottom" cut by a carriage return.
  const FileRead file =
      read_text_file(std::string(ROUTEWISE_SOURCE_DIR) +
                         "/tests/fuzz/regressions/writers-carriage-return-in-a-name.json",
                     max_input_file_bytes);
  ASSERT_TRUE(file.content) << file.error;
  const RouteMapLoad load = parse_route_map(*file.content);
  ASSERT_TRUE(load.graph);
  const std::string fuzzed = markdown_report(*load.graph, analyze(*load.graph), "map.svg");
  EXPECT_NE(fuzzed.find("Sn\\x0de Bottom"), std::string::npos);
  EXPECT_EQ(fuzzed.find('\r'), std::string::npos);
}

}  // namespace routewise
