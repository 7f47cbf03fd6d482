#include "routewise/model/level_estimate.hpp"

#include <algorithm>

#include "routewise/model/graph_order.hpp"
#include "routewise/model/graph_paths.hpp"
#include "routewise/model/units.hpp"

namespace routewise {

std::optional<double> level_at_tap(const Node& node, const NodeLevel& level, TapPoint tap) {
  if (!level.input_dbfs) return std::nullopt;
  const PathMetrics m = node_contribution(node, tap);
  if (m.muted) return std::nullopt;
  return *level.input_dbfs + m.gain_db;
}

std::vector<NodeLevel> estimate_levels(const GraphIndex& index) {
  std::vector<NodeLevel> levels(index.node_count());
  std::vector<double> terms;
  for (NodeIndex n : topological_order(index, EdgeFilter::audio()).order) {
    const Node& node = index.node(n);
    NodeLevel& level = levels[n];
    terms.clear();
    if (node.source.average_dbfs) terms.push_back(*node.source.average_dbfs);
    for (EdgeIndex e : index.in_edges(n)) {
      const Edge& edge = index.edge(e);
      if (!carries_audio(edge.kind) || edge.mute) continue;
      const NodeIndex from = index.from(e);
      const TapPoint tap = edge.kind == EdgeKind::send ? edge.tap : TapPoint::post_fader;
      const auto at_tap = level_at_tap(index.node(from), levels[from], tap);
      if (!at_tap) continue;
      terms.push_back(*at_tap + (edge.kind == EdgeKind::send ? edge.level_db : 0.0));
    }
    level.contributions = terms.size();
    if (!terms.empty()) {
      level.input_dbfs = power_sum_db(terms.data(), terms.size());
      level.loudest_input_dbfs = *std::max_element(terms.begin(), terms.end());
    }
    const double through_gain = node_contribution(node, TapPoint::post_fader).gain_db;
    if (node.measured.average_dbfs) {
      level.output_dbfs = *node.measured.average_dbfs;
      level.input_dbfs = *node.measured.average_dbfs - through_gain;
      level.from_meter = true;
    } else if (level.input_dbfs && !node.mute) {
      level.output_dbfs = *level.input_dbfs + through_gain;
    }
  }
  return levels;
}

}  // namespace routewise
