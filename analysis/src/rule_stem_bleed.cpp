// stem-bleed: a stem member reaches the mix without passing through its own stem bus.
#include <deque>
#include <map>
#include <unordered_map>

#include "routewise/analysis/rules.hpp"
#include "routewise/analysis/stem_map.hpp"
#include "rule_support.hpp"

namespace routewise {
namespace {

// Shortest path from `from` to any master that never enters `blocked`.
std::vector<EdgeIndex> path_to_master(const GraphIndex& index, NodeIndex from,
                                      const std::vector<bool>& blocked) {
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
      if (!carries_audio(edge.kind) || edge.mute || blocked[index.to(e)]) continue;
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
      return fmt::format("remove the send from {} to {}, or send to a return that belongs to the "
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
  std::size_t sources = 0;         // tracks and inputs of the stem whose signal takes this exit
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

void check_stem(const GraphIndex& index, const StemInfo& stem, const std::vector<NodeIndex>& masters,
                std::vector<Finding>& out) {
  const auto in_stem = [&](NodeIndex n) {
    return n != stem.bus && index.node(n).stem == stem.name &&
           index.node(n).kind != NodeKind::master;
  };
  std::vector<bool> blocked(index.node_count(), false);
  blocked[stem.bus] = true;
  const std::vector<bool> reaches_mix = reaching_avoiding(index, masters, blocked);

  // Breadth-first through the stem's own nodes, from all members at once.
  std::vector<EdgeIndex> parent(index.node_count(), UINT32_MAX);
  std::vector<bool> seen(index.node_count(), false);
  std::deque<NodeIndex> queue;
  for (NodeIndex n = 0; n < index.node_count(); ++n)
    if (in_stem(n)) {
      seen[n] = true;
      queue.push_back(n);
    }
  std::vector<EdgeIndex> escapes;
  while (!queue.empty()) {
    const NodeIndex n = queue.front();
    queue.pop_front();
    for (EdgeIndex e : index.out_edges(n)) {
      const Edge& edge = index.edge(e);
      const NodeIndex to = index.to(e);
      if (!carries_audio(edge.kind) || edge.mute || to == stem.bus) continue;
      if (in_stem(to)) {
        if (!seen[to]) {
          seen[to] = true;
          parent[to] = e;
          queue.push_back(to);
        }
      } else if (reaches_mix[to]) {
        escapes.push_back(e);
      }
    }
  }

  const Node& bus = index.node(stem.bus);
  for (EdgeIndex e : escapes) {
    const NodeIndex leaving = index.from(e);
    const Leak leak = trace_leak(index, leaving, in_stem);
    std::vector<EdgeIndex> path = leak.from_source;
    path.push_back(e);
    const std::vector<EdgeIndex> rest = path_to_master(index, index.to(e), blocked);
    path.insert(path.end(), rest.begin(), rest.end());
    Finding f = make_finding("stem-bleed", Severity::error, index, {});
    add_path(f, index, path);
    const Node& from = index.node(leaving);
    const Node& to = index.node(index.to(e));
    f.message = fmt::format(
        "{} belongs to the {} stem but feeds {}, so {} the mix without passing {} ({}); "
        "the {} stem export will miss it and the stems will not null against the mix.",
        quoted(from), stem.name, quoted(to),
        leak.sources == 1 ? "1 source reaches" : fmt::format("{} sources reach", leak.sources),
        quoted(bus),
        describe_path(index, path), stem.name);
    f.figures.push_back({"stem sources leaking", static_cast<double>(leak.sources), "", "0"});
    f.fix = fix_for(index, e, bus, stem.name);
    out.push_back(std::move(f));
  }
}

void run(const RuleContext& context, std::vector<Finding>& out) {
  const GraphIndex& index = context.index();
  const auto masters = masters_of(index);
  if (masters.empty()) return;
  for (const StemInfo& stem : stems_of(index)) check_stem(index, stem, masters, out);
}

}  // namespace

const Rule rule_stem_bleed{"stem-bleed",
                           "a stem member reaches the mix without passing its stem bus", {}, run};

}  // namespace routewise
