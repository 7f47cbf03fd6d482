#pragma once
// Topological order with a cycle report, in linear time.

#include <vector>

#include "routewise/model/graph_index.hpp"

namespace routewise {

struct Cycle {
  std::vector<NodeIndex> nodes;  // n0 -> n1 -> ... -> n0, starting at the lowest node index
  std::vector<EdgeIndex> edges;  // edges[i] goes nodes[i] -> nodes[(i+1) % size]
};

struct TopologicalOrder {
  std::vector<NodeIndex> order;  // every node not on a cycle, sources first
  std::vector<Cycle> cycles;     // one concrete cycle per strongly connected component
};

TopologicalOrder topological_order(const GraphIndex& index, EdgeFilter filter);

// Strongly connected components with more than one node or a self-edge (iterative Tarjan).
std::vector<std::vector<NodeIndex>> cyclic_components(const GraphIndex& index, EdgeFilter filter);

}  // namespace routewise
