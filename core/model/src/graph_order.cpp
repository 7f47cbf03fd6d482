#include "routewise/model/graph_order.hpp"

#include <algorithm>
#include <deque>

namespace routewise {
namespace {

// A shortest cycle through `start` inside one component, found by breadth-first search.
// `parent_edge` is scratch space of node_count entries, all UINT32_MAX on entry and on return.
Cycle cycle_through(const GraphIndex& index, NodeIndex start, const std::vector<int>& component_of,
                    EdgeFilter filter, std::vector<EdgeIndex>& parent_edge) {
  const int component = component_of[start];
  std::vector<NodeIndex> touched;
  std::deque<NodeIndex> queue{start};
  EdgeIndex closing = UINT32_MAX;
  while (!queue.empty() && closing == UINT32_MAX) {
    const NodeIndex n = queue.front();
    queue.pop_front();
    for (EdgeIndex e : index.out_edges(n)) {
      if (!filter.accepts(index.edge(e).kind)) continue;
      const NodeIndex next = index.to(e);
      if (component_of[next] != component) continue;
      if (next == start) {
        closing = e;
        break;
      }
      if (parent_edge[next] == UINT32_MAX) {
        parent_edge[next] = e;
        touched.push_back(next);
        queue.push_back(next);
      }
    }
  }
  Cycle cycle;
  for (EdgeIndex e = closing; e != UINT32_MAX;) {
    cycle.edges.push_back(e);
    const NodeIndex f = index.from(e);
    if (f == start) break;
    e = parent_edge[f];
  }
  std::reverse(cycle.edges.begin(), cycle.edges.end());
  for (EdgeIndex e : cycle.edges) cycle.nodes.push_back(index.from(e));
  for (NodeIndex t : touched) parent_edge[t] = UINT32_MAX;
  return cycle;
}

}  // namespace

std::vector<std::vector<NodeIndex>> cyclic_components(const GraphIndex& index, EdgeFilter filter) {
  const std::size_t n = index.node_count();
  constexpr std::uint32_t unvisited = UINT32_MAX;
  std::vector<std::uint32_t> order(n, unvisited), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<NodeIndex> stack;
  struct Frame {
    NodeIndex node;
    std::size_t next_edge;
  };
  std::vector<Frame> frames;
  std::vector<std::vector<NodeIndex>> result;
  std::uint32_t counter = 0;

  for (NodeIndex root = 0; root < n; ++root) {
    if (order[root] != unvisited) continue;
    frames.push_back({root, 0});
    order[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      Frame& frame = frames.back();
      const auto out = index.out_edges(frame.node);
      if (frame.next_edge < out.size()) {
        const EdgeIndex e = out[frame.next_edge++];
        if (!filter.accepts(index.edge(e).kind)) continue;
        const NodeIndex next = index.to(e);
        if (order[next] == unvisited) {
          order[next] = low[next] = counter++;
          stack.push_back(next);
          on_stack[next] = true;
          frames.push_back({next, 0});
        } else if (on_stack[next]) {
          low[frame.node] = std::min(low[frame.node], order[next]);
        }
        continue;
      }
      const NodeIndex done = frame.node;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().node] = std::min(low[frames.back().node], low[done]);
      if (low[done] != order[done]) continue;
      std::vector<NodeIndex> component;
      NodeIndex member;
      do {
        member = stack.back();
        stack.pop_back();
        on_stack[member] = false;
        component.push_back(member);
      } while (member != done);
      bool cyclic = component.size() > 1;
      for (EdgeIndex e : index.out_edges(done))
        cyclic = cyclic || (filter.accepts(index.edge(e).kind) && index.to(e) == done);
      if (cyclic) {
        std::sort(component.begin(), component.end());
        result.push_back(std::move(component));
      }
    }
  }
  std::sort(result.begin(), result.end());
  return result;
}

TopologicalOrder topological_order(const GraphIndex& index, EdgeFilter filter) {
  TopologicalOrder result;
  const auto components = cyclic_components(index, filter);
  std::vector<int> component_of(index.node_count(), -1);
  for (std::size_t c = 0; c < components.size(); ++c)
    for (NodeIndex n : components[c]) component_of[n] = static_cast<int>(c);
  std::vector<EdgeIndex> scratch(index.node_count(), UINT32_MAX);
  for (const auto& component : components)
    result.cycles.push_back(cycle_through(index, component.front(), component_of, filter, scratch));

  // Kahn's algorithm over the nodes outside cycles; edges into or out of cycles are ignored.
  std::vector<std::uint32_t> in_degree(index.node_count(), 0);
  for (EdgeIndex e = 0; e < index.edge_count(); ++e) {
    if (index.from(e) == no_node || !filter.accepts(index.edge(e).kind)) continue;
    if (component_of[index.from(e)] < 0 && component_of[index.to(e)] < 0) ++in_degree[index.to(e)];
  }
  std::deque<NodeIndex> ready;
  for (NodeIndex n = 0; n < index.node_count(); ++n)
    if (component_of[n] < 0 && in_degree[n] == 0) ready.push_back(n);
  while (!ready.empty()) {
    const NodeIndex n = ready.front();
    ready.pop_front();
    result.order.push_back(n);
    for (EdgeIndex e : index.out_edges(n)) {
      if (!filter.accepts(index.edge(e).kind) || component_of[index.to(e)] >= 0) continue;
      if (--in_degree[index.to(e)] == 0) ready.push_back(index.to(e));
    }
  }
  return result;
}

}  // namespace routewise
