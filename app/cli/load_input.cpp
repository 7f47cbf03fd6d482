#include "load_input.hpp"

#include <unistd.h>

#include <ostream>

#include "routewise/model/route_map_json.hpp"
#include "routewise/sessions/session_import.hpp"

namespace routewise::cli {

std::optional<RouteGraph> load_input(const std::string& path, std::ostream& err) {
  ImportResult result = import_session_file(path);
  for (const Diagnostic& d : result.diagnostics.errors) err << format_diagnostic(path, d) << "\n";
  // Route-map warnings are about the file; importer warnings are notes on what could not be mapped.
  const char* prefix = result.format == SessionFormat::route_map_json ? "warning: " : "note: ";
  for (const Diagnostic& d : result.diagnostics.warnings)
    err << prefix << format_diagnostic(path, d) << "\n";
  return std::move(result.graph);
}

bool stdout_is_terminal() {
  return ::isatty(STDOUT_FILENO) == 1;
}

}  // namespace routewise::cli
