#pragma once
// Renders a route graph as audio, block by block, the way a DAW's mixer would: input summing,
// trim and polarity, plugin stand-ins (gain and latency), fader, pan, mute/solo, sends at their
// tap points, hardware inserts as delays, sidechain keys, and DAW-style delay compensation.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/core/delay_line.hpp"
#include "routewise/core/graph_index.hpp"
#include "routewise/core/pan_law.hpp"
#include "routewise/core/route_graph.hpp"

namespace routewise {

struct EngineSettings {
  double sample_rate_hz = 48000.0;  // 44100, 48000, 88200 or 96000
  std::size_t block_frames = 128;   // 32 .. 4096
  PanLaw pan_law = PanLaw::constant_power_3db;
};

// Why the settings cannot be used, or nothing when they can.
std::optional<std::string> check_engine_settings(const EngineSettings& settings);

class RenderEngine {
 public:
  // Allocates everything the render needs. Throws std::invalid_argument naming the problem: bad
  // settings, a feedback loop (which a DAW would refuse to play as well), an unknown observed id.
  // `observed`: the node ids whose output() is wanted; empty means every node. Unobserved nodes
  // share scratch buffers, which keeps large sessions in the caches.
  RenderEngine(RouteGraph graph, EngineSettings settings,
               const std::vector<std::string>& observed = {});
  RenderEngine(const RenderEngine&) = delete;
  RenderEngine& operator=(const RenderEngine&) = delete;

  const EngineSettings& settings() const { return settings_; }
  const RouteGraph& graph() const { return graph_; }
  std::optional<NodeIndex> find(std::string_view id) const { return index_.find(id); }
  // Channels the engine renders for a node: its own count, capped at two (stereo).
  int channel_count(NodeIndex node) const { return nodes_[node].channels; }

  // Signal a node receives from outside the graph (a track's recording), summed with what arrives
  // over edges before trim. The caller writes it before each process(); it keeps its content
  // otherwise. Null for nodes that take no outside signal (anything but tracks, hardware inputs
  // and nodes without audio inputs).
  float* source(NodeIndex node, int channel);

  // Renders one block of `frames` ≤ block_frames samples. No allocation, locks or I/O.
  void process(std::size_t frames);

  // A node's output after fader, mute and solo (before pan), for the block just processed.
  // Only meaningful for observed nodes.
  const float* output(NodeIndex node, int channel) const;
  // The key signal delivered to plugin `plugin_index` of `node` by sidechain edges, or null when
  // no sidechain feeds that plugin.
  const float* key(NodeIndex node, std::size_t plugin_index, int channel) const;

  // Latency the DAW believes a node's output has (what an export removes to align it with the
  // timeline), in samples. Uncompensated latency comes on top and is what comb-filters.
  double reported_latency_samples(NodeIndex node) const { return nodes_[node].reported_out; }
  // Whether solo leaves this node audible (always true when nothing is soloed).
  bool audible(NodeIndex node) const { return nodes_[node].audible; }

 private:
  struct NodePlan {
    int channels = 2;
    std::size_t input = 0, pre_fader = 0, output = 0;  // arena offsets, channel-major
    std::optional<std::size_t> source;
    float trim_gain = 1.0f;  // includes polarity
    float plugin_gain = 1.0f;
    std::vector<DelayLine> plugin_delay;         // one per channel when the chain has latency
    std::vector<DelayLine> input_delay;          // alignment shared by all its outputs, per channel
    float output_gain = 1.0f;                    // fader, mute and solo
    std::size_t first_edge = 0, edge_count = 0;  // edges it feeds, in edges_
    std::size_t first_delay = 0, delay_count = 0;  // its delayed taps
    double reported_out = 0.0;
    bool audible = true;
    bool has_inputs = false;  // audio edges arrive here (its input buffer is cleared per block)
    bool observed = true;     // its buffers are its own, readable after process()
    bool pre_fx_read = false, pre_fader_read = false;  // whether any edge taps there
  };
  // An edge, pushed from its source's tap (or a delayed copy of it) into the destination's input
  // or a key buffer, with level, pan and fold-down folded into two gains.
  struct EdgePlan {
    std::size_t from_offset = 0;
    int from_channels = 1;
    std::size_t to_offset = 0;
    int to_channels = 1;
    float gain_left = 1.0f, gain_right = 1.0f;
    std::optional<std::size_t> delay;  // index into delays_
  };
  // A tap of a node delayed by one amount; every input needing that tap and delay reads it.
  struct DelayedTap {
    std::size_t tap_offset = 0;
    int channels = 1;
    double delay_samples = 0.0;
    std::vector<DelayLine> lines;   // one per channel
    std::vector<float> fractional;  // channels × block: interpolated output (fractional delays)
  };
  struct KeyBuffer {
    NodeIndex node;
    std::size_t plugin;
    int channels;
    std::size_t offset;
  };

  void plan_edges(const std::vector<NodeIndex>& order);
  void mix_edge(const EdgePlan& edge, std::size_t frames);
  float* at(std::size_t offset) { return arena_.data() + offset; }

  RouteGraph graph_;
  GraphIndex index_;
  EngineSettings settings_;
  std::vector<NodeIndex> order_;
  std::vector<NodePlan> nodes_;
  std::vector<EdgePlan> edges_;     // grouped by source node
  std::vector<DelayedTap> delays_;  // grouped by source node
  std::vector<KeyBuffer> keys_;
  std::vector<float> arena_;
  std::size_t zeroed_end_ = 0;  // inputs and keys live in [0, zeroed_end_): cleared per block
};

}  // namespace routewise
