#pragma once
// Reading DAW session files (REAPER .RPP, Ardour .ardour, DAWproject) into the route graph.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "routewise/model/diagnostic.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

enum class SessionFormat {
  route_map_json,
  reaper_rpp,
  ardour_xml,
  dawproject_zip,
  dawproject_xml,
  ableton_als,
  unknown
};
std::string_view to_string(SessionFormat format);

// Decided by content (magic bytes, root element), never by extension alone.
SessionFormat detect_format(std::string_view bytes);

// How much of a file's routing the importer could map: per category (tracks, outputs, sends,
// plugins, sidechains, inserts) what the file holds and what became part of the route map.
struct ImportCoverage {
  struct Count {
    std::size_t found = 0, mapped = 0;
  };
  std::map<std::string, Count> categories;
  std::vector<std::string> unmapped;  // one line per item that did not make it, saying why
  void count(const std::string& category, bool mapped, const std::string& why_not = {}) {
    Count& c = categories[category];
    ++c.found;
    if (mapped)
      ++c.mapped;
    else if (!why_not.empty())
      unmapped.push_back(category + ": " + why_not);
  }
};

struct ImportResult {
  std::optional<RouteGraph> graph;  // set only when there are no errors
  SessionFormat format = SessionFormat::unknown;
  // errors: why nothing was imported; warnings: import notes — routing that could not be mapped
  // exactly, each naming where in the file it is (line, XML path or zip member).
  Diagnostics diagnostics;
  ImportCoverage coverage;
};

// Reads and imports a file of any supported format (route-map JSON included).
ImportResult import_session_file(const std::filesystem::path& path);

// The importers on bytes already read; `name` becomes the session name when the file has none.
ImportResult import_rpp(std::string_view text, const std::string& name);
ImportResult import_ardour(std::string_view xml, const std::string& name);
ImportResult import_dawproject_xml(std::string_view xml, const std::string& name);
ImportResult import_dawproject_zip(std::string_view zip_bytes, const std::string& name);
// Ableton Live sets (.als): gzip-compressed XML, inflated with a size limit, or the plain XML.
ImportResult import_ableton(std::string_view bytes, const std::string& name);

}  // namespace routewise
