#pragma once
// Findings reports: plain/coloured text for people, JSON for pipelines.

#include <string>
#include <vector>

#include "routewise/analysis/finding.hpp"
#include "routewise/model/route_diff.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

struct TextReportOptions {
  bool colour = false;  // ANSI colours, for a terminal
};

std::string text_report(const RouteGraph& graph, const std::vector<Finding>& findings,
                        TextReportOptions options = {});

// Schema: docs/findings-format.md ("routewise-findings", version 1).
std::string json_report(const RouteGraph& graph, const std::vector<Finding>& findings);

// A session report to keep with the project: summary, stems, buses with levels and headroom,
// latencies, findings, and the route-map image at `image_path` (empty: no image line).
std::string markdown_report(const RouteGraph& graph, const std::vector<Finding>& findings,
                            const std::string& image_path);

// What changed between two route maps: text, JSON ("routewise-diff" v1) or Markdown.
std::string diff_report(const RouteDiff& diff, const std::string& before_label,
                        const std::string& after_label, const std::string& format);

// "1 error, 3 warnings, 0 info"
std::string findings_summary(const std::vector<Finding>& findings);

}  // namespace routewise
