#pragma once
// Loading fixtures and counting what an import produced.

#include <algorithm>
#include <string>

#include "routewise/model/route_map_json.hpp"
#include "routewise/sessions/session_import.hpp"

namespace routewise::testing {

inline std::string fixture(const std::string& relative) {
  return std::string(ROUTEWISE_FIXTURES_DIR) + "/" + relative;
}

// A real DAW-saved file kept in this repository (tests/protocols/sessions/fixtures/, listed with
// its origin and licence in SOURCES.md there).
inline std::string repo_fixture(const std::string& relative) {
  return std::string(ROUTEWISE_SOURCE_DIR) + "/tests/protocols/sessions/fixtures/" + relative;
}

inline std::size_t count_nodes(const RouteGraph& g, NodeKind kind) {
  return static_cast<std::size_t>(
      std::count_if(g.nodes.begin(), g.nodes.end(), [&](const Node& n) { return n.kind == kind; }));
}

inline std::size_t count_edges(const RouteGraph& g, EdgeKind kind) {
  return static_cast<std::size_t>(
      std::count_if(g.edges.begin(), g.edges.end(), [&](const Edge& e) { return e.kind == kind; }));
}

inline const Node* node_named(const RouteGraph& g, const std::string& name) {
  for (const Node& n : g.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

inline std::string first_error(const ImportResult& r) {
  if (r.diagnostics.errors.empty()) return "";
  return r.diagnostics.errors.front().where + ": " + r.diagnostics.errors.front().message;
}

inline bool has_note(const ImportResult& r, const std::string& text) {
  return std::any_of(
      r.diagnostics.warnings.begin(), r.diagnostics.warnings.end(),
      [&](const Diagnostic& d) { return d.message.find(text) != std::string::npos; });
}

// The hand-checked route map a fixture must import to, from tests/protocols/sessions/expected/.
inline RouteGraph expected(const std::string& name) {
  const auto file = read_text_file(
      std::string(ROUTEWISE_SOURCE_DIR) + "/tests/protocols/sessions/expected/" + name,
      max_input_file_bytes);
  return parse_route_map(file.content.value_or("")).graph.value_or(RouteGraph{});
}

}  // namespace routewise::testing
