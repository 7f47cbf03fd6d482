#pragma once
// Small helpers shared by the rule files (private to analysis/).

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "routewise/analysis/finding.hpp"
#include "routewise/analysis/rule.hpp"

namespace routewise {

inline std::string format_db(double v, std::string_view unit = "dB") {
  if (std::isinf(v)) return fmt::format("{}inf {}", v < 0 ? "-" : "", unit);
  return fmt::format("{:.1f} {}", v, unit);
}

inline std::string format_range(double low, double high, std::string_view unit) {
  return fmt::format("{:g}..{:g} {}", low, high, unit);
}

inline Finding make_finding(std::string_view rule, Severity severity, const GraphIndex& index,
                            std::initializer_list<NodeIndex> nodes) {
  Finding f;
  f.rule_id = std::string(rule);
  f.severity = severity;
  for (NodeIndex n : nodes) f.nodes.push_back(index.node(n).id);
  return f;
}

// Appends the nodes and edges of a path (start node first) to a finding.
inline void add_path(Finding& f, const GraphIndex& index, const std::vector<EdgeIndex>& path) {
  if (path.empty()) return;
  f.nodes.push_back(index.node(index.from(path.front())).id);
  for (EdgeIndex e : path) {
    f.nodes.push_back(index.node(index.to(e)).id);
    f.edges.push_back(edge_ref(index, e));
  }
}

// Reconstructs the path to `n` from breadth-first parent edges (UINT32_MAX at the roots).
inline std::vector<EdgeIndex> path_from_parents(const GraphIndex& index,
                                                const std::vector<EdgeIndex>& parent, NodeIndex n) {
  std::vector<EdgeIndex> path;
  while (parent[n] != UINT32_MAX) {
    path.push_back(parent[n]);
    n = index.from(parent[n]);
  }
  return {path.rbegin(), path.rend()};
}

}  // namespace routewise
