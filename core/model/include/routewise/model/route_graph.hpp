#pragma once
// The route graph: a value-type model of a mixer session (nodes, edges, session attributes).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routewise {

enum class NodeKind {
  track,
  bus,
  aux_return,
  stem_bus,
  master,
  cue_mix,
  hardware_input,
  hardware_output,
  hardware_insert,
};

enum class EdgeKind { direct_output, send, sidechain, hardware_insert };

// Where a send or key taps its source node's signal.
enum class TapPoint { pre_fx, pre_fader, post_fader };

struct Plugin {
  std::string name;
  double latency_samples = 0.0;
  double gain_db = 0.0;  // level change the plugin applies (stand-in for rendering)
  bool bypassed = false;
  bool sidechain_input = false;  // has a key/detector input that a sidechain edge may feed
  bool operator==(const Plugin&) const = default;
};

// A level figure for a node, either estimated from the session or read from a meter.
struct Levels {
  std::optional<double> average_dbfs;    // RMS-like programme level
  std::optional<double> peak_dbfs;       // sample peak
  std::optional<double> true_peak_dbtp;  // 4x oversampled peak (BS.1770)
  bool operator==(const Levels&) const = default;
};

struct Node {
  std::string id;  // stable, unique within the graph
  std::string name;
  NodeKind kind = NodeKind::track;
  std::optional<std::string> daw_id;
  int channel_count = 2;
  double fader_db = 0.0;
  double trim_db = 0.0;
  bool mute = false;
  bool solo = false;
  bool polarity_inverted = false;
  double pan = 0.0;                   // -1 hard left .. +1 hard right
  std::optional<std::string> colour;  // "#rrggbb"
  std::optional<std::string> stem;    // stem tag this node belongs to
  bool pdc_enabled = true;
  std::vector<Plugin> plugins;  // in processing order
  Levels source;                // what a track's recording delivers before trim (sources only)
  Levels measured;              // last meter reading at the node's output, when known
  bool operator==(const Node&) const = default;
};

struct Edge {
  EdgeKind kind = EdgeKind::direct_output;
  std::string from;  // node id
  std::string to;    // node id
  // direct_output: the first output of a node is its primary one
  bool primary = true;
  // send and sidechain
  double level_db = 0.0;
  double pan = 0.0;
  bool mute = false;
  TapPoint tap = TapPoint::post_fader;
  // sidechain: the plugin on `to` whose detector this key feeds
  std::string plugin;
  // hardware_insert: `to` is the outboard unit; the unit's output continues the signal
  std::string send_port;
  std::string return_port;
  std::optional<double> latency_samples;  // measured round trip
  bool compensated = false;               // whether the DAW's PDC knows the round trip
  bool operator==(const Edge&) const = default;
};

struct SessionInfo {
  std::string name;
  double sample_rate_hz = 48000.0;
  std::string source_daw;
  std::string daw_version;
  std::optional<double> tempo_bpm;
  std::map<std::string, std::string> stems;  // stem name -> bus node id
  bool operator==(const SessionInfo&) const = default;
};

struct RouteGraph {
  SessionInfo session;
  std::vector<Node> nodes;
  std::vector<Edge> edges;  // grouped by source node in the order the file lists them
  bool operator==(const RouteGraph&) const = default;
};

// Edges that carry audio (everything but sidechain keys).
inline bool carries_audio(EdgeKind kind) {
  return kind != EdgeKind::sidechain;
}

std::string_view to_string(NodeKind kind);
std::string_view to_string(EdgeKind kind);
std::string_view to_string(TapPoint tap);
std::optional<NodeKind> node_kind_from_string(std::string_view text);
std::optional<TapPoint> tap_point_from_string(std::string_view text);

// Puts edges in the order the route-map file stores them (by source node, then outputs, sends,
// sidechains, inserts; stable within a kind) and marks each node's first output as primary.
void canonicalize_edges(RouteGraph& graph);

// Nodes that sum several inputs (buses, returns, stems, master, cue mixes).
bool is_summing_point(NodeKind kind);

}  // namespace routewise
