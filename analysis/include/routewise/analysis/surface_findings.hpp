#pragma once
// What a control surface shows of the findings: a short marker per node for its LCD cell's lower
// row, and the nodes whose overload LED is lit (gain staging).

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/analysis/finding.hpp"

namespace routewise {

struct SurfaceFindings {
  std::set<std::string> overloads;             // node ids
  std::map<std::string, std::string> markers;  // node id -> "!STEM"; a node's first finding
};

// "stem-bleed" -> "!STEM": what fits a 6-character LCD cell.
std::string finding_marker(std::string_view rule_id);
SurfaceFindings surface_findings(const std::vector<Finding>& findings);

}  // namespace routewise
