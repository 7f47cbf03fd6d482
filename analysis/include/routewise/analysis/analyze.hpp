#pragma once
// Runs the rules over a graph with a configuration and returns sorted, filtered findings.

#include <map>
#include <string>
#include <vector>

#include "routewise/analysis/finding.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

struct AnalysisConfig {
  std::map<std::string, double> thresholds;  // "rule-id.key" -> value
  std::vector<std::string> ignore;           // "rule-id" or "rule-id:node-glob" (name or id)
  std::vector<std::string> disabled_rules;
  // Stem name -> its bus (node id or name) for sessions that declare none; see declare_stems().
  std::map<std::string, std::string> stems;
};

std::vector<Finding> analyze(const RouteGraph& graph, const AnalysisConfig& config = {});

// Shell-style glob with * and ? (no character classes).
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace routewise
