#pragma once
// The analysis options commands that analyze share: a configuration file and --stem.

#include <CLI/CLI.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "routewise/analysis/analyze.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise::cli {

struct AnalysisOptions {
  std::string config;
  std::vector<std::string> stems;  // "NAME=BUS"
};

void add_analysis_options(CLI::App* cmd, AnalysisOptions& o);
// The configuration file's settings with --stem on top; nothing (errors on `err`) when either is
// wrong.
std::optional<AnalysisConfig> analysis_config(const AnalysisOptions& o, std::ostream& err);
// Declares the configured stems in `graph` (read from `source`); false, with errors naming the
// source and the stem, when a bus is not in it.
bool declare_configured_stems(RouteGraph& graph, const AnalysisConfig& config,
                              const std::string& source, std::ostream& err);

}  // namespace routewise::cli
