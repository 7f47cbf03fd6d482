#pragma once
// Bounded path enumeration and per-path accumulated latency and gain.

#include <cstddef>
#include <span>
#include <vector>

#include "routewise/model/graph_index.hpp"

namespace routewise {

using Path = std::vector<EdgeIndex>;  // consecutive edges; path.front() leaves the start node

struct PathLimits {
  std::size_t max_paths = 256;
  std::size_t max_edges = 64;
};

struct PathSet {
  std::vector<Path> paths;
  bool truncated = false;  // a limit stopped the enumeration; more paths exist
};

// Simple paths (no repeated node) from `from` to `to` over accepted edges, in edge order.
// Only nodes that can still reach `to` are explored, so the cost is bounded by the output.
PathSet all_paths(const GraphIndex& index, NodeIndex from, NodeIndex to, EdgeFilter filter,
                  PathLimits limits = {});

struct PathMetrics {
  double gain_db = 0.0;                        // level change from the start node's input
  double latency_samples = 0.0;                // all latency along the path
  double uncompensated_latency_samples = 0.0;  // latency the DAW's PDC does not align
  bool latency_unknown = false;                // a hardware insert without a measured round trip
  bool muted = false;                          // a mute on the path silences it
};

// Walks the path: each node contributes trim, plugins and fader up to the tap point of the edge
// that leaves it; sends add their level, inserts their round trip. The end node adds nothing.
PathMetrics path_metrics(const GraphIndex& index, std::span<const EdgeIndex> path);

// The contribution of one node up to a tap point (used by path_metrics and the level estimator).
PathMetrics node_contribution(const Node& node, TapPoint tap);

}  // namespace routewise
