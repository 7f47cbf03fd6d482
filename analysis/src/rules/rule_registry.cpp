#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "routewise/analysis/rules.hpp"

namespace routewise {
namespace {

const std::array<const Rule*, 14> registry{
    &rule_feedback_loop,   &rule_sidechain_cycle,  &rule_stem_bleed,
    &rule_stem_overlap,    &rule_unstemmed_source, &rule_gain_staging,
    &rule_summing_buildup, &rule_pdc_asymmetry,    &rule_insert_latency_budget,
    &rule_send_tap_misuse, &rule_send_level_range, &rule_double_routing,
    &rule_sidechain_fault, &rule_orphan,
};

}  // namespace

std::span<const Rule> all_rules() {
  static const auto rules = [] {
    std::vector<Rule> list;
    for (const Rule* r : registry) list.push_back(*r);
    return list;
  }();
  return rules;
}

const Rule* find_rule(std::string_view id) {
  for (const Rule& r : all_rules())
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<std::string_view> all_rule_ids() {
  std::vector<std::string_view> ids;
  for (const Rule& r : all_rules()) ids.push_back(r.id);
  return ids;
}

double RuleContext::threshold(std::string_view key) const {
  std::string full(rule_id_);
  full += '.';
  full += key;
  if (const auto it = overrides_.find(full); it != overrides_.end()) return it->second;
  for (const Threshold& t : defaults_)
    if (t.key == key) return t.default_value;
  // A rule asking for a threshold it did not declare is a programming error, never a silent NaN.
  throw std::logic_error("rule " + std::string(rule_id_) + " asked for undeclared threshold " +
                         std::string(key));
}

}  // namespace routewise
