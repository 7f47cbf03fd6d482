#pragma once
// The rule objects, one per file (rule_<id>.cpp); rule_registry.cpp lists them all.

#include "routewise/analysis/rule.hpp"

namespace routewise {

extern const Rule rule_feedback_loop;
extern const Rule rule_sidechain_cycle;
extern const Rule rule_stem_bleed;
extern const Rule rule_stem_overlap;
extern const Rule rule_unstemmed_source;
extern const Rule rule_gain_staging;
extern const Rule rule_summing_buildup;
extern const Rule rule_pdc_asymmetry;
extern const Rule rule_insert_latency_budget;
extern const Rule rule_send_tap_misuse;
extern const Rule rule_send_level_range;
extern const Rule rule_double_routing;
extern const Rule rule_sidechain_fault;
extern const Rule rule_orphan;

}  // namespace routewise
