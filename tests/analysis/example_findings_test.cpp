// The faulty example session produces exactly its documented faults; the clean twin none.
#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "routewise/model/route_map_json.hpp"

namespace routewise {
namespace {

RouteGraph load(const std::string& name) {
  const auto file = read_text_file(
      std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/" + name, max_input_file_bytes);
  auto parsed = parse_route_map(file.content.value_or(""));
  EXPECT_TRUE(parsed.graph);
  return parsed.graph.value_or(RouteGraph{});
}

struct Expected {
  std::string rule;
  std::vector<std::string> nodes;
};

}  // namespace

TEST(ExampleFindings, FaultySessionReportsExactlyItsFourFaults) {
  const auto findings = analyze(load("pop-song-faulty.json"));
  const std::vector<Expected> expected = {
      {"stem-bleed", {"lead_vox", "vox_plate", "master"}},
      {"gain-staging", {"drum_bus"}},
      {"pdc-asymmetry", {"drum_bus", "drum_crush", "drums_stem"}},
      {"send-tap-misuse", {"lead_vox", "vox_plate"}},
      {"summing-buildup", {"drum_bus"}},
  };
  ASSERT_EQ(findings.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(findings[i].rule_id, expected[i].rule) << i;
    EXPECT_EQ(findings[i].nodes, expected[i].nodes) << i;
  }
  EXPECT_EQ(findings[0].fix, "route 'Vox Plate' output to 'VOCALS' instead of 'Master'.");
  EXPECT_DOUBLE_EQ(testing::figure(findings[2], "delta", "samples")->value, 256);
  EXPECT_NEAR(testing::figure(findings[2], "first notch")->value, 93.75, 1e-9);
}

TEST(ExampleFindings, CleanTwinHasNoFindingsAtAll) {
  const auto findings = analyze(load("pop-song-clean.json"));
  for (const Finding& f : findings) ADD_FAILURE() << f.rule_id << ": " << f.message;
}

}  // namespace routewise
