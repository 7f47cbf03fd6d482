#include "routewise/model/route_graph.hpp"

#include <algorithm>
#include <array>
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
  std::stable_sort(graph.edges.begin(), graph.edges.end(),
                   [&](const Edge& a, const Edge& b) { return rank(a) < rank(b); });
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
