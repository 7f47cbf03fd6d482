#pragma once
// Hand edits of a route map that a DAW's OSC cannot make — connecting or disconnecting an output,
// setting or removing a sidechain key — applied over a graph (the live mirror's) and kept with
// it when it is stored.

#include <optional>
#include <string>

#include "routewise/model/route_graph.hpp"

namespace routewise {

enum class RouteEditKind { connect_output, disconnect_output, set_key, remove_key };

struct RouteEdit {
  RouteEditKind kind = RouteEditKind::connect_output;
  std::string from, to;  // node ids
  std::string plugin;    // set_key: the plugin on `to` whose detector the key feeds
};

// Applies the edit to the graph, or says why it does not apply (a node or plugin that is not
// there, an output to itself, an output that is already there or a key that is not) and leaves
// the graph as it was.
std::optional<std::string> apply_edit(RouteGraph& graph, const RouteEdit& edit);

// "Kick In → Drums: output connected" (node names, as a user reads them).
std::string describe_edit(const RouteGraph& graph, const RouteEdit& edit);

}  // namespace routewise
