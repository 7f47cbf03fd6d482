#pragma once
// Runs the analysis and keeps one rule's findings, for rule tests.

#include <string_view>
#include <vector>

#include "routewise/analysis/analyze.hpp"

namespace routewise::testing {

inline std::vector<Finding> findings_of(const RouteGraph& graph, std::string_view rule,
                                        const AnalysisConfig& config = {}) {
  std::vector<Finding> out;
  for (Finding& f : analyze(graph, config))
    if (f.rule_id == rule) out.push_back(std::move(f));
  return out;
}

inline const Figure* figure(const Finding& f, std::string_view name, std::string_view unit = "") {
  for (const Figure& fig : f.figures)
    if (fig.name == name && (unit.empty() || fig.unit == unit)) return &fig;
  return nullptr;
}

}  // namespace routewise::testing
