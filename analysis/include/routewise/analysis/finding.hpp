#pragma once
// A finding: one routing fault with the numbers, the nodes and edges involved, and the fix.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/model/graph_index.hpp"
#include "routewise/model/route_diff.hpp"

namespace routewise {

enum class Severity { info, warning, error };
std::string_view to_string(Severity severity);
std::optional<Severity> severity_from_string(std::string_view text);

// A number the rule measured or computed, and the limit it was compared with.
struct Figure {
  std::string name;  // "delta", "bus input level"
  double value = 0;
  std::string unit;   // "samples", "dBFS"
  std::string limit;  // "> 0 samples", "-18..-14 dBFS"; empty when there is none
  bool operator==(const Figure&) const = default;
};

struct EdgeRef {
  std::string from;  // node ids
  std::string to;
  EdgeKind kind = EdgeKind::direct_output;
  bool operator==(const EdgeRef&) const = default;
};

struct Finding {
  std::string rule_id;
  Severity severity = Severity::warning;
  std::vector<std::string> nodes;  // node ids; for path rules the full path in order
  std::vector<EdgeRef> edges;
  std::string message;  // one sentence in the engineer's language
  std::vector<Figure> figures;
  std::string fix;  // a concrete action
  bool operator==(const Finding&) const = default;
};

EdgeRef edge_ref(const GraphIndex& index, EdgeIndex e);
// "'Kick' → 'Drum Bus' → 'Master'" from a path of edges.
std::string describe_path(const GraphIndex& index, const std::vector<EdgeIndex>& path);
// Quoted node name as used in messages: 'Vox Plate'.
std::string quoted(const Node& node);

// The stored form of a finding (the store lives in core and knows no analysis types).
FindingRecord to_record(const Finding& f);
std::vector<FindingRecord> to_records(const std::vector<Finding>& findings);

// Stable order: severity (errors first), rule id, then the node list.
void sort_findings(std::vector<Finding>& findings);

}  // namespace routewise
