// libFuzzer target: every writer a user's output comes from (the `-o`/stdout writers of analyze,
// graph, diff and import), over route maps the fuzzer makes. What each writes must be well formed
// in its own format (JSON parses, DOT is read back by Graphviz) and never carry a raw control
// character from a name to a terminal or a file.
#include <graphviz/cgraph.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/report.hpp"
#include "routewise/analysis/route_map_render.hpp"
#include "routewise/model/route_diff.hpp"
#include "routewise/model/route_map_json.hpp"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

// Text for people: newlines and tabs only; ESC (0x1b) or any other C0/C1 control never.
bool printable(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7f;
  });
}

bool dot_reads_back(const std::string& dot) {
  Agraph_t* g = agmemread(dot.c_str());
  if (!g) return false;
  agclose(g);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto load =
      routewise::parse_route_map(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!load.graph) return 0;
  const routewise::RouteGraph& graph = *load.graph;
  const auto findings = routewise::analyze(graph);

  require(printable(routewise::text_report(graph, findings)));
  require(printable(routewise::markdown_report(graph, findings, "map.svg")));
  require(nlohmann::json::accept(routewise::json_report(graph, findings)));
  require(nlohmann::json::accept(routewise::write_route_map(graph)));
  require(dot_reads_back(routewise::route_map_dot(graph, findings)));

  // A diff against an empty map lists every node and edge as added.
  const auto diff = routewise::diff_routes(routewise::summarize(routewise::RouteGraph{}),
                                           routewise::summarize(graph));
  require(printable(routewise::diff_report(diff, "before", "after", "text")));
  require(printable(routewise::diff_report(diff, "before", "after", "markdown")));
  require(nlohmann::json::accept(routewise::diff_report(diff, "before", "after", "json")));
  return 0;
}
