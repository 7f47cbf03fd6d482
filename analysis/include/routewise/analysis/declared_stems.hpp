#pragma once
// Stems for sessions whose file cannot say which bus is a stem (Ardour, REAPER): the user names
// each stem's bus in the analysis configuration or on the command line.

#include <map>
#include <string>

#include "routewise/model/diagnostic.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

// Sets graph.session.stems from `stems` (stem name -> the bus's node id, or its name as the DAW
// shows it, matched exactly and then ignoring case). A declared stem replaces the session's own
// stem of the same name. Its members are the nodes routed into its bus (outputs and inserts, not
// sends) without passing another declared stem bus; each is tagged with the stem unless the session
// tagged it already, and a node routed into two declared stems stays untagged. Errors say which
// stem ("stems.Drums") and why; on errors the graph is left as it was.
Diagnostics declare_stems(RouteGraph& graph, const std::map<std::string, std::string>& stems);

}  // namespace routewise
