#include "routewise/model/route_edit.hpp"

#include <algorithm>

namespace routewise {
namespace {

const Node* find_node(const RouteGraph& graph, const std::string& id) {
  const auto it = std::find_if(graph.nodes.begin(), graph.nodes.end(),
                               [&](const Node& n) { return n.id == id; });
  return it == graph.nodes.end() ? nullptr : &*it;
}

std::string name_of(const RouteGraph& graph, const std::string& id) {
  const Node* node = find_node(graph, id);
  return node ? node->name : id;
}

bool is(const Edge& e, EdgeKind kind, const RouteEdit& edit) {
  return e.kind == kind && e.from == edit.from && e.to == edit.to;
}

Edge edge_of(EdgeKind kind, const RouteEdit& edit) {
  Edge e;
  e.kind = kind;
  e.from = edit.from;
  e.to = edit.to;
  return e;
}

}  // namespace

std::optional<std::string> apply_edit(RouteGraph& graph, const RouteEdit& edit) {
  for (const std::string* id : {&edit.from, &edit.to})
    if (!find_node(graph, *id)) return "no node '" + *id + "' in the route map";
  if (edit.from == edit.to) return "'" + name_of(graph, edit.from) + "' cannot feed itself";
  auto count = [&](EdgeKind kind) {
    return std::count_if(graph.edges.begin(), graph.edges.end(),
                         [&](const Edge& e) { return is(e, kind, edit); });
  };
  auto erase = [&](EdgeKind kind) {
    std::erase_if(graph.edges, [&](const Edge& e) { return is(e, kind, edit); });
  };
  const std::string where =
      "'" + name_of(graph, edit.from) + "' → '" + name_of(graph, edit.to) + "'";
  switch (edit.kind) {
    case RouteEditKind::connect_output: {
      if (count(EdgeKind::direct_output) > 0) return where + " is already connected";
      Edge e = edge_of(EdgeKind::direct_output, edit);
      // The node's first output is its primary one; another is an extra connection.
      e.primary = std::none_of(graph.edges.begin(), graph.edges.end(), [&](const Edge& other) {
        return other.kind == EdgeKind::direct_output && other.from == edit.from;
      });
      graph.edges.push_back(e);
      break;
    }
    case RouteEditKind::disconnect_output:
      if (count(EdgeKind::direct_output) == 0) return where + " has no output to disconnect";
      erase(EdgeKind::direct_output);
      break;
    case RouteEditKind::set_key: {
      const auto& plugins = find_node(graph, edit.to)->plugins;
      if (std::none_of(plugins.begin(), plugins.end(),
                       [&](const Plugin& p) { return p.name == edit.plugin; }))
        return "'" + name_of(graph, edit.to) + "' has no plugin '" + edit.plugin + "'";
      erase(EdgeKind::sidechain);  // one key per source and destination: this one replaces it
      Edge e = edge_of(EdgeKind::sidechain, edit);
      e.plugin = edit.plugin;
      graph.edges.push_back(e);
      break;
    }
    case RouteEditKind::remove_key:
      if (count(EdgeKind::sidechain) == 0) return where + " has no key to remove";
      erase(EdgeKind::sidechain);
      break;
  }
  canonicalize_edges(graph);
  return std::nullopt;
}

std::string describe_edit(const RouteGraph& graph, const RouteEdit& edit) {
  std::string what;
  switch (edit.kind) {
    case RouteEditKind::connect_output:
      what = "output connected";
      break;
    case RouteEditKind::disconnect_output:
      what = "output disconnected";
      break;
    case RouteEditKind::set_key:
      what = "key to " + edit.plugin;
      break;
    case RouteEditKind::remove_key:
      what = "key removed";
      break;
  }
  return name_of(graph, edit.from) + " → " + name_of(graph, edit.to) + ": " + what;
}

}  // namespace routewise
