#include <fmt/format.h>

#include "import_support.hpp"
#include "routewise/model/route_map_json.hpp"
#include "routewise/sessions/session_import.hpp"

namespace routewise {
namespace {

std::string_view skip_preamble(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);  // UTF-8 byte-order mark
  while (!bytes.empty() && (bytes.front() == ' ' || bytes.front() == '\n' ||
                            bytes.front() == '\r' || bytes.front() == '\t'))
    bytes.remove_prefix(1);
  return bytes;
}

// The first element name after the XML declaration, comments and doctype.
std::string_view root_element(std::string_view xml) {
  std::size_t pos = 0;
  while ((pos = xml.find('<', pos)) != std::string_view::npos && pos + 1 < xml.size()) {
    const char next = xml[pos + 1];
    if (next == '?' || next == '!') {
      ++pos;
      continue;
    }
    std::size_t end = pos + 1;
    while (end < xml.size() && xml[end] != ' ' && xml[end] != '>' && xml[end] != '\n' &&
           xml[end] != '/' && xml[end] != '\t' && xml[end] != '\r')
      ++end;
    return xml.substr(pos + 1, end - pos - 1);
  }
  return {};
}

}  // namespace

std::string_view to_string(SessionFormat f) {
  switch (f) {
    case SessionFormat::route_map_json:
      return "route-map JSON";
    case SessionFormat::reaper_rpp:
      return "REAPER project";
    case SessionFormat::ardour_xml:
      return "Ardour session";
    case SessionFormat::dawproject_zip:
      return "DAWproject";
    case SessionFormat::ableton_als:
      return "Ableton Live set";
    case SessionFormat::dawproject_xml:
      return "DAWproject XML";
    case SessionFormat::unknown:
      return "unknown";
  }
  return "unknown";
}

SessionFormat detect_format(std::string_view bytes) {
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return SessionFormat::dawproject_zip;
  if (bytes.substr(0, 2) == std::string_view("\x1f\x8b", 2)) return SessionFormat::ableton_als;
  const std::string_view text = skip_preamble(bytes);
  if (text.starts_with("{")) return SessionFormat::route_map_json;
  if (text.starts_with("<REAPER_PROJECT")) return SessionFormat::reaper_rpp;
  if (text.starts_with("<")) {
    const std::string_view root = root_element(text.substr(0, std::size_t{64} * 1024));
    if (root == "Session") return SessionFormat::ardour_xml;
    if (root == "Project") return SessionFormat::dawproject_xml;
    if (root == "Ableton") return SessionFormat::ableton_als;  // an uncompressed set
  }
  return SessionFormat::unknown;
}

ImportResult import_session_file(const std::filesystem::path& path) {
  ImportResult result;
  FileRead file = read_text_file(path, max_input_file_bytes);
  if (!file.content) {
    result.diagnostics.errors.push_back({"", file.error});
    return result;
  }
  const std::string name = path.stem().string();
  std::string& bytes = *file.content;
  result.format = detect_format(bytes);
  switch (result.format) {
    case SessionFormat::route_map_json: {
      RouteMapLoad load = parse_route_map(bytes);
      result.graph = std::move(load.graph);
      result.diagnostics = std::move(load.diagnostics);
      return result;
    }
    case SessionFormat::reaper_rpp: {
      const bool repaired = import::repair_utf8(bytes);  // in place: no second copy of the file
      result = import_rpp(bytes, name);
      if (repaired)
        result.diagnostics.warnings.push_back(
            {"", "not valid UTF-8; the odd bytes were read as Latin-1"});
      return result;
    }
    case SessionFormat::ardour_xml:
      return import_ardour(bytes, name);
    case SessionFormat::dawproject_xml:
      return import_dawproject_xml(bytes, name);
    case SessionFormat::dawproject_zip:
      return import_dawproject_zip(bytes, name);
    case SessionFormat::ableton_als:
      return import_ableton(bytes, name);
    case SessionFormat::unknown:
      break;
  }
  const bool blank = bytes.find_first_not_of(" \t\r\n") == std::string::npos;
  result.diagnostics.errors.push_back(
      {"", bytes.empty() ? "the file is empty (0 bytes): nothing was saved in it"
           : blank       ? "the file holds only white space: nothing was saved in it"
                         : "not a format Routewise reads (route-map JSON, REAPER .RPP, Ardour "
                           ".ardour, DAWproject, Ableton .als)"});
  return result;
}

}  // namespace routewise
