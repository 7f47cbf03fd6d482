// stem-bleed: a stem member reaches the mix without passing through its own stem bus.
#include <deque>
#include <map>
#include <unordered_map>

#include "routewise/analysis/rules.hpp"
#include "routewise/analysis/stem_map.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

// Shortest path from `from` to a master that never enters `blocked` (empty when there is none).
std::vector<EdgeIndex> path_to_master(const GraphIndex& index, NodeIndex from, NodeIndex blocked) {
  std::map<NodeIndex, EdgeIndex> parent{{from, UINT32_MAX}};
  std::deque<NodeIndex> queue{from};
  while (!queue.empty()) {
    const NodeIndex n = queue.front();
    queue.pop_front();
    if (index.node(n).kind == NodeKind::master) {
      std::vector<EdgeIndex> path;
      for (NodeIndex m = n; parent.at(m) != UINT32_MAX; m = index.from(parent.at(m)))
        path.push_back(parent.at(m));
      return {path.rbegin(), path.rend()};
    }
    for (EdgeIndex e : index.out_edges(n)) {
      const Edge& edge = index.edge(e);
      if (!carries_audio(edge.kind) || edge.mute || index.to(e) == blocked) continue;
      if (parent.emplace(index.to(e), e).second) queue.push_back(index.to(e));
    }
  }
  return {};
}

std::string fix_for(const GraphIndex& index, EdgeIndex e, const Node& stem_bus,
                    const std::string& stem) {
  const Node& from = index.node(index.from(e));
  const Node& to = index.node(index.to(e));
  switch (index.edge(e).kind) {
    case EdgeKind::send:
      return fmt::format(
          "remove the send from {} to {}, or send to a return that belongs to the "
          "{} stem and outputs to {}.",
          quoted(from), quoted(to), stem, quoted(stem_bus));
    case EdgeKind::hardware_insert:
      return fmt::format("patch the insert on {} so that it returns into {}.", quoted(from),
                         quoted(stem_bus));
    default:
      return fmt::format("route {} output to {} instead of {}.", quoted(from), quoted(stem_bus),
                         quoted(to));
  }
}

struct Leak {
  std::size_t sources = 0;             // tracks and inputs of the stem whose signal takes this exit
  std::vector<EdgeIndex> from_source;  // path from the nearest of them to the exit node
};

// Walks back from the exit node through the stem's own nodes to the sources that feed it.
template <typename InStem>
Leak trace_leak(const GraphIndex& index, NodeIndex leaving, const InStem& in_stem) {
  std::unordered_map<NodeIndex, EdgeIndex> towards_exit{{leaving, UINT32_MAX}};
  std::deque<NodeIndex> queue{leaving};
  Leak leak;
  NodeIndex nearest = no_node;
  while (!queue.empty()) {
    const NodeIndex n = queue.front();
    queue.pop_front();
    const NodeKind kind = index.node(n).kind;
    if (kind == NodeKind::track || kind == NodeKind::hardware_input) {
      ++leak.sources;
      if (nearest == no_node) nearest = n;
    }
    for (EdgeIndex e : index.in_edges(n)) {
      const NodeIndex from = index.from(e);
      if (carries_audio(index.edge(e).kind) && !index.edge(e).mute && in_stem(from) &&
          towards_exit.emplace(from, e).second)
        queue.push_back(from);
    }
  }
  for (NodeIndex n = nearest; n != no_node && towards_exit.at(n) != UINT32_MAX;
       n = index.to(towards_exit.at(n)))
    leak.from_source.push_back(towards_exit.at(n));
  return leak;
}

void check_stem(const GraphIndex& index, const StemInfo& stem,
                const std::vector<NodeIndex>& members, std::vector<Finding>& out) {
  const auto in_stem = [&](NodeIndex n) {
    return n != stem.bus && index.node(n).stem == stem.name &&
           index.node(n).kind != NodeKind::master;
  };
  // Every edge that leaves the stem's own nodes for somewhere other than its bus is a way out;
  // it leaks when the mix can be reached from there without the bus. Searching downstream of
  // each exit (memoised) keeps the cost to the stem's edges and what lies below its exits.
  std::unordered_map<NodeIndex, std::vector<EdgeIndex>> route_from_exit;
  const Node& bus = index.node(stem.bus);
  for (NodeIndex member : members) {
    if (!in_stem(member)) continue;
    for (EdgeIndex e : index.out_edges(member)) {
      const Edge& edge = index.edge(e);
      const NodeIndex to = index.to(e);
      if (!carries_audio(edge.kind) || edge.mute || to == stem.bus || in_stem(to)) continue;
      auto [it, fresh] = route_from_exit.try_emplace(to);
      if (fresh) it->second = path_to_master(index, to, stem.bus);
      const bool to_is_master = index.node(to).kind == NodeKind::master;
      if (it->second.empty() && !to_is_master) continue;
      const Leak leak = trace_leak(index, member, in_stem);
      std::vector<EdgeIndex> path = leak.from_source;
      path.push_back(e);
      path.insert(path.end(), it->second.begin(), it->second.end());
      Finding f = make_finding("stem-bleed", Severity::error, index, {});
      add_path(f, index, path);
      f.message = fmt::format(
          "{} belongs to the {} stem but feeds {}, so {} the mix without passing {} ({}); "
          "the {} stem export will miss it and the stems will not null against the mix.",
          quoted(index.node(member)), stem.name, quoted(index.node(to)),
          leak.sources == 1 ? "1 source reaches" : fmt::format("{} sources reach", leak.sources),
          quoted(bus), describe_path(index, path), stem.name);
      f.figures.push_back({"stem sources leaking", static_cast<double>(leak.sources), "", "0"});
      f.fix = fix_for(index, e, bus, stem.name);
      out.push_back(std::move(f));
    }
  }
}

void run(const RuleContext& context, std::vector<Finding>& out) {
  const GraphIndex& index = context.index();
  if (masters_of(index).empty()) return;
  const auto stems = stems_of(index);
  std::unordered_map<std::string_view, std::vector<NodeIndex>> members;
  for (NodeIndex n = 0; n < index.node_count(); ++n)
    if (const auto& tag = index.node(n).stem) members[*tag].push_back(n);
  static const std::vector<NodeIndex> none;
  for (const StemInfo& stem : stems) {
    const auto it = members.find(stem.name);
    check_stem(index, stem, it == members.end() ? none : it->second, out);
  }
}

}  // namespace

const Rule rule_stem_bleed{
    "stem-bleed", "a stem member reaches the mix without passing its stem bus", {}, run};

}  // namespace routewise
