#include "routewise/model/graph_check.hpp"

#include <array>
#include <unordered_map>
#include <unordered_set>

#include "route_map_ranges.hpp"

namespace routewise {
namespace {

constexpr std::size_t max_reported_errors = 50;

class Checker {
 public:
  Diagnostics diagnostics;

  void error(const std::string& where, const std::string& node_name, const std::string& message) {
    if (diagnostics.errors.size() >= max_reported_errors) return;
    diagnostics.errors.push_back(
        {where, node_name.empty() ? message : "'" + node_name + "': " + message});
  }

  void number(const std::string& where, const std::string& name, double value,
              const ranges::Range& range) {
    if (!ranges::within(value, range)) error(where, name, ranges::out_of_range(value, range));
  }
  void number(const std::string& where, const std::string& name, const std::optional<double>& value,
              const ranges::Range& range) {
    if (value) number(where, name, *value, range);
  }
  void levels(const std::string& where, const std::string& name, const Levels& l) {
    number(where + ".average_dbfs", name, l.average_dbfs, ranges::level);
    number(where + ".peak_dbfs", name, l.peak_dbfs, ranges::level);
    number(where + ".true_peak_dbtp", name, l.true_peak_dbtp, ranges::level);
  }

  void session(const SessionInfo& s) {
    number("session.sample_rate_hz", "", s.sample_rate_hz, ranges::sample_rate);
    number("session.tempo_bpm", "", s.tempo_bpm, ranges::tempo);
    for (const auto& [stem, bus] : s.stems)
      if (stem.empty()) error("session.stems", "", "stem name is empty");
  }

  void node(const std::string& where, const Node& n) {
    if (ranges::is_blank(n.id)) error(where + ".id", n.name, "is empty");
    if (ranges::is_blank(n.name)) error(where + ".name", "", "is empty");
    if (n.daw_id && ranges::is_blank(*n.daw_id)) error(where + ".daw_id", n.name, "is empty");
    if (n.channel_count < ranges::min_channels || n.channel_count > ranges::max_channels)
      error(where + ".channels", n.name,
            std::to_string(n.channel_count) + " is out of range (" +
                std::to_string(ranges::min_channels) + ".." + std::to_string(ranges::max_channels) +
                ")");
    number(where + ".fader_db", n.name, n.fader_db, ranges::fader);
    number(where + ".trim_db", n.name, n.trim_db, ranges::trim);
    number(where + ".pan", n.name, n.pan, ranges::pan);
    if (n.colour && !ranges::is_colour(*n.colour))
      error(where + ".colour", n.name, "\"" + *n.colour + "\" is not a #rrggbb colour");
    if (n.stem && ranges::is_blank(*n.stem)) error(where + ".stem", n.name, "is empty");
    for (std::size_t i = 0; i < n.plugins.size(); ++i) {
      const Plugin& p = n.plugins[i];
      const std::string at = where + ".plugins[" + std::to_string(i) + "]";
      if (ranges::is_blank(p.name)) error(at + ".name", n.name, "is empty");
      number(at + ".latency_samples", n.name, p.latency_samples, ranges::latency);
      number(at + ".gain_db", n.name, p.gain_db, ranges::plugin_gain);
    }
    levels(where + ".source", n.name, n.source);
    levels(where + ".measured", n.name, n.measured);
  }

  void edge(const std::string& where, const std::string& from_name, const Edge& e,
            const std::unordered_set<std::string_view>& ids) {
    if (!ids.contains(e.to)) error(where + ".target", from_name, "unknown node \"" + e.to + "\"");
    if (e.kind == EdgeKind::send || e.kind == EdgeKind::sidechain)
      number(where + ".level_db", from_name, e.level_db, ranges::fader);
    if (e.kind == EdgeKind::send) number(where + ".pan", from_name, e.pan, ranges::pan);
    if (e.kind == EdgeKind::sidechain && ranges::is_blank(e.plugin))
      error(where + ".plugin", from_name, "is empty");
    if (e.kind == EdgeKind::hardware_insert)
      number(where + ".latency_samples", from_name, e.latency_samples, ranges::latency);
  }
};

std::string_view edge_list(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::direct_output:
      return "outputs";
    case EdgeKind::send:
      return "sends";
    case EdgeKind::sidechain:
      return "sidechains";
    case EdgeKind::hardware_insert:
      return "inserts";
  }
  return "outputs";
}

}  // namespace

Diagnostics check_route_graph(const RouteGraph& graph) {
  Checker c;
  c.session(graph.session);
  std::unordered_map<std::string_view, std::size_t> index;
  std::unordered_set<std::string_view> ids;
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& n = graph.nodes[i];
    const std::string where = "nodes[" + std::to_string(i) + "]";
    c.node(where, n);
    if (!n.id.empty() && !ids.insert(n.id).second)
      c.error(where + ".id", n.name, "duplicate node id \"" + n.id + "\"");
    index.emplace(n.id, i);
  }
  // Edges are located as the file lists them: by source node, then by kind in order.
  std::unordered_map<std::string_view, std::array<std::size_t, 4>> seen;
  for (const Edge& e : graph.edges) {
    const auto from = index.find(e.from);
    if (from == index.end()) {
      c.error("edges", "", "an edge leaves unknown node \"" + e.from + "\"");
      continue;
    }
    std::size_t& k = seen[e.from][static_cast<std::size_t>(e.kind)];
    const std::string where = "nodes[" + std::to_string(from->second) + "]." +
                              std::string(edge_list(e.kind)) + "[" + std::to_string(k++) + "]";
    c.edge(where, graph.nodes[from->second].name, e, ids);
  }
  for (const auto& [stem, bus] : graph.session.stems)
    if (!ids.contains(bus)) c.error("session.stems." + stem, "", "unknown node \"" + bus + "\"");
  return std::move(c.diagnostics);
}

}  // namespace routewise
