#pragma once
// What every analysis rule is: an id, its default thresholds, and a function over the graph.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/analysis/finding.hpp"
#include "routewise/model/graph_index.hpp"

namespace routewise {

struct Threshold {
  std::string_view key;  // "max_delta_samples"
  double default_value;
  std::string_view unit;
  std::string_view meaning;
};

class RuleContext {
 public:
  RuleContext(const GraphIndex& index, std::string_view rule_id,
              const std::map<std::string, double>& overrides, std::span<const Threshold> defaults)
      : index_(index), rule_id_(rule_id), overrides_(overrides), defaults_(defaults) {}

  const GraphIndex& index() const { return index_; }
  const RouteGraph& graph() const { return index_.graph(); }
  // The configured value of one of the rule's thresholds ("rule-id.key" in the config).
  double threshold(std::string_view key) const;

 private:
  const GraphIndex& index_;
  std::string_view rule_id_;
  const std::map<std::string, double>& overrides_;
  std::span<const Threshold> defaults_;
};

struct Rule {
  std::string_view id;
  std::string_view summary;
  std::span<const Threshold> thresholds;
  void (*run)(const RuleContext& context, std::vector<Finding>& out);
};

// Every rule, in one list (rule_registry.cpp).
std::span<const Rule> all_rules();
const Rule* find_rule(std::string_view id);
std::vector<std::string_view> all_rule_ids();

}  // namespace routewise
