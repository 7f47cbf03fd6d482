#pragma once
// Integer indices and adjacency over a RouteGraph, built once in linear time.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "routewise/model/route_graph.hpp"

namespace routewise {

using NodeIndex = std::uint32_t;
using EdgeIndex = std::uint32_t;
inline constexpr NodeIndex no_node = UINT32_MAX;

// Which edge kinds a query follows.
struct EdgeFilter {
  unsigned mask = 0;
  bool accepts(EdgeKind kind) const { return (mask & (1u << static_cast<unsigned>(kind))) != 0; }
  static EdgeFilter only(EdgeKind kind) { return {1u << static_cast<unsigned>(kind)}; }
  static EdgeFilter audio() {
    return {only(EdgeKind::direct_output).mask | only(EdgeKind::send).mask |
            only(EdgeKind::hardware_insert).mask};
  }
  static EdgeFilter all() { return {audio().mask | only(EdgeKind::sidechain).mask}; }
};

class GraphIndex {
 public:
  // Edges whose endpoints are not in the graph are left out of the adjacency.
  explicit GraphIndex(const RouteGraph& graph);

  const RouteGraph& graph() const { return *graph_; }
  std::size_t node_count() const { return graph_->nodes.size(); }
  std::size_t edge_count() const { return graph_->edges.size(); }
  const Node& node(NodeIndex n) const { return graph_->nodes[n]; }
  const Edge& edge(EdgeIndex e) const { return graph_->edges[e]; }
  std::optional<NodeIndex> find(std::string_view id) const;
  NodeIndex from(EdgeIndex e) const { return from_[e]; }
  NodeIndex to(EdgeIndex e) const { return to_[e]; }
  std::span<const EdgeIndex> out_edges(NodeIndex n) const;
  std::span<const EdgeIndex> in_edges(NodeIndex n) const;

 private:
  const RouteGraph* graph_;
  std::unordered_map<std::string_view, NodeIndex> by_id_;
  std::vector<NodeIndex> from_, to_;
  std::vector<std::uint32_t> out_start_, in_start_;  // CSR offsets, size node_count + 1
  std::vector<EdgeIndex> out_, in_;
};

// Distinct successor / predecessor nodes reached over edges the filter accepts, in edge order.
std::vector<NodeIndex> successors(const GraphIndex& index, NodeIndex n, EdgeFilter filter);
std::vector<NodeIndex> predecessors(const GraphIndex& index, NodeIndex n, EdgeFilter filter);

// Every node reachable from `start` over accepted edges (start included), as a membership mask.
std::vector<bool> reachable_from(const GraphIndex& index, NodeIndex start, EdgeFilter filter);
// Every node that reaches `target` over accepted edges (target included).
std::vector<bool> reaching(const GraphIndex& index, NodeIndex target, EdgeFilter filter);

}  // namespace routewise
