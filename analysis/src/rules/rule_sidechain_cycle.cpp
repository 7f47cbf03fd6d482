// sidechain-cycle: a loop that closes only through a sidechain key (legal in some DAWs,
// suspicious).
#include <deque>
#include <unordered_map>

#include "routewise/analysis/rules.hpp"
#include "routewise/model/graph_order.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

// Shortest path from `from` to `to` staying inside one component, over any edge kind.
std::vector<EdgeIndex> path_within(const GraphIndex& index, NodeIndex from, NodeIndex to,
                                   const std::vector<int>& component_of) {
  // Sparse bookkeeping: the search stays inside one component, so its cost is the component's.
  std::unordered_map<NodeIndex, EdgeIndex> parent{{from, UINT32_MAX}};
  std::deque<NodeIndex> queue{from};
  while (!queue.empty()) {
    const NodeIndex n = queue.front();
    queue.pop_front();
    if (n == to) break;
    for (EdgeIndex e : index.out_edges(n)) {
      const NodeIndex next = index.to(e);
      if (component_of[next] != component_of[from] || !parent.emplace(next, e).second) continue;
      queue.push_back(next);
    }
  }
  std::vector<EdgeIndex> path;
  for (NodeIndex n = to; parent.at(n) != UINT32_MAX; n = index.from(parent.at(n)))
    path.push_back(parent.at(n));
  return {path.rbegin(), path.rend()};
}

void run(const RuleContext& context, std::vector<Finding>& out) {
  const GraphIndex& index = context.index();
  const auto components = cyclic_components(index, EdgeFilter::all());
  std::vector<int> component_of(index.node_count(), -1);
  for (std::size_t c = 0; c < components.size(); ++c)
    for (NodeIndex n : components[c]) component_of[n] = static_cast<int>(c);
  std::vector<bool> reported(components.size(), false);
  for (EdgeIndex e = 0; e < index.edge_count(); ++e) {
    if (index.edge(e).kind != EdgeKind::sidechain || index.from(e) == no_node) continue;
    const int c = component_of[index.from(e)];
    if (c < 0 || c != component_of[index.to(e)] || reported[c]) continue;
    reported[c] = true;
    std::vector<EdgeIndex> loop = path_within(index, index.to(e), index.from(e), component_of);
    loop.insert(loop.begin(), e);
    const Node& key_source = index.node(index.from(e));
    const Node& keyed = index.node(index.to(e));
    Finding f = make_finding("sidechain-cycle", Severity::warning, index, {});
    add_path(f, index, loop);
    f.nodes.pop_back();  // the loop returns to its first node
    f.message = fmt::format(
        "{} keys {} on {}, and {}'s signal comes back to {} ({}); the detector listens to its "
        "own result.",
        quoted(key_source), index.edge(e).plugin, quoted(keyed), keyed.name, quoted(key_source),
        describe_path(index, loop));
    f.figures.push_back({"nodes in loop", static_cast<double>(loop.size()), "", "0"});
    f.fix = fmt::format(
        "take the key for {} from a source upstream of {}, or remove the path "
        "from {} back to {}.",
        index.edge(e).plugin, quoted(keyed), quoted(keyed), quoted(key_source));
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_sidechain_cycle{"sidechain-cycle", "a loop closed by a sidechain key", {}, run};

}  // namespace routewise
