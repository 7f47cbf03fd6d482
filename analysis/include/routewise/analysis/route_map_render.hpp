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
  std::string note;  // how the drawing differs from the usual one, when it does
};

// Lays out DOT with the `dot` engine and renders it ("svg" or "png"), within `max_seconds`: a
// layout that takes longer is stopped and a force-directed one is drawn instead (with a note);
// when that does not finish either, an error says so. Never hangs.
inline constexpr double default_layout_seconds = 15.0;
Rendered render_dot(const std::string& dot, std::string_view format,
                    double max_seconds = default_layout_seconds);

}  // namespace routewise
