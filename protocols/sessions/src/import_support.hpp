#pragma once
// Helpers shared by the session importers (private to protocols/).

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "routewise/model/diagnostic.hpp"
#include "routewise/model/route_graph.hpp"
#include "routewise/model/units.hpp"

namespace routewise::import {

// A DAW's linear gain factor as dB; zero (or below) is -inf.
inline double gain_to_db(double linear) {
  return linear <= 0 ? minus_inf_db : 20.0 * std::log10(linear);
}

// Readable, unique node ids from names: "Lead Vox" -> "lead-vox", then "lead-vox-2".
class IdMaker {
 public:
  std::string make(std::string_view name, std::string_view fallback) {
    std::string slug;
    for (unsigned char c : name) {
      if (std::isalnum(c))
        slug += static_cast<char>(std::tolower(c));
      else if (!slug.empty() && slug.back() != '-')
        slug += '-';
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    if (slug.empty()) slug = std::string(fallback);
    if (slug.size() > 48) slug.resize(48);
    std::string id = slug;
    // Each slug remembers the next number to try, so a thousand tracks of one name take a
    // thousand steps, not half a million.
    int& next = next_suffix_[slug];
    if (next == 0) next = 2;
    while (!used_.insert(id).second) id = slug + "-" + std::to_string(next++);
    return id;
  }
  void reserve(const std::string& id) { used_.insert(id); }

 private:
  std::unordered_set<std::string> used_;
  std::unordered_map<std::string, int> next_suffix_;
};

// The imported graph when it meets the route map's own rules; otherwise nothing, with each value
// out of range named as an error ("nodes[0].fader_db: 'Master': 6160 dB is out of range"), so that
// a session is never shown, analysed or stored with values the route-map reader refuses.
std::optional<RouteGraph> checked(RouteGraph graph, Diagnostics& diagnostics);
inline std::optional<RouteGraph> checked(std::optional<RouteGraph> graph,
                                         Diagnostics& diagnostics) {
  return graph ? checked(std::move(*graph), diagnostics) : std::nullopt;
}

// Replaces bytes that are not valid UTF-8 by reading them as Latin-1 (old sessions); says whether
// it did.
bool repair_utf8(std::string& text);

// The refusal of a session past the graph limits (route_map_json.hpp): "more than 250000 tracks;
// Routewise reads sessions of up to 250000 nodes". `what`: "tracks", "routes", …; `limit` and
// `unit` ("nodes" or "edges") name the limit it passed.
std::string too_many(std::string_view what, std::size_t limit, std::string_view unit);

inline Edge make_edge(EdgeKind kind, std::string from, std::string to) {
  Edge e;
  e.kind = kind;
  e.from = std::move(from);
  e.to = std::move(to);
  return e;
}

}  // namespace routewise::import
