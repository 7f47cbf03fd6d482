#include "routewise/analysis/surface_findings.hpp"

#include <cctype>

namespace routewise {

std::string finding_marker(std::string_view rule_id) {
  std::string m = "!";
  for (char c : rule_id) {
    if (c == '-') break;
    m.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (m.size() == 6) break;
  }
  return m;
}

SurfaceFindings surface_findings(const std::vector<Finding>& findings) {
  SurfaceFindings shown;
  for (const Finding& f : findings) {
    for (const std::string& n : f.nodes) shown.markers.try_emplace(n, finding_marker(f.rule_id));
    if (f.rule_id == "gain-staging") shown.overloads.insert(f.nodes.begin(), f.nodes.end());
  }
  return shown;
}

}  // namespace routewise
