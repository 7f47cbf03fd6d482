#pragma once
// Reading DAW session files (REAPER .RPP, Ardour .ardour, DAWproject) into the route graph.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "routewise/core/diagnostic.hpp"
#include "routewise/core/route_graph.hpp"

namespace routewise {

enum class SessionFormat { route_map_json, reaper_rpp, ardour_xml, dawproject_zip, dawproject_xml, unknown };
std::string_view to_string(SessionFormat format);

// Decided by content (magic bytes, root element), never by extension alone.
SessionFormat detect_format(std::string_view bytes);

struct ImportResult {
  std::optional<RouteGraph> graph;  // set only when there are no errors
  SessionFormat format = SessionFormat::unknown;
  // errors: why nothing was imported; warnings: import notes — routing that could not be mapped
  // exactly, each naming where in the file it is (line, XML path or zip member).
  Diagnostics diagnostics;
};

// Reads and imports a file of any supported format (route-map JSON included).
ImportResult import_session_file(const std::filesystem::path& path);

// The importers on bytes already read; `name` becomes the session name when the file has none.
ImportResult import_rpp(std::string_view text, const std::string& name);
ImportResult import_ardour(std::string_view xml, const std::string& name);
ImportResult import_dawproject_xml(std::string_view xml, const std::string& name);
ImportResult import_dawproject_zip(std::string_view zip_bytes, const std::string& name);

}  // namespace routewise
