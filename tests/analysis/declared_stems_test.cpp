#include "routewise/analysis/declared_stems.hpp"

#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"
#include "routewise/analysis/config_file.hpp"

namespace routewise {
using testing::findings_of;
using testing::GraphBuilder;

namespace {
// An Ardour-like session: plain buses, no stem tags; the plate returns to `plate_target`.
RouteGraph untagged(const std::string& plate_target) {
  GraphBuilder b;
  b.node("in1", NodeKind::hardware_input, "system:capture_1");
  b.node("vox", NodeKind::track, "Lead Vox");
  b.node("bgv", NodeKind::track, "BGV");
  b.node("kick", NodeKind::track, "Kick");
  b.node("bass", NodeKind::track, "Bass");
  b.node("vox_bus", NodeKind::bus, "Vox Bus");
  b.node("drum_bus", NodeKind::bus, "Drum Bus");
  b.node("plate", NodeKind::bus, "Plate");
  b.master();
  b.output("in1", "vox");
  b.output("vox", "vox_bus");
  b.output("bgv", "vox_bus");
  b.output("kick", "drum_bus");
  b.output("bass", "master");
  b.send("vox", "plate", -9);
  b.output("plate", plate_target);
  b.output("vox_bus", "master");
  b.output("drum_bus", "master");
  return b.build();
}

const Node& node(const RouteGraph& g, const std::string& id) {
  return *std::find_if(g.nodes.begin(), g.nodes.end(), [&](const Node& n) { return n.id == id; });
}
}  // namespace

TEST(DeclaredStems, BusesByNameOrIdTagWhatIsRoutedIntoThemButNotWhatIsSent) {
  RouteGraph g = untagged("master");
  const Diagnostics d = declare_stems(g, {{"Vocals", "vox bus"}, {"Drums", "drum_bus"}});
  ASSERT_TRUE(d.ok()) << d.errors.front().message;
  EXPECT_EQ(g.session.stems.at("Vocals"), "vox_bus");
  EXPECT_EQ(g.session.stems.at("Drums"), "drum_bus");
  EXPECT_EQ(node(g, "vox").stem, "Vocals");
  EXPECT_EQ(node(g, "in1").stem, "Vocals");  // through the track it feeds
  EXPECT_EQ(node(g, "kick").stem, "Drums");
  EXPECT_FALSE(node(g, "plate").stem);  // reached only by a send
  EXPECT_FALSE(node(g, "bass").stem);

  // The classic fault, found on a session that never declared stems.
  const auto bleed = findings_of(g, "stem-bleed");
  ASSERT_EQ(bleed.size(), 1u);
  EXPECT_EQ(bleed[0].nodes, (std::vector<std::string>{"vox", "plate", "master"}));
  EXPECT_EQ(findings_of(g, "unstemmed-source").size(), 1u);  // Bass

  RouteGraph fixed = untagged("vox_bus");
  ASSERT_TRUE(declare_stems(fixed, {{"Vocals", "Vox Bus"}, {"Drums", "Drum Bus"}}).ok());
  EXPECT_EQ(node(fixed, "plate").stem, "Vocals");
  EXPECT_TRUE(findings_of(fixed, "stem-bleed").empty());
}

TEST(DeclaredStems, UnknownAmbiguousOrMasterBusesAreErrorsAndChangeNothing) {
  RouteGraph g = untagged("master");
  g.nodes.push_back(node(g, "plate"));
  g.nodes.back().id = "plate2";
  const RouteGraph before = g;
  const Diagnostics d =
      declare_stems(g, {{"Drums", "Drum Buss"}, {"Fx", "Plate"}, {"All", "Master"}});
  ASSERT_EQ(d.errors.size(), 3u);
  EXPECT_EQ(d.errors[0].where, "stems.All");
  EXPECT_NE(d.errors[0].message.find("is the master"), std::string::npos);
  EXPECT_EQ(d.errors[1].where, "stems.Drums");
  EXPECT_NE(d.errors[1].message.find("no node named 'Drum Buss' (buses: "), std::string::npos)
      << d.errors[1].message;
  EXPECT_NE(d.errors[1].message.find("'Drum Bus'"), std::string::npos);
  EXPECT_NE(d.errors[2].message.find("2 nodes are named 'Plate'"), std::string::npos);
  EXPECT_EQ(g, before);
}

TEST(DeclaredStems, ConfigFilesDeclareThemInTomlAndJson) {
  const auto toml = parse_analysis_config("[stems]\nDrums = \"Drum Bus\"\nVocals = \"vox_bus\"\n");
  ASSERT_TRUE(toml.config) << toml.diagnostics.errors.front().message;
  EXPECT_EQ(toml.config->stems.at("Drums"), "Drum Bus");
  EXPECT_EQ(toml.config->stems.at("Vocals"), "vox_bus");
  const auto json = parse_analysis_config(R"({"stems": {"Drums": "Drum Bus"}})");
  ASSERT_TRUE(json.config);
  EXPECT_EQ(json.config->stems.at("Drums"), "Drum Bus");

  const auto bad = parse_analysis_config("[stems]\nDrums = 3\n");
  ASSERT_FALSE(bad.config);
  EXPECT_EQ(bad.diagnostics.errors[0].where, "line 2");
  EXPECT_NE(bad.diagnostics.errors[0].message.find("stems.Drums"), std::string::npos);
  EXPECT_FALSE(parse_analysis_config(R"({"stems": ["Drum Bus"]})").config);
  EXPECT_FALSE(parse_analysis_config("stems = \"Drum Bus\"\n").config);
}

}  // namespace routewise
