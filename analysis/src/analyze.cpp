#include "routewise/analysis/analyze.hpp"

#include <algorithm>

#include "routewise/analysis/rule.hpp"
#include "routewise/model/graph_index.hpp"

namespace routewise {
namespace {

// "rule" suppresses the rule; "rule:glob" suppresses findings whose first node matches by name or
// id.
bool suppressed(const Finding& f, const GraphIndex& index, const std::vector<std::string>& ignore) {
  for (const std::string& entry : ignore) {
    const auto colon = entry.find(':');
    const std::string_view rule = std::string_view(entry).substr(0, colon);
    if (!glob_match(rule, f.rule_id)) continue;
    if (colon == std::string::npos) return true;
    const std::string_view pattern = std::string_view(entry).substr(colon + 1);
    for (const std::string& id : f.nodes) {
      const auto n = index.find(id);
      if (glob_match(pattern, id) || (n && glob_match(pattern, index.node(*n).name))) return true;
    }
  }
  return false;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<Finding> analyze(const RouteGraph& graph, const AnalysisConfig& config) {
  const GraphIndex index(graph);
  std::vector<Finding> findings;
  for (const Rule& rule : all_rules()) {
    if (std::find(config.disabled_rules.begin(), config.disabled_rules.end(), rule.id) !=
        config.disabled_rules.end())
      continue;
    std::vector<Finding> found;
    rule.run(RuleContext(index, rule.id, config.thresholds, rule.thresholds), found);
    for (Finding& f : found)
      if (!suppressed(f, index, config.ignore)) findings.push_back(std::move(f));
  }
  sort_findings(findings);
  return findings;
}

}  // namespace routewise
