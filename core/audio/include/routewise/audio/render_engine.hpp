#pragma once
// Renders a route graph as audio, block by block, the way a DAW's mixer would: input summing,
// trim and polarity, plugin stand-ins (gain and latency), fader, pan, mute/solo, sends at their
// tap points, hardware inserts as delays, sidechain keys, and DAW-style delay compensation.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/audio/delay_line.hpp"
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

  // A node's output after fader, mute and solo (before pan), for the block just processed;
  // silence for a node that was not asked to be observed.
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
  // The engine pulls: each node's input is one weighted sum over the signals it receives, kept in
  // registers across all of them (each source read once per sum, the input written once). A node's
  // taps are its bases times a constant (trim and polarity, plugin gain, fader, mute and solo), so
  // the constants are folded into the weights and a node that nobody observes and nothing feeds (a
  // track) keeps no buffer beyond its source.
  struct NodePlan {
    int channels = 2;
    std::size_t pre_fx = 0;   // base before the plugin chain: its input, else its source
    std::size_t post_fx = 0;  // base after the plugin chain's latency (pre_fx when it has none)
    std::optional<std::size_t> input;   // summing buffer (audio arrives over edges)
    std::optional<std::size_t> source;  // outside signal (tracks, inputs, unfed nodes)
    std::optional<std::size_t> output;  // observed: output after fader, readable by output()
    float pre_fx_gain = 1.0f;           // trim and polarity
    float pre_fader_gain = 1.0f;        // and plugin gain
    float post_fader_gain = 1.0f;       // and fader, mute and solo
    std::size_t step = 0;     // floats from one channel of pre_fx (and post_fx) to the next
    std::size_t tail = 0;     // a short plugin latency: post_fx is pre_fx read this far back
    double line_delay = 0.0;  // any other latency: a line per channel, in
    std::vector<DelayLine> plugin_delay;        // (made once the whole plan is known)
    std::vector<std::size_t> post_fx_terms[2];  // integer latency: terms reading it in place
    double reported_out = 0.0;
    bool audible = true;
  };
  // Every input of one node that arrives with the same delay is summed first and delayed once:
  // delay is linear, so this is the same signal as delaying each edge, with one line instead of
  // one per source (a bus fed by many tracks aligned behind one plugin).
  struct DelayGroup {
    std::size_t offset = 0;  // channels × step: the sum, then the delayed sum (fractional)
    std::size_t step = 0;
    std::size_t tail = 0;     // a short delay: read `tail` before the sum, and no lines
    double line_delay = 0.0;  // any other delay: a line per channel, in `lines`
    NodeIndex node = 0;       // whose inputs these are
    int channels = 1;
    std::vector<DelayLine> lines;
    std::vector<std::size_t> terms[2];  // integer delay: terms reading the line in place
    std::vector<float**> writers[2];    // integer delay: the pieces summing into the line
    // Where the delayed sum of a channel is read (a line's place in the arena stands for it).
    std::size_t read(int channel) const { return offset - tail + channel * step; }
  };
  // A short delay's buffer channel (arena offset): after each block, its last `floats` samples
  // are kept in front of it.
  struct Tail {
    std::size_t offset = 0;
    std::size_t floats = 0;
  };
  struct KeyBuffer {
    NodeIndex node;
    std::size_t plugin;
    int channels;
    std::size_t offset;
  };
  struct Term {
    std::size_t src = 0;
    float gain = 1.0f;
  };
  // One channel's weighted sum while planning: where it goes, at which level of the graph, and
  // its terms in no particular order.
  struct PlannedSum {
    std::size_t dst = 0;     // arena offset
    bool group_sum = false;  // the sum of a delay group (groups_[group]), not a node's input
    std::size_t group = 0;
    int channel = 0;
    std::size_t level = 0;
    std::vector<Term> terms;
  };
  // Sums, or pieces of sums, run in a row: piece p writes into dst[p] (or adds to it, when
  // accumulate[p]) the terms from the end of the piece before it up to end[p], counted from
  // first_term. A piece summing into an integer delay's line has its dst moved with the line.
  struct Pieces {
    std::size_t first_term = 0;
    std::vector<float*> dst;
    std::vector<std::size_t> end;
    std::vector<unsigned char> accumulate;
  };
  // Everything at one depth of the graph depends only on shallower nodes, so its sums can be run
  // in any order: piece by piece, a cache-sized stretch of sources at a time (see schedule()).
  // Only the terms reading the level's own delay groups wait for the groups' lines.
  struct Level {
    Pieces parts;                     // every sum's pieces on shallower sources, then
    std::vector<std::size_t> groups;  // the delay groups' lines written (in groups_), then
    Pieces late_parts;                // the pieces reading them, then
    std::vector<NodeIndex> nodes;     // plugin latency and observed outputs
  };

  std::vector<PlannedSum> plan_sums(std::size_t& offset);
  void make_lines();
  std::vector<Term> schedule(std::vector<PlannedSum> sums);
  void run(const Pieces& pieces, std::size_t frames);
  void process_node(NodeIndex node, std::size_t frames);
  float* at(std::size_t offset) { return arena_.data() + arena_start_ + offset; }
  const float* at(std::size_t offset) const { return arena_.data() + arena_start_ + offset; }

  RouteGraph graph_;
  GraphIndex index_;
  EngineSettings settings_;
  std::vector<NodeIndex> order_;
  std::vector<NodePlan> nodes_;
  std::vector<DelayGroup> groups_;
  std::vector<KeyBuffer> keys_;
  std::vector<Tail> tails_;
  std::vector<Level> levels_;  // the last one holds the keys' sums
  // A term's source channel: in arena_, or where a delay line holds this block (updated as the
  // line is written).
  std::vector<const float*> term_src_;
  std::vector<float> term_gain_;
  std::vector<float> arena_;
  std::size_t arena_start_ = 0;  // floats before the first 64-byte boundary; offsets count from it
  std::size_t stride_ = 0;       // floats from one channel to the next: the block, rounded to 16
  std::size_t zero_block_ = 0;   // two channels of silence (the base of a node with no signal)
};

}  // namespace routewise
