#include "routewise/model/graph_index.hpp"

#include <unordered_set>

namespace routewise {
namespace {

void build_csr(std::size_t node_count, const std::vector<NodeIndex>& key,
               std::vector<std::uint32_t>& start, std::vector<EdgeIndex>& items) {
  start.assign(node_count + 1, 0);
  for (NodeIndex k : key)
    if (k != no_node) ++start[k + 1];
  for (std::size_t i = 0; i < node_count; ++i) start[i + 1] += start[i];
  items.assign(start[node_count], 0);
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (EdgeIndex e = 0; e < key.size(); ++e)
    if (key[e] != no_node) items[fill[key[e]]++] = e;
}

std::vector<NodeIndex> neighbours(const GraphIndex& index, std::span<const EdgeIndex> edges,
                                  EdgeFilter filter, bool forward) {
  std::vector<NodeIndex> out;
  std::unordered_set<NodeIndex> seen;
  for (EdgeIndex e : edges) {
    if (!filter.accepts(index.edge(e).kind)) continue;
    const NodeIndex other = forward ? index.to(e) : index.from(e);
    if (seen.insert(other).second) out.push_back(other);
  }
  return out;
}

std::vector<bool> flood(const GraphIndex& index, NodeIndex start, EdgeFilter filter, bool forward) {
  std::vector<bool> seen(index.node_count(), false);
  std::vector<NodeIndex> stack{start};
  seen[start] = true;
  while (!stack.empty()) {
    const NodeIndex n = stack.back();
    stack.pop_back();
    for (EdgeIndex e : forward ? index.out_edges(n) : index.in_edges(n)) {
      if (!filter.accepts(index.edge(e).kind)) continue;
      const NodeIndex next = forward ? index.to(e) : index.from(e);
      if (!seen[next]) {
        seen[next] = true;
        stack.push_back(next);
      }
    }
  }
  return seen;
}

}  // namespace

GraphIndex::GraphIndex(const RouteGraph& graph) : graph_(&graph) {
  by_id_.reserve(graph.nodes.size());
  for (NodeIndex i = 0; i < graph.nodes.size(); ++i) by_id_.emplace(graph.nodes[i].id, i);
  from_.reserve(graph.edges.size());
  to_.reserve(graph.edges.size());
  for (const Edge& e : graph.edges) {
    const auto f = find(e.from);
    const auto t = find(e.to);
    const bool valid = f && t;
    from_.push_back(valid ? *f : no_node);
    to_.push_back(valid ? *t : no_node);
  }
  build_csr(graph.nodes.size(), from_, out_start_, out_);
  build_csr(graph.nodes.size(), to_, in_start_, in_);
}

std::optional<NodeIndex> GraphIndex::find(std::string_view id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::span<const EdgeIndex> GraphIndex::out_edges(NodeIndex n) const {
  return {out_.data() + out_start_[n], out_start_[n + 1] - out_start_[n]};
}

std::span<const EdgeIndex> GraphIndex::in_edges(NodeIndex n) const {
  return {in_.data() + in_start_[n], in_start_[n + 1] - in_start_[n]};
}

std::vector<NodeIndex> successors(const GraphIndex& index, NodeIndex n, EdgeFilter filter) {
  return neighbours(index, index.out_edges(n), filter, true);
}

std::vector<NodeIndex> predecessors(const GraphIndex& index, NodeIndex n, EdgeFilter filter) {
  return neighbours(index, index.in_edges(n), filter, false);
}

std::vector<bool> reachable_from(const GraphIndex& index, NodeIndex start, EdgeFilter filter) {
  return flood(index, start, filter, true);
}

std::vector<bool> reaching(const GraphIndex& index, NodeIndex target, EdgeFilter filter) {
  return flood(index, target, filter, false);
}

}  // namespace routewise
