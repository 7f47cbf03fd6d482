#include "routewise/analysis/finding.hpp"

#include <algorithm>
#include <tuple>

namespace routewise {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "?";
}

std::optional<Severity> severity_from_string(std::string_view text) {
  for (Severity s : {Severity::info, Severity::warning, Severity::error})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

EdgeRef edge_ref(const GraphIndex& index, EdgeIndex e) {
  const Edge& edge = index.edge(e);
  return {edge.from, edge.to, edge.kind};
}

std::string quoted(const Node& node) {
  return "'" + node.name + "'";
}

std::string describe_path(const GraphIndex& index, const std::vector<EdgeIndex>& path) {
  if (path.empty()) return "";
  std::string out = quoted(index.node(index.from(path.front())));
  for (EdgeIndex e : path) out += " → " + quoted(index.node(index.to(e)));
  return out;
}

FindingRecord to_record(const Finding& f) {
  return {f.rule_id, std::string(to_string(f.severity)), f.message, f.fix, f.nodes};
}

std::vector<FindingRecord> to_records(const std::vector<Finding>& findings) {
  std::vector<FindingRecord> out;
  out.reserve(findings.size());
  for (const Finding& f : findings) out.push_back(to_record(f));
  return out;
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tuple(-static_cast<int>(a.severity), a.rule_id, a.nodes, a.message) <
           std::tuple(-static_cast<int>(b.severity), b.rule_id, b.nodes, b.message);
  });
}

}  // namespace routewise
