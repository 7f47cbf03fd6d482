#pragma once
// A flat summary of a route map (what the store keeps in its node/edge/finding tables) and the
// difference between two of them.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "routewise/model/route_graph.hpp"

namespace routewise {

struct NodeSummary {
  std::string id, name, kind;
  std::optional<std::string> stem;
  double fader_db = 0, trim_db = 0;
  bool mute = false;
  double latency_samples = 0;  // active plugin latency
  bool pdc = true;
  std::string primary_output;  // node id, empty when none
  bool operator==(const NodeSummary&) const = default;
};

struct EdgeSummary {
  std::string kind, from, to;  // kind as in to_string(EdgeKind)
  double level_db = 0;
  std::string tap;                        // sends and keys
  std::optional<double> latency_samples;  // inserts
  bool mute = false;
  bool operator==(const EdgeSummary&) const = default;
};

// A finding as stored: analysis types stay out of core.
struct FindingRecord {
  std::string rule, severity, message, fix;
  std::vector<std::string> nodes;
  bool operator==(const FindingRecord&) const = default;
};

struct RouteSummary {
  std::map<std::string, NodeSummary> nodes;  // by id
  std::vector<EdgeSummary> edges;
  std::vector<FindingRecord> findings;
};

RouteSummary summarize(const RouteGraph& graph, std::vector<FindingRecord> findings = {});

struct Change {
  std::string what;  // "'Kick' fader", "send 'Vox' → 'Plate'"
  double before = 0, after = 0;
  std::string unit;  // "dB", "samples"
  bool operator==(const Change&) const = default;
};

struct RouteDiff {
  std::vector<NodeSummary> added_nodes, removed_nodes;
  std::vector<std::pair<NodeSummary, NodeSummary>> renamed;   // before, after
  std::vector<std::pair<NodeSummary, NodeSummary>> rerouted;  // primary output changed
  std::vector<EdgeSummary> added_edges, removed_edges;        // sends, keys, inserts, extra outputs
  std::vector<Change> level_changes, latency_changes;
  std::vector<std::string> other_changes;  // mute, tap, kind, stem
  std::vector<FindingRecord> new_findings, resolved_findings;
  bool empty() const;
};

RouteDiff diff_routes(const RouteSummary& before, const RouteSummary& after);

}  // namespace routewise
