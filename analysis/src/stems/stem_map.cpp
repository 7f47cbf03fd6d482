#include "routewise/analysis/stem_map.hpp"

namespace routewise {

std::vector<StemInfo> stems_of(const GraphIndex& index) {
  std::vector<StemInfo> out;
  for (const auto& [name, bus] : index.graph().session.stems)
    if (const auto n = index.find(bus)) out.push_back({name, *n});
  return out;
}

std::vector<NodeIndex> masters_of(const GraphIndex& index) {
  std::vector<NodeIndex> out;
  for (NodeIndex n = 0; n < index.node_count(); ++n)
    if (index.node(n).kind == NodeKind::master) out.push_back(n);
  return out;
}

std::vector<bool> reaching_avoiding(const GraphIndex& index, const std::vector<NodeIndex>& targets,
                                    const std::vector<bool>& blocked) {
  std::vector<bool> seen(index.node_count(), false);
  std::vector<NodeIndex> stack;
  for (NodeIndex t : targets) {
    if (blocked[t] || seen[t]) continue;
    seen[t] = true;
    stack.push_back(t);
  }
  while (!stack.empty()) {
    const NodeIndex n = stack.back();
    stack.pop_back();
    for (EdgeIndex e : index.in_edges(n)) {
      const Edge& edge = index.edge(e);
      if (!carries_audio(edge.kind) || edge.mute) continue;
      const NodeIndex from = index.from(e);
      if (seen[from] || blocked[from]) continue;
      seen[from] = true;
      stack.push_back(from);
    }
  }
  return seen;
}

}  // namespace routewise
