// double-routing: a node reaches the same summing point by two direct paths (+6 dB or a comb).
#include <deque>
#include <set>
#include <unordered_map>

#include "routewise/analysis/rules.hpp"
#include "routewise/model/graph_paths.hpp"
#include "routewise/model/units.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

bool is_direct(EdgeKind k) {
  return k == EdgeKind::direct_output || k == EdgeKind::hardware_insert;
}

// Breadth-first over direct outputs and inserts from `start`; parent edge per node reached.
std::unordered_map<NodeIndex, EdgeIndex> direct_tree(const GraphIndex& index, NodeIndex start,
                                                     EdgeIndex first_edge) {
  std::unordered_map<NodeIndex, EdgeIndex> parent{{start, UINT32_MAX}};
  std::deque<NodeIndex> queue;
  if (first_edge != UINT32_MAX) {
    parent[index.to(first_edge)] = first_edge;
    queue.push_back(index.to(first_edge));
  } else {
    queue.push_back(start);
  }
  while (!queue.empty()) {
    const NodeIndex n = queue.front();
    queue.pop_front();
    for (EdgeIndex e : index.out_edges(n))
      if (is_direct(index.edge(e).kind) && !index.edge(e).mute &&
          parent.emplace(index.to(e), e).second)
        queue.push_back(index.to(e));
  }
  return parent;
}

std::vector<EdgeIndex> unwind(const GraphIndex& index,
                              const std::unordered_map<NodeIndex, EdgeIndex>& parent, NodeIndex n) {
  std::vector<EdgeIndex> path;
  for (auto it = parent.find(n); it != parent.end() && it->second != UINT32_MAX;
       it = parent.find(index.from(it->second)))
    path.push_back(it->second);
  return {path.rbegin(), path.rend()};
}

void report(const GraphIndex& index, NodeIndex source, NodeIndex meet,
            const std::vector<EdgeIndex>& a, const std::vector<EdgeIndex>& b,
            std::vector<Finding>& out) {
  const PathMetrics ma = path_metrics(index, a), mb = path_metrics(index, b);
  const double louder = std::max(ma.gain_db, mb.gain_db);
  const double coherent =
      amplitude_to_db(db_to_amplitude(ma.gain_db) + db_to_amplitude(mb.gain_db)) - louder;
  const double skew = std::fabs(ma.latency_samples - mb.latency_samples);
  Finding f = make_finding("double-routing", Severity::warning, index, {});
  add_path(f, index, a);
  for (EdgeIndex e : b) {
    f.edges.push_back(edge_ref(index, e));
    if (index.to(e) != meet) f.nodes.push_back(index.node(index.to(e)).id);
  }
  f.message =
      fmt::format("{} reaches {} twice ({} and {}); the copies add up to {} of extra level{}.",
                  quoted(index.node(source)), quoted(index.node(meet)), describe_path(index, a),
                  describe_path(index, b), format_db(coherent),
                  skew > 0 ? fmt::format(" and comb-filter ({:g} samples apart)", skew) : "");
  f.figures.push_back({"coherent build-up", coherent, "dB", "0 dB"});
  f.figures.push_back({"latency difference", skew, "samples", ""});
  const EdgeIndex extra = b.front();
  const Edge& edge = index.edge(extra);
  f.fix =
      edge.kind == EdgeKind::send
          ? fmt::format("remove the send from {} to {}: it already reaches it through its output.",
                        quoted(index.node(source)), quoted(index.node(index.to(extra))))
          : fmt::format("remove the extra output from {} to {}; keep one route into {}.",
                        quoted(index.node(source)), quoted(index.node(index.to(extra))),
                        quoted(index.node(meet)));
  out.push_back(std::move(f));
}

void run(const RuleContext& c, std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  std::set<std::pair<NodeIndex, NodeIndex>> reported;
  for (NodeIndex u = 0; u < index.node_count(); ++u) {
    std::vector<EdgeIndex> direct, sends;
    for (EdgeIndex e : index.out_edges(u)) {
      if (index.edge(e).mute) continue;
      if (is_direct(index.edge(e).kind))
        direct.push_back(e);
      else if (index.edge(e).kind == EdgeKind::send && index.to(e) != u)
        sends.push_back(e);
    }
    if (direct.size() < 2 && sends.empty()) continue;
    // Two direct branches meeting again.
    std::vector<std::unordered_map<NodeIndex, EdgeIndex>> branches;
    for (EdgeIndex e : direct) branches.push_back(direct_tree(index, u, e));
    for (std::size_t i = 0; i < branches.size(); ++i)
      for (std::size_t j = i + 1; j < branches.size(); ++j)
        for (const auto& [n, edge] : branches[j]) {
          if (n == u || !branches[i].contains(n) || !is_summing_point(index.node(n).kind)) continue;
          // Report only where the branches first meet: downstream of that, both arrive together.
          const NodeIndex via_i = index.from(branches[i].at(n)), via_j = index.from(edge);
          const bool first_meeting = (via_i == u || !branches[j].contains(via_i)) ||
                                     (via_j == u || !branches[i].contains(via_j));
          if (!first_meeting) continue;
          if (!reported.insert({u, n}).second) continue;
          report(index, u, n, unwind(index, branches[i], n), unwind(index, branches[j], n), out);
        }
    // A send into a node the source already reaches through its outputs.
    if (sends.empty()) continue;
    const auto tree = direct_tree(index, u, UINT32_MAX);
    for (EdgeIndex s : sends) {
      const NodeIndex target = index.to(s);
      if (!tree.contains(target) || !reported.insert({u, target}).second) continue;
      report(index, u, target, unwind(index, tree, target), {s}, out);
    }
  }
}

}  // namespace

const Rule rule_double_routing{
    "double-routing", "one node reaching a summing point twice", {}, run};

}  // namespace routewise
