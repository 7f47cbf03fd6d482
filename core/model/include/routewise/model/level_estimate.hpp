#pragma once
// Estimated programme levels at every node, from source levels, gains and meter readings.

#include <optional>
#include <vector>

#include "routewise/model/graph_index.hpp"

namespace routewise {

struct NodeLevel {
  std::optional<double> input_dbfs;   // power sum of everything arriving (sources included)
  std::optional<double> output_dbfs;  // after trim, plugins and fader
  std::size_t contributions = 0;      // inputs with a known level
  std::optional<double> loudest_input_dbfs;
  bool from_meter = false;  // output taken from a measured reading
};

// Walks the audio graph in topological order (nodes on loops stay unknown). Muted edges and
// nodes contribute nothing. A node with `measured.average_dbfs` uses the reading as its output
// and derives its input from it.
std::vector<NodeLevel> estimate_levels(const GraphIndex& index);

// The level a node puts on an edge tapped at `tap`, given its estimated levels.
std::optional<double> level_at_tap(const Node& node, const NodeLevel& level, TapPoint tap);

}  // namespace routewise
