#pragma once
// Stem membership and reachability that the stem rules share.

#include <string>
#include <vector>

#include "routewise/model/graph_index.hpp"

namespace routewise {

struct StemInfo {
  std::string name;
  NodeIndex bus = no_node;
};

// The session's stems whose bus exists in the graph, in name order.
std::vector<StemInfo> stems_of(const GraphIndex& index);

// Master nodes (kind master).
std::vector<NodeIndex> masters_of(const GraphIndex& index);

// Nodes that reach any of `targets` over unmuted audio edges without entering a `blocked` node.
std::vector<bool> reaching_avoiding(const GraphIndex& index, const std::vector<NodeIndex>& targets,
                                    const std::vector<bool>& blocked);

}  // namespace routewise
