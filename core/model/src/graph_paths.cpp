#include "routewise/model/graph_paths.hpp"

namespace routewise {

PathSet all_paths(const GraphIndex& index, NodeIndex from, NodeIndex to, EdgeFilter filter,
                  PathLimits limits) {
  PathSet result;
  const std::vector<bool> useful = reaching(index, to, filter);
  if (!useful[from]) return result;

  std::vector<bool> on_path(index.node_count(), false);
  struct Frame {
    NodeIndex node;
    std::size_t next_edge;
  };
  std::vector<Frame> frames{{from, 0}};
  Path path;
  on_path[from] = true;
  while (!frames.empty()) {
    Frame& frame = frames.back();
    const auto out = index.out_edges(frame.node);
    if (frame.next_edge == out.size()) {
      on_path[frame.node] = false;
      frames.pop_back();
      if (!path.empty()) path.pop_back();
      continue;
    }
    const EdgeIndex e = out[frame.next_edge++];
    const NodeIndex next = index.to(e);
    if (!filter.accepts(index.edge(e).kind) || !useful[next] || on_path[next]) continue;
    if (next == to) {
      if (result.paths.size() == limits.max_paths) {
        result.truncated = true;
        break;
      }
      path.push_back(e);
      result.paths.push_back(path);
      path.pop_back();
      continue;
    }
    if (path.size() + 1 >= limits.max_edges) {
      result.truncated = true;
      continue;
    }
    path.push_back(e);
    on_path[next] = true;
    frames.push_back({next, 0});
  }
  return result;
}

PathMetrics node_contribution(const Node& node, TapPoint tap) {
  PathMetrics m;
  m.gain_db = node.trim_db;
  if (tap != TapPoint::pre_fx) {
    for (const Plugin& p : node.plugins) {
      if (p.bypassed) continue;
      m.gain_db += p.gain_db;
      m.latency_samples += p.latency_samples;
    }
    if (!node.pdc_enabled) m.uncompensated_latency_samples = m.latency_samples;
  }
  if (tap == TapPoint::post_fader) {
    m.gain_db += node.fader_db;
    m.muted = node.mute;
  }
  return m;
}

PathMetrics path_metrics(const GraphIndex& index, std::span<const EdgeIndex> path) {
  PathMetrics total;
  for (EdgeIndex e : path) {
    const Edge& edge = index.edge(e);
    const bool tapped = edge.kind == EdgeKind::send || edge.kind == EdgeKind::sidechain;
    const PathMetrics node =
        node_contribution(index.node(index.from(e)), tapped ? edge.tap : TapPoint::post_fader);
    total.gain_db += node.gain_db;
    total.latency_samples += node.latency_samples;
    total.uncompensated_latency_samples += node.uncompensated_latency_samples;
    total.muted = total.muted || node.muted;
    if (tapped) {
      total.gain_db += edge.level_db;
      total.muted = total.muted || edge.mute;
    }
    if (edge.kind == EdgeKind::hardware_insert) {
      if (!edge.latency_samples) {
        total.latency_unknown = true;
      } else {
        total.latency_samples += *edge.latency_samples;
        if (!edge.compensated) total.uncompensated_latency_samples += *edge.latency_samples;
      }
    }
  }
  return total;
}

}  // namespace routewise
