#include "routewise/analysis/config_file.hpp"

#include <gtest/gtest.h>

namespace routewise {

TEST(ConfigFile, TomlThresholdsIgnoresAndDisables) {
  const auto load = parse_analysis_config(R"(
ignore = ["send-level-range:Vox*", "orphan"]
disable = ["sidechain-cycle"]

[gain-staging]
drums_max_dbfs = -12
min_headroom_db = 4.5
)");
  ASSERT_TRUE(load.config) << load.diagnostics.errors.front().message;
  EXPECT_DOUBLE_EQ(load.config->thresholds.at("gain-staging.drums_max_dbfs"), -12);
  EXPECT_DOUBLE_EQ(load.config->thresholds.at("gain-staging.min_headroom_db"), 4.5);
  EXPECT_EQ(load.config->ignore.size(), 2u);
  EXPECT_EQ(load.config->disabled_rules, std::vector<std::string>{"sidechain-cycle"});
}

TEST(ConfigFile, JsonFormIsTheSame) {
  const auto load = parse_analysis_config(
      R"({"ignore": ["orphan:Out*"], "pdc-asymmetry": {"min_delta_samples": 32}})");
  ASSERT_TRUE(load.config);
  EXPECT_DOUBLE_EQ(load.config->thresholds.at("pdc-asymmetry.min_delta_samples"), 32);
}

TEST(ConfigFile, UnknownThresholdNamesTheLineAndTheKnownKeys) {
  const auto load = parse_analysis_config("\n\n[gain-staging]\ndrum_max = -12\n");
  ASSERT_FALSE(load.config);
  EXPECT_EQ(load.diagnostics.errors[0].where, "line 4");
  EXPECT_NE(load.diagnostics.errors[0].message.find("unknown threshold (known: general_min_dbfs"),
            std::string::npos);
}

TEST(ConfigFile, UnknownRuleWrongTypeAndBadTomlAreErrors) {
  EXPECT_FALSE(parse_analysis_config("[no-such-rule]\nx = 1\n").config);
  EXPECT_FALSE(parse_analysis_config("[gain-staging]\ndrums_max_dbfs = \"loud\"\n").config);
  EXPECT_FALSE(parse_analysis_config("ignore = [\"nothing-matches\"]\n").config);
  const auto bad = parse_analysis_config("[gain-staging\n");
  ASSERT_FALSE(bad.config);
  EXPECT_EQ(bad.diagnostics.errors[0].where, "line 1");
  EXPECT_NE(bad.diagnostics.errors[0].message.find("not valid TOML"), std::string::npos);
}

}  // namespace routewise

namespace routewise {

// Found by fuzz_analysis_config: a number too large for a double made the JSON parser throw a
// different exception than a syntax error, and the program aborted.
TEST(ConfigFile, NumberOverflowIsAnErrorNotACrash) {
  const auto file = std::string(ROUTEWISE_SOURCE_DIR) +
                    "/tests/fuzz/regressions/analysis_config-number-overflow.json";
  const auto load = load_analysis_config(file);
  ASSERT_FALSE(load.config);
  EXPECT_NE(load.diagnostics.errors.at(0).message.find("not valid JSON"), std::string::npos);
  EXPECT_FALSE(parse_analysis_config(R"({"gain-staging": {"drums_max_dbfs": 1e999}})").config);
}

}  // namespace routewise
