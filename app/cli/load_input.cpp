#include "load_input.hpp"

#include <unistd.h>

#include <ostream>

#include "routewise/core/route_map_json.hpp"

namespace routewise::cli {

std::optional<RouteGraph> load_input(const std::string& path, std::ostream& err) {
  const FileRead file = read_text_file(path, max_input_file_bytes);
  if (!file.content) {
    err << path << ": " << file.error << "\n";
    return std::nullopt;
  }
  RouteMapLoad load = parse_route_map(*file.content);
  for (const Diagnostic& d : load.diagnostics.errors) err << format_diagnostic(path, d) << "\n";
  for (const Diagnostic& d : load.diagnostics.warnings)
    err << "warning: " << format_diagnostic(path, d) << "\n";
  return std::move(load.graph);
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

}  // namespace routewise::cli
