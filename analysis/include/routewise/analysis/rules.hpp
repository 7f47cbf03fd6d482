#pragma once
// The rule objects, one per file (rule_<id>.cpp); rule_registry.cpp lists them all.

#include "routewise/analysis/rule.hpp"

namespace routewise {

extern const Rule rule_feedback_loop;

}  // namespace routewise
