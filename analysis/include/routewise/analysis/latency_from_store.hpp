#pragma once
// Measured round trips from the store applied to a session's hardware inserts, so the latency
// rules judge what was measured rather than what the session file claims.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/model/route_graph.hpp"
#include "routewise/store/store.hpp"

namespace routewise {

// The store target of a hardware insert ("FROM>TO", the insert edge's endpoints), found by the
// insert node's id or name, or given as FROM>TO already.
std::optional<std::string> insert_target(const RouteGraph& graph, std::string_view insert);

// Sets each insert edge whose target has a measurement to the measured latency (converted to the
// session's sample rate). Returns one line per insert changed, saying from what to what.
std::vector<std::string> apply_measured_latencies(RouteGraph& graph,
                                                  const std::vector<LatencyMeasurement>& latest);

}  // namespace routewise
