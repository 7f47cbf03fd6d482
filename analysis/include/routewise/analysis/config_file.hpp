#pragma once
// Reads an analysis configuration (thresholds, ignores, disabled rules, stems) from TOML or JSON.

#include <filesystem>
#include <optional>
#include <string_view>

#include "routewise/analysis/analyze.hpp"
#include "routewise/model/diagnostic.hpp"

namespace routewise {

struct ConfigLoad {
  std::optional<AnalysisConfig> config;  // set only when there are no errors
  Diagnostics diagnostics;
};

// TOML unless the text starts with '{' (JSON). Layout, either syntax:
//   ignore = ["send-level-range:Vox*", "orphan"]      rule id, or rule id ":" node name/id glob
//   disable = ["sidechain-cycle"]
//   [gain-staging]                                    one table per rule id
//   drums_max_dbfs = -12
//   [stems]                                           stem name = its bus (node id or name)
//   Drums = "Drum Bus"
// Unknown rules and thresholds are errors naming the line (TOML) or key path (JSON).
ConfigLoad parse_analysis_config(std::string_view text);
ConfigLoad load_analysis_config(const std::filesystem::path& path);

}  // namespace routewise
