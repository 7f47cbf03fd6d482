#include <gtest/gtest.h>
#include <zip.h>

#include "../../support/temp_dir.hpp"
#include "import_test_support.hpp"

namespace routewise {
using namespace routewise::testing;

namespace {

// A zip built in memory with libzip: member name -> contents.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  TempDir dir;
  const auto path = dir / "test.zip";
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  for (const auto& [name, content] : members) {
    zip_source_t* s = zip_source_buffer(z, content.data(), content.size(), 0);
    zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8);
  }
  zip_close(z);
  return read_bytes(path);
}

}  // namespace

TEST(ImportDawproject, BitwigCanonMatchesItsHandCheckedRouteMap) {
  const auto r = import_session_file(fixture("dawproject/bitwig5.1.6-canon-fx-send.dawproject"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(r.format, SessionFormat::dawproject_zip);
  EXPECT_EQ(*r.graph, expected("bitwig-canon.json"));
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::track), 2u);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::aux_return), 1u);
  EXPECT_EQ(count_edges(*r.graph, EdgeKind::send), 3u);
  EXPECT_NEAR(node_named(*r.graph, "canon_guitar_150bpm")->fader_db, -10.0, 1e-4);
  EXPECT_TRUE(has_note(r, "'FX 1' sends to itself"));
}

TEST(ImportDawproject, PlainProjectXmlGivesTheSameGraph) {
  const auto xml = import_session_file(fixture("dawproject/bitwig5.1.6-canon-project.xml"));
  ASSERT_TRUE(xml.graph) << first_error(xml);
  EXPECT_EQ(xml.format, SessionFormat::dawproject_xml);
  RouteGraph g = *xml.graph;
  g.session.name = expected("bitwig-canon.json").session.name;  // the name comes from the file name
  EXPECT_EQ(g, expected("bitwig-canon.json"));
}

TEST(ImportDawproject, LegacyJsonPrototypeIsRejectedClearly) {
  const auto r = import_session_file(fixture("dawproject/bitwig-legacy-0.1-json-sends.dawproject"));
  EXPECT_FALSE(r.graph);
  EXPECT_NE(first_error(r).find("obsolete DAWproject 0.1 JSON prototype"), std::string::npos);
}

TEST(ImportDawproject, ZipBombIsRefusedBeforeInflating) {
  const std::string huge(65u * 1024 * 1024, ' ');
  const std::string bomb = make_zip({{"project.xml", huge}});
  ASSERT_LT(bomb.size(), 1024u * 1024);  // it compresses to almost nothing
  const auto r = import_dawproject_zip(bomb, "bomb");
  EXPECT_FALSE(r.graph);
  EXPECT_NE(first_error(r).find("more than the 64 MB limit"), std::string::npos) << first_error(r);
}

TEST(ImportDawproject, ZipSlipMembersAreIgnoredAndReported) {
  const std::string project = R"(<Project version="1.0"><Structure>
    <Track name="A"><Channel id="a" role="regular" destination="m"><Volume value="1" unit="linear"/></Channel></Track>
    <Channel id="m" role="master" name="Master"/></Structure></Project>)";
  const std::string zip = make_zip({{"../../evil.sh", "rm -rf /"}, {"project.xml", project}});
  const auto r = import_dawproject_zip(zip, "slip");
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(r.graph->nodes.size(), 2u);
  EXPECT_TRUE(has_note(r, "unsafe member path"));
}

TEST(ImportDawproject, TruncatedArchiveAndMissingDestinations) {
  const std::string good = read_bytes(fixture("dawproject/bitwig5.1.6-canon-fx-send.dawproject"));
  const auto truncated = import_dawproject_zip(good.substr(0, good.size() / 2), "cut");
  EXPECT_FALSE(truncated.graph);
  EXPECT_FALSE(first_error(truncated).empty());
  const auto r = import_dawproject_xml(
      R"(<Project><Structure><Track name="A"><Channel id="a" destination="gone">
      <Sends><Send destination="nowhere"/></Sends></Channel></Track></Structure></Project>)",
      "x");
  ASSERT_TRUE(r.graph);
  EXPECT_TRUE(has_note(r, "destination 'gone' is no channel"));
  EXPECT_TRUE(has_note(r, "send to 'nowhere'"));
}

}  // namespace routewise
