#pragma once
// Route-map drawings: Graphviz DOT text, laid out and rendered to SVG/PNG with libgvc (linked).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/analysis/finding.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

// DOT for the session: left-to-right by depth, one cluster per stem, edge style per kind
// (solid output, dashed send with level and tap, dotted sidechain, bold insert with latency);
// nodes and edges named in `findings` are drawn bold red.
std::string route_map_dot(const RouteGraph& graph, const std::vector<Finding>& findings = {});

struct Rendered {
  std::optional<std::string> data;  // the SVG text or PNG bytes
  std::string error;
};

// Lays out DOT with the `dot` engine and renders it ("svg" or "png").
Rendered render_dot(const std::string& dot, std::string_view format);

}  // namespace routewise
