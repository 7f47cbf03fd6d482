#include "routewise/model/route_graph.hpp"

#include <algorithm>
#include <array>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace routewise {
namespace {

constexpr std::array<std::pair<NodeKind, std::string_view>, 9> node_kind_names{{
    {NodeKind::track, "track"},
    {NodeKind::bus, "bus"},
    {NodeKind::aux_return, "aux-return"},
    {NodeKind::stem_bus, "stem-bus"},
    {NodeKind::master, "master"},
    {NodeKind::cue_mix, "cue-mix"},
    {NodeKind::hardware_input, "hardware-input"},
    {NodeKind::hardware_output, "hardware-output"},
    {NodeKind::hardware_insert, "hardware-insert"},
}};

constexpr std::array<std::pair<TapPoint, std::string_view>, 3> tap_names{{
    {TapPoint::pre_fx, "pre-fx"},
    {TapPoint::pre_fader, "pre-fader"},
    {TapPoint::post_fader, "post-fader"},
}};

}  // namespace

std::string_view to_string(NodeKind kind) {
  for (const auto& [k, name] : node_kind_names)
    if (k == kind) return name;
  return "?";
}

std::string_view to_string(TapPoint tap) {
  for (const auto& [t, name] : tap_names)
    if (t == tap) return name;
  return "?";
}

std::string_view to_string(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::direct_output:
      return "output";
    case EdgeKind::send:
      return "send";
    case EdgeKind::sidechain:
      return "sidechain";
    case EdgeKind::hardware_insert:
      return "insert";
  }
  return "?";
}

std::optional<NodeKind> node_kind_from_string(std::string_view text) {
  for (const auto& [k, name] : node_kind_names)
    if (name == text) return k;
  return std::nullopt;
}

std::optional<TapPoint> tap_point_from_string(std::string_view text) {
  for (const auto& [t, name] : tap_names)
    if (name == text) return t;
  return std::nullopt;
}

void canonicalize_edges(RouteGraph& graph) {
  std::unordered_map<std::string_view, std::size_t> position;
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) position.emplace(graph.nodes[i].id, i);
  const auto rank = [&](const Edge& e) {
    const auto it = position.find(e.from);
    return std::pair(it == position.end() ? graph.nodes.size() : it->second,
                     static_cast<int>(e.kind));
  };
  // Sorted through small keys and put in place by following the permutation's cycles: a stable
  // sort of the edges themselves would take a buffer of up to all of them (most of a large
  // import's peak memory).
  struct Key {
    std::pair<std::size_t, int> rank;
    std::size_t at;
    bool operator<(const Key& o) const { return std::tie(rank, at) < std::tie(o.rank, o.at); }
  };
  std::vector<Key> keys;
  keys.reserve(graph.edges.size());
  for (std::size_t i = 0; i < graph.edges.size(); ++i) keys.push_back({rank(graph.edges[i]), i});
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // Position i takes the edge from keys[i].at; walk that cycle, marking done entries.
    if (keys[i].at == i || keys[i].at == static_cast<std::size_t>(-1)) continue;
    Edge held = std::move(graph.edges[i]);
    std::size_t to = i;
    while (keys[to].at != i) {
      const std::size_t from = keys[to].at;
      graph.edges[to] = std::move(graph.edges[from]);
      keys[to].at = static_cast<std::size_t>(-1);
      to = from;
    }
    graph.edges[to] = std::move(held);
    keys[to].at = static_cast<std::size_t>(-1);
  }
  const std::string* previous = nullptr;
  for (Edge& e : graph.edges) {
    if (e.kind != EdgeKind::direct_output) continue;
    e.primary = previous == nullptr || *previous != e.from;
    previous = &e.from;
  }
}

bool is_summing_point(NodeKind kind) {
  switch (kind) {
    case NodeKind::bus:
    case NodeKind::aux_return:
    case NodeKind::stem_bus:
    case NodeKind::master:
    case NodeKind::cue_mix:
      return true;
    default:
      return false;
  }
}

}  // namespace routewise
