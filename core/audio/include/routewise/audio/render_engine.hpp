#pragma once
// Renders a route graph as audio, block by block, the way a DAW's mixer would: input summing,
// trim and polarity, plugin stand-ins (gain and latency), fader, pan, mute/solo, sends at their
// tap points, hardware inserts as delays, sidechain keys, and DAW-style delay compensation.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/audio/pan_law.hpp"
#include "routewise/model/graph_index.hpp"
#include "routewise/model/route_graph.hpp"

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
  // store no output, which keeps large sessions in the caches.
  RenderEngine(RouteGraph graph, EngineSettings settings,
               const std::vector<std::string>& observed = {});
  ~RenderEngine();
  RenderEngine(const RenderEngine&) = delete;
  RenderEngine& operator=(const RenderEngine&) = delete;

  const EngineSettings& settings() const;
  const RouteGraph& graph() const;
  std::optional<NodeIndex> find(std::string_view id) const;
  // Channels the engine renders for a node: its own count, capped at two (stereo).
  int channel_count(NodeIndex node) const;

  // Signal a node receives from outside the graph (a track's recording), summed with what arrives
  // over edges before trim. The caller writes it before each process(); it keeps its content
  // otherwise. Null for nodes that take no outside signal (anything but tracks, hardware inputs
  // and nodes without audio inputs).
  float* source(NodeIndex node, int channel);

  // Renders one block of `frames` ≤ block_frames samples. No allocation, locks or I/O.
  void process(std::size_t frames);

  // A node's output after fader, mute and solo (before pan), for the block just processed;
  // silence for a node that was not asked to be observed.
  const float* output(NodeIndex node, int channel) const;
  // The key signal delivered to plugin `plugin_index` of `node` by sidechain edges, or null when
  // no sidechain feeds that plugin.
  const float* key(NodeIndex node, std::size_t plugin_index, int channel) const;

  // Latency the DAW believes a node's output has (what an export removes to align it with the
  // timeline), in samples. Uncompensated latency comes on top and is what comb-filters.
  double reported_latency_samples(NodeIndex node) const;
  // Whether solo leaves this node audible (always true when nothing is soloed).
  bool audible(NodeIndex node) const;
  // The gain a node applies to what it sums, as rendered: trim, polarity, plugin gains and fader
  // (mute and solo aside).
  float own_gain(NodeIndex node) const;

 private:
  // The plan (buffers, delay lines, sums by level) and the render over it, private to
  // render_engine.cpp.
  struct Plan;
  std::unique_ptr<Plan> plan_;
};

}  // namespace routewise
