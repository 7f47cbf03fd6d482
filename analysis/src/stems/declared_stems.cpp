#include "routewise/analysis/declared_stems.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <vector>

#include "text_compare.hpp"

namespace routewise {
namespace {

// The nodes a stem's bus reference can mean: the id, else exact names, else names ignoring case.
std::vector<const Node*> candidates(const RouteGraph& graph, const std::string& bus) {
  std::vector<const Node*> out;
  for (const Node& n : graph.nodes)
    if (n.id == bus) return {&n};
  for (const Node& n : graph.nodes)
    if (n.name == bus) out.push_back(&n);
  if (!out.empty()) return out;
  for (const Node& n : graph.nodes)
    if (same_ignoring_case(n.name, bus)) out.push_back(&n);
  return out;
}

std::string bus_names(const RouteGraph& graph) {
  std::string out;
  for (const Node& n : graph.nodes)
    if (is_summing_point(n.kind) && n.kind != NodeKind::master)
      out += fmt::format("{}'{}'", out.empty() ? "" : ", ", n.name.empty() ? n.id : n.name);
  return out.empty() ? "the session has no buses" : "buses: " + out;
}

using Feeders = std::multimap<std::string, std::string>;  // to -> from, over outputs and inserts

// Nodes whose routing (outputs and inserts, not sends) leads into `bus` without passing another
// stem's bus or the master: what a stem export of that bus would hold.
std::set<std::string> routed_into(const Feeders& feeders, const std::string& bus,
                                  const std::set<std::string>& stop) {
  std::set<std::string> seen{bus};
  std::vector<std::string> stack{bus};
  while (!stack.empty()) {
    const std::string n = stack.back();
    stack.pop_back();
    const auto [first, last] = feeders.equal_range(n);
    for (auto it = first; it != last; ++it)
      if (!stop.contains(it->second) && seen.insert(it->second).second) stack.push_back(it->second);
  }
  seen.erase(bus);
  return seen;
}

// Members of the declared stems: a node routed into exactly one declared stem bus carries that
// stem's tag (unless the session tagged it already).
void tag_members(RouteGraph& graph, const std::map<std::string, std::string>& declared) {
  std::set<std::string> stop;
  for (const auto& [stem, bus] : declared) stop.insert(bus);
  for (const Node& n : graph.nodes)
    if (n.kind == NodeKind::master) stop.insert(n.id);
  Feeders feeders;
  for (const Edge& e : graph.edges)
    if (e.kind == EdgeKind::direct_output || e.kind == EdgeKind::hardware_insert)
      feeders.emplace(e.to, e.from);
  std::map<std::string, std::vector<std::string>> stems_of_node;
  for (const auto& [stem, bus] : declared)
    for (const std::string& id : routed_into(feeders, bus, stop)) stems_of_node[id].push_back(stem);
  for (Node& n : graph.nodes) {
    const auto it = stems_of_node.find(n.id);
    if (!n.stem && it != stems_of_node.end() && it->second.size() == 1) n.stem = it->second[0];
  }
}

}  // namespace

Diagnostics declare_stems(RouteGraph& graph, const std::map<std::string, std::string>& stems) {
  Diagnostics d;
  std::map<std::string, std::string> resolved = graph.session.stems;
  for (const auto& [stem, bus] : stems) {
    const std::string where = "stems." + stem;
    const auto found = candidates(graph, bus);
    if (found.empty()) {
      d.errors.push_back({where, fmt::format("no node named '{}' ({})", bus, bus_names(graph))});
    } else if (found.size() > 1) {
      d.errors.push_back(
          {where, fmt::format("{} nodes are named '{}'; name the bus by its id ('{}', '{}')",
                              found.size(), bus, found[0]->id, found[1]->id)});
    } else if (found[0]->kind == NodeKind::master) {
      d.errors.push_back(
          {where, fmt::format("'{}' is the master; a stem needs a bus of its own", bus)});
    } else {
      resolved[stem] = found[0]->id;
    }
  }
  if (!d.ok()) return d;
  std::map<std::string, std::string> declared;
  for (const auto& [stem, bus] : stems) declared[stem] = resolved.at(stem);
  graph.session.stems = std::move(resolved);
  tag_members(graph, declared);
  return d;
}

}  // namespace routewise
