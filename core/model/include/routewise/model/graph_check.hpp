#pragma once
// The rules every route graph must meet (ranges, names, references): the ones the route-map
// reader applies to a file, applied to a graph that was built another way — by an importer, by
// the live mirror — before it is shown, stored or analysed.

#include "routewise/model/diagnostic.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

// Errors are located as the route-map file would hold them ("nodes[3].fader_db") and name the
// node ("'Kick': +6160 dB is out of range (-inf..+24 dB)"). A graph with no errors here is one
// that write_route_map and parse_route_map carry unchanged.
Diagnostics check_route_graph(const RouteGraph& graph);

}  // namespace routewise
