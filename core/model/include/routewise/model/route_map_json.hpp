#pragma once
// The route-map JSON file format ("routewise-route-map", version 1): reader and writer.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "routewise/model/diagnostic.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

inline constexpr int route_map_format_version = 1;
inline constexpr std::string_view route_map_format_name = "routewise-route-map";

struct RouteMapLoad {
  std::optional<RouteGraph> graph;  // set only when there are no errors
  Diagnostics diagnostics;
};

// Parses and validates route-map JSON text; diagnostics name the JSON path of each problem.
RouteMapLoad parse_route_map(std::string_view json_text);

// Writes the canonical, indented form; parse_route_map(write_route_map(g)) gives back g exactly.
std::string write_route_map(const RouteGraph& graph);

// Reads a whole file with a size cap; a missing or unreadable file is a diagnostic, not a throw.
struct FileRead {
  std::optional<std::string> content;
  std::string error;
};
FileRead read_text_file(const std::filesystem::path& path, std::size_t max_bytes);

// Every reader holds at most about 9 times its input (bench/memory-per-byte: dense route maps and
// REAPER projects are the worst, 8.5-8.7x), so 100 MB keeps what is accepted under 1 GB.
inline constexpr std::size_t max_input_file_bytes = std::size_t{100} << 20;
// Bytes alone do not bound a session whose elements are tiny ("<TRACK\n>" is 9 bytes): every
// reader refuses more nodes or edges than these, far beyond any real session.
inline constexpr std::size_t max_graph_nodes = 250'000;
inline constexpr std::size_t max_graph_edges = 1'000'000;

}  // namespace routewise
