#pragma once
// Loads whatever the user named on the command line into a route graph, printing diagnostics.

#include <iosfwd>
#include <optional>
#include <string>

#include "routewise/model/route_graph.hpp"

namespace routewise::cli {

// Errors go to `err` one per line as "FILE: WHERE: PROBLEM"; warnings likewise prefixed "warning:".
std::optional<RouteGraph> load_input(const std::string& path, std::ostream& err);

bool stdout_is_terminal();

}  // namespace routewise::cli
