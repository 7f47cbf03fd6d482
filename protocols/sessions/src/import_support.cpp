#include "import_support.hpp"

#include "routewise/model/graph_check.hpp"

namespace routewise::import {

std::optional<RouteGraph> checked(RouteGraph graph, Diagnostics& diagnostics) {
  Diagnostics problems = check_route_graph(graph);
  if (problems.ok()) return graph;
  for (Diagnostic& d : problems.errors) {
    d.message = "the session holds a value Routewise cannot take: " + d.message;
    diagnostics.errors.push_back(std::move(d));
  }
  return std::nullopt;
}

bool repair_utf8(std::string& text) {
  std::string out;
  bool changed = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
    bool valid = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; valid && k < len; ++k)
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (valid) {
      out.append(text, i, len);
      i += len;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
      changed = true;
      ++i;
    }
  }
  if (changed) text = std::move(out);
  return changed;
}

std::string too_many(std::string_view what, std::size_t limit, std::string_view unit) {
  return "more than " + std::to_string(limit) + " " + std::string(what) +
         "; Routewise reads sessions of up to " + std::to_string(limit) + " " + std::string(unit);
}

}  // namespace routewise::import
