#include "routewise/analysis/latency_from_store.hpp"

#include <cmath>
#include <cstdio>

namespace routewise {
namespace {

const Node* find_node(const RouteGraph& graph, std::string_view id) {
  for (const Node& n : graph.nodes)
    if (n.id == id) return &n;
  return nullptr;
}

std::string target_of(const Edge& edge) {
  return edge.from + ">" + edge.to;
}

}  // namespace

std::optional<std::string> insert_target(const RouteGraph& graph, std::string_view insert) {
  for (const Edge& edge : graph.edges) {
    if (edge.kind != EdgeKind::hardware_insert) continue;
    const Node* unit = find_node(graph, edge.to);
    if (target_of(edge) == insert || edge.to == insert || (unit && unit->name == insert))
      return target_of(edge);
  }
  return std::nullopt;
}

std::vector<std::string> apply_measured_latencies(RouteGraph& graph,
                                                  const std::vector<LatencyMeasurement>& latest) {
  std::vector<std::string> notes;
  for (Edge& edge : graph.edges) {
    if (edge.kind != EdgeKind::hardware_insert) continue;
    for (const LatencyMeasurement& m : latest) {
      if (m.target != target_of(edge) || !(m.sample_rate_hz > 0.0)) continue;
      const double samples = m.latency_samples * graph.session.sample_rate_hz / m.sample_rate_hz;
      const Node* unit = find_node(graph, edge.to);
      char text[256];
      std::snprintf(text, sizeof text, "%.3f", samples);
      std::string note = "'" + (unit ? unit->name : edge.to) + "' round trip: measured " + text +
                         " samples (" + m.method + ", " + m.measured_at + ")";
      if (edge.latency_samples) {
        std::snprintf(text, sizeof text, "%.3f", *edge.latency_samples);
        note += " instead of the session's " + std::string(text);
      }
      edge.latency_samples = samples;
      notes.push_back(note);
      break;
    }
  }
  return notes;
}

}  // namespace routewise
