#include "routewise/audio/render_engine.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "mix_kernels.hpp"
#include "routewise/audio/delay_line.hpp"
#include "routewise/model/graph_order.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

bool takes_outside_signal(const GraphIndex& index, NodeIndex n) {
  const NodeKind kind = index.node(n).kind;
  if (kind == NodeKind::track || kind == NodeKind::hardware_input) return true;
  for (EdgeIndex e : index.in_edges(n))
    if (carries_audio(index.edge(e).kind)) return false;
  return true;
}

std::string describe_cycle(const GraphIndex& index, const Cycle& cycle) {
  std::string text;
  for (NodeIndex n : cycle.nodes) text += "'" + index.node(n).name + "' → ";
  return text + "'" + index.node(cycle.nodes.front()).name + "'";
}

// A delay beyond what a line holds is reported with the node it belongs to.
void check_line(double samples, const Node& node, const char* what) {
  if (!(samples <= DelayLine::max_delay_samples))
    throw std::invalid_argument("'" + node.name + "': " + what + " of " + std::to_string(samples) +
                                " samples is beyond what can be rendered (" +
                                std::to_string(DelayLine::max_delay_samples) + ")");
}

// Lines of a whole-sample delay: read where they hold the block (their place moves each block),
// rather than copied out through an interpolator.
bool read_in_place(const std::vector<DelayLine>& lines) {
  return !lines.empty() && lines.front().is_integer();
}

std::vector<DelayLine> delay_lines(double samples, int channels, std::size_t block) {
  std::vector<DelayLine> lines;
  for (int c = 0; c < channels; ++c) lines.emplace_back(samples, block);
  return lines;
}

// What the delay lines may take in all: a line holds its whole delay, and a session of absurd
// latencies (the route map allows 10 M samples per plugin) would otherwise take the machine's
// memory before saying anything.
constexpr double max_line_bytes = 1024.0 * 1024.0 * 1024.0;

// A whole number of samples up to a block: such a delay needs no line. The delayed block is the
// buffer read from `samples` before its start, where the end of the block before it is kept.
// Anything else (0 for none).
std::size_t short_delay(double samples, std::size_t block_frames) {
  if (!(samples > 0.0) || samples > static_cast<double>(block_frames) ||
      samples != std::floor(samples))
    return 0;
  return static_cast<std::size_t>(samples);
}

// Floats of room before a buffer for a short delay's tail, keeping the buffer 64-byte aligned.
std::size_t padding(std::size_t tail) {
  return (tail + 15) / 16 * 16;
}

double plugin_latency(const Node& node) {
  double latency = 0.0;
  for (const Plugin& p : node.plugins)
    if (!p.bypassed) latency += p.latency_samples;
  return latency;
}

}  // namespace

std::optional<std::string> check_engine_settings(const EngineSettings& s) {
  const double rates[] = {44100.0, 48000.0, 88200.0, 96000.0};
  if (std::find(std::begin(rates), std::end(rates), s.sample_rate_hz) == std::end(rates))
    return "sample rate " + std::to_string(s.sample_rate_hz) +
           " Hz is not one of 44100, 48000, 88200, 96000";
  if (s.block_frames < 32 || s.block_frames > 4096)
    return "block size " + std::to_string(s.block_frames) + " is outside 32..4096 samples";
  return std::nullopt;
}

// The engine pulls: each node's input is one weighted sum over the signals it receives, kept in
// registers across all of them (each source read once per sum, the input written once). A node's
// taps are its bases times a constant (trim and polarity, plugin gain, fader, mute and solo), so
// the constants are folded into the weights and a node that nobody observes and nothing feeds (a
// track) keeps no buffer beyond its source.
struct RenderEngine::Plan {
  Plan(RouteGraph graph, EngineSettings settings, const std::vector<std::string>& observed);
  float* source(NodeIndex node, int channel);
  void process(std::size_t frames);
  const float* output(NodeIndex node, int channel) const;
  const float* key(NodeIndex node, std::size_t plugin_index, int channel) const;

  struct NodePlan {
    int channels = 2;
    std::size_t pre_fx = 0;   // base before the plugin chain: its input, else its source
    std::size_t post_fx = 0;  // base after the plugin chain's latency (pre_fx when it has none)
    std::optional<std::size_t> input;   // summing buffer (audio arrives over edges)
    std::optional<std::size_t> source;  // outside signal (tracks, inputs, unfed nodes)
    std::optional<std::size_t> output;  // observed: output after fader, readable by output()
    float pre_fx_gain = 1.0f;           // trim and polarity
    float pre_fader_gain = 1.0f;        // and plugin gain
    float fader_gain = 1.0f;            // and fader
    float post_fader_gain = 1.0f;       // and mute and solo
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

RenderEngine::Plan::Plan(RouteGraph graph, EngineSettings settings,
                         const std::vector<std::string>& observed)
    : graph_(std::move(graph)), index_(graph_), settings_(settings) {
  if (auto problem = check_engine_settings(settings_)) throw std::invalid_argument(*problem);
  const TopologicalOrder topo = topological_order(index_, EdgeFilter::audio());
  if (!topo.cycles.empty())
    throw std::invalid_argument("cannot render a feedback loop: " +
                                describe_cycle(index_, topo.cycles.front()));
  order_ = topo.order;
  const std::size_t count = index_.node_count();
  std::vector<bool> keep(count, observed.empty());
  for (const std::string& id : observed) {
    const auto n = index_.find(id);
    if (!n) throw std::invalid_argument("cannot observe '" + id + "': no such node");
    keep[*n] = true;
  }

  // Solo: with anything soloed, only soloed nodes and what feeds them or hears them stay audible.
  std::vector<bool> audible(count, true);
  bool any_solo = false;
  for (NodeIndex n = 0; n < count; ++n) any_solo = any_solo || index_.node(n).solo;
  if (any_solo) {
    std::fill(audible.begin(), audible.end(), false);
    for (NodeIndex n = 0; n < count; ++n) {
      if (!index_.node(n).solo) continue;
      const auto down = reachable_from(index_, n, EdgeFilter::audio());
      const auto up = reaching(index_, n, EdgeFilter::audio());
      for (NodeIndex m = 0; m < count; ++m) audible[m] = audible[m] || down[m] || up[m];
    }
  }

  // Arena layout: every buffer has its place for the engine's life, so the sums' sources are
  // plain pointers. Nothing is cleared per block: each sum writes its destination whole. Each
  // channel starts on a 64-byte boundary: a vector load that straddles two cache lines costs
  // about twice one that does not, and the sums are nothing but such loads.
  const std::size_t block = settings_.block_frames;
  stride_ = (block + 15) / 16 * 16;
  nodes_.resize(count);
  std::size_t offset = 0;
  zero_block_ = offset;
  offset += 2 * stride_;
  for (NodeIndex n = 0; n < count; ++n) {
    NodePlan& plan = nodes_[n];
    const Node& node = index_.node(n);
    plan.channels = std::clamp(node.channel_count, 1, 2);
    const std::size_t size = plan.channels * stride_;
    const double latency = plugin_latency(node);
    plan.tail = short_delay(latency, block);
    plan.step = stride_ + padding(plan.tail);
    // The signal before the plugins (the input, or the source of a node without one) has room
    // for a short latency's tail in front of each channel.
    auto pre_fx_buffer = [&] {
      const std::size_t first = offset + padding(plan.tail);
      offset += plan.channels * plan.step;
      return first;
    };
    const auto in_edges = index_.in_edges(n);
    const bool fed = std::any_of(in_edges.begin(), in_edges.end(),
                                 [&](EdgeIndex e) { return carries_audio(index_.edge(e).kind); });
    if (fed) plan.input = pre_fx_buffer();
    if (takes_outside_signal(index_, n)) {
      if (fed) {
        plan.source = offset;
        offset += size;
      } else {
        plan.source = pre_fx_buffer();
      }
    }
    if (keep[n]) {
      plan.output = offset;
      offset += size;
    }
    plan.pre_fx = plan.input ? *plan.input : *plan.source;
    plan.post_fx = plan.pre_fx;
    if (plan.tail > 0) {
      plan.post_fx = plan.pre_fx - plan.tail;
      for (int c = 0; c < plan.channels; ++c)
        tails_.push_back({plan.pre_fx + c * plan.step, plan.tail});
    } else if (latency > 0.0) {
      check_line(latency, node, "plugin latency");
      plan.line_delay = latency;
      plan.post_fx = offset;
      offset += plan.channels * plan.step;
    }
    plan.audible = audible[n];
    plan.pre_fx_gain =
        static_cast<float>(db_to_amplitude(node.trim_db)) * (node.polarity_inverted ? -1.0f : 1.0f);
    double plugin_gain_db = 0.0;
    for (const Plugin& p : node.plugins)
      if (!p.bypassed) plugin_gain_db += p.gain_db;
    plan.pre_fader_gain = plan.pre_fx_gain * static_cast<float>(db_to_amplitude(plugin_gain_db));
    plan.fader_gain = plan.pre_fader_gain * static_cast<float>(db_to_amplitude(node.fader_db));
    plan.post_fader_gain = node.mute || !plan.audible ? 0.0f : plan.fader_gain;
  }
  for (EdgeIndex e = 0; e < index_.edge_count(); ++e) {
    const Edge& edge = index_.edge(e);
    if (edge.kind != EdgeKind::sidechain || index_.to(e) == no_node) continue;
    const NodeIndex to = index_.to(e);
    const auto& plugins = index_.node(to).plugins;
    std::size_t slot = 0;
    while (slot < plugins.size() && plugins[slot].name != edge.plugin) ++slot;
    if (slot == plugins.size()) continue;  // the sidechain-fault rule reports a missing slot
    const bool known = std::any_of(keys_.begin(), keys_.end(), [&](const KeyBuffer& k) {
      return k.node == to && k.plugin == slot;
    });
    if (known) continue;
    keys_.push_back({to, slot, nodes_[to].channels, offset});
    offset += nodes_[to].channels * stride_;
  }
  std::vector<PlannedSum> sums = plan_sums(offset);
  make_lines();
  constexpr std::size_t floats_per_line = 64 / sizeof(float);
  arena_.assign(offset + floats_per_line, 0.0f);
  const auto address = reinterpret_cast<std::uintptr_t>(arena_.data());
  arena_start_ = (64 - address % 64) % 64 / sizeof(float);
  const std::vector<Term> terms = schedule(std::move(sums));
  for (const Term& t : terms) {
    term_src_.push_back(at(t.src));
    term_gain_.push_back(t.gain);
  }
  // Integer delays are read where the line holds the block, with no copy out: the terms that
  // read a delayed signal are pointed there as each block is written.
  std::map<std::size_t, std::vector<std::size_t>> reading;
  for (std::size_t t = 0; t < terms.size(); ++t) reading[terms[t].src].push_back(t);
  for (DelayGroup& group : groups_)
    if (read_in_place(group.lines))
      for (int c = 0; c < group.channels; ++c) group.terms[c] = reading[group.read(c)];
  for (NodePlan& plan : nodes_)
    if (read_in_place(plan.plugin_delay))
      for (int c = 0; c < plan.channels; ++c)
        plan.post_fx_terms[c] = reading[plan.post_fx + c * plan.step];
}

std::vector<RenderEngine::Plan::PlannedSum> RenderEngine::Plan::plan_sums(std::size_t& offset) {
  // Delay compensation as a DAW does it: each node's input is aligned to the latest *reported*
  // arrival among its inputs. Latency the DAW does not know about (PDC off, uncompensated
  // inserts) still delays the signal but is not compensated, so it comb-filters at the sum.
  const std::size_t count = index_.node_count();
  // A node's depth: one more than the deepest node it hears (sources are at depth 0).
  std::vector<std::size_t> depth(count, 0);
  for (NodeIndex n : order_)
    for (EdgeIndex e : index_.in_edges(n))
      if (carries_audio(index_.edge(e).kind))
        depth[n] = std::max(depth[n], depth[index_.from(e)] + 1);
  // One level per depth, and one more for the keys.
  levels_.resize((count == 0 ? 0 : *std::max_element(depth.begin(), depth.end())) + 2);
  for (NodeIndex n : order_)
    if (nodes_[n].line_delay > 0.0 || nodes_[n].output) levels_[depth[n]].nodes.push_back(n);
  std::vector<double> reported_in(count, 0.0);
  auto reported_tap = [&](NodeIndex n, TapPoint tap) {
    const Node& node = index_.node(n);
    if (tap == TapPoint::pre_fx || !node.pdc_enabled) return reported_in[n];
    return reported_in[n] + plugin_latency(node);
  };
  auto edge_tap = [&](EdgeIndex e) {
    const Edge& edge = index_.edge(e);
    return edge.kind == EdgeKind::send || edge.kind == EdgeKind::sidechain ? edge.tap
                                                                           : TapPoint::post_fader;
  };
  auto reported_arrival = [&](EdgeIndex e) {
    const Edge& edge = index_.edge(e);
    double r = reported_tap(index_.from(e), edge_tap(e));
    if (edge.kind == EdgeKind::hardware_insert && edge.compensated)
      r += edge.latency_samples.value_or(0.0);
    return r;
  };
  for (NodeIndex n : order_) {
    for (EdgeIndex e : index_.in_edges(n))
      if (carries_audio(index_.edge(e).kind))
        reported_in[n] = std::max(reported_in[n], reported_arrival(e));
    nodes_[n].reported_out = reported_tap(n, TapPoint::post_fader);
  }
  auto edge_delay = [&](EdgeIndex e) {
    const Edge& edge = index_.edge(e);
    double delay = reported_in[index_.to(e)] - reported_arrival(e);
    if (edge.kind == EdgeKind::hardware_insert) delay += edge.latency_samples.value_or(0.0);
    return delay > 1e-9 ? delay : 0.0;
  };

  // The terms an edge adds to each channel of its destination: its source's base at the tap,
  // weighted by the tap's gain, the edge's level and the pan or fold-down between channel counts.
  auto edge_terms = [&](EdgeIndex e, int to_channels, std::vector<Term>(&into)[2]) {
    const Edge& edge = index_.edge(e);
    const NodeIndex n = index_.from(e);
    const NodePlan& from = nodes_[n];
    const TapPoint tap = edge_tap(e);
    double gain = tap == TapPoint::pre_fx      ? from.pre_fx_gain
                  : tap == TapPoint::pre_fader ? from.pre_fader_gain
                                               : from.post_fader_gain;
    double pan = index_.node(n).pan;
    if (edge.kind == EdgeKind::send || edge.kind == EdgeKind::sidechain) {
      gain *= edge.mute ? 0.0 : db_to_amplitude(edge.level_db);
      pan = edge.pan;
      // Post-fader sends follow the node's mute and solo; pre-fader taps do not.
      if (tap != TapPoint::post_fader && !from.audible && edge.kind == EdgeKind::send) gain = 0.0;
    }
    StereoGains g{1.0f, 1.0f};
    if (to_channels == 2)
      g = from.channels == 1 ? pan_mono(settings_.pan_law, pan)
                             : pan_stereo(settings_.pan_law, pan);
    else if (from.channels == 2)
      g = {0.5f, 0.5f};  // stereo folded to mono
    const std::size_t base = tap == TapPoint::pre_fx ? from.pre_fx : from.post_fx;
    const float left = static_cast<float>(gain) * g.left,
                right = static_cast<float>(gain) * g.right;
    // A silent term (a muted edge, a hard pan's far side) adds nothing and is left out.
    auto add = [&](int to, int channel, float weight) {
      if (weight != 0.0f) into[to].push_back({base + channel * from.step, weight});
    };
    // mono→stereo: one channel spread with left/right gains; stereo→stereo: each side its own
    // gain; stereo→mono and mono→mono: everything lands on the one channel.
    if (to_channels == 2 && from.channels == 1) {
      add(0, 0, left);
      add(1, 0, right);
    } else {
      add(0, 0, left);
      if (from.channels == 2) add(to_channels == 2 ? 1 : 0, 1, right);
    }
  };

  std::vector<PlannedSum> sums;
  auto add_sums = [&](const PlannedSum& sum, std::size_t step, int channels,
                      std::vector<Term>(&channel_terms)[2]) {
    for (int c = 0; c < channels; ++c) {
      sums.push_back(sum);
      sums.back().dst += c * step;
      sums.back().channel = c;
      sums.back().terms = std::move(channel_terms[c]);
    }
  };
  for (NodeIndex n : order_) {
    NodePlan& to = nodes_[n];
    if (!to.input) continue;
    std::vector<Term> direct[2];
    std::vector<double> delays;
    for (EdgeIndex e : index_.in_edges(n))
      if (carries_audio(index_.edge(e).kind)) {
        const double delay = edge_delay(e);
        if (delay == 0.0)
          edge_terms(e, to.channels, direct);
        else if (std::find(delays.begin(), delays.end(), delay) == delays.end())
          delays.push_back(delay);
      }
    for (double delay : delays) {
      DelayGroup group;
      group.tail = short_delay(delay, settings_.block_frames);
      group.step = stride_ + padding(group.tail);
      group.offset = offset + padding(group.tail);
      offset += to.channels * group.step;
      group.channels = to.channels;
      group.node = n;
      if (group.tail > 0) {
        for (int c = 0; c < to.channels; ++c)
          tails_.push_back({group.offset + c * group.step, group.tail});
      } else {
        check_line(delay, index_.node(n), "delay compensation");
        group.line_delay = delay;
      }
      std::vector<Term> delayed[2];
      for (EdgeIndex e : index_.in_edges(n))
        if (carries_audio(index_.edge(e).kind) && edge_delay(e) == delay)
          edge_terms(e, to.channels, delayed);
      PlannedSum sum;
      sum.dst = group.offset;
      sum.group_sum = true;
      sum.group = groups_.size();
      sum.level = depth[n];
      add_sums(sum, group.step, to.channels, delayed);
      for (int c = 0; c < to.channels; ++c) direct[c].push_back({group.read(c), 1.0f});
      if (group.line_delay > 0.0) levels_[depth[n]].groups.push_back(groups_.size());
      groups_.push_back(std::move(group));
    }
    if (to.source)
      for (int c = 0; c < to.channels; ++c) direct[c].push_back({*to.source + c * stride_, 1.0f});
    PlannedSum sum;
    sum.dst = *to.input;
    sum.level = depth[n];
    add_sums(sum, to.step, to.channels, direct);
  }
  for (KeyBuffer& key : keys_) {
    std::vector<Term> sidechains[2];
    for (EdgeIndex e : index_.in_edges(key.node)) {
      const Edge& edge = index_.edge(e);
      if (edge.kind == EdgeKind::sidechain &&
          index_.node(key.node).plugins[key.plugin].name == edge.plugin)
        edge_terms(e, key.channels, sidechains);
    }
    PlannedSum sum;
    sum.dst = key.offset;
    sum.level = levels_.size() - 1;
    add_sums(sum, stride_, key.channels, sidechains);
  }
  return sums;
}

void RenderEngine::Plan::make_lines() {
  // Each line's ring is a power of two of at least its delay and eight blocks, plus a block: at
  // most twice that sum and a block.
  const auto block = static_cast<double>(settings_.block_frames);
  double bytes = 0.0, longest = 0.0;
  std::string longest_is;
  auto need = [&](double delay, int channels, NodeIndex n, const char* what) {
    bytes += channels * (2.0 * (delay + 1.0 + 8.0 * block) + block + 16.0) * sizeof(float);
    if (delay > longest) {
      longest = delay;
      longest_is = "'" + index_.node(n).name + "': " + what + " of " +
                   std::to_string(static_cast<long long>(delay)) + " samples";
    }
  };
  for (NodeIndex n = 0; n < nodes_.size(); ++n)
    if (nodes_[n].line_delay > 0.0)
      need(nodes_[n].line_delay, nodes_[n].channels, n, "plugin latency");
  for (const DelayGroup& group : groups_)
    if (group.line_delay > 0.0)
      need(group.line_delay, group.channels, group.node, "delay compensation");
  if (bytes > max_line_bytes) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << "the delay lines would need " << bytes / 1e9
         << " GB, more than the " << max_line_bytes / 1e9
         << " GB the engine allows itself; the longest is " << longest_is;
    throw std::invalid_argument(text.str());
  }
  for (NodePlan& plan : nodes_)
    if (plan.line_delay > 0.0)
      plan.plugin_delay = delay_lines(plan.line_delay, plan.channels, settings_.block_frames);
  for (DelayGroup& group : groups_)
    if (group.line_delay > 0.0)
      group.lines = delay_lines(group.line_delay, group.channels, settings_.block_frames);
}

std::vector<RenderEngine::Plan::Term> RenderEngine::Plan::schedule(std::vector<PlannedSum> sums) {
  // A session's big sums (returns fed by a hundred tracks each) read far more sources than the
  // first-level cache holds: run whole, one after another, each reads every source from the second
  // level again. Run instead a stretch of sources at a time across all the sums of a level, each
  // source is fetched once and then read from the first level by every other sum it feeds, for
  // the price of a read of the partial sum per stretch. Stretches of 64 KB, run one channel at a
  // time (32 KB of left or right channels), measured best here (48 KB first level; 8 to 96 KB
  // tried).
  constexpr std::size_t stretch_floats = (64 << 10) / sizeof(float);
  // Terms reading a plugin's delay line in place have no arena address (the line moves each
  // block): they make up a stretch of their own. Terms reading a delay group are run last, once
  // the group's line has its block.
  std::vector<std::size_t> in_line, in_group;
  for (const DelayGroup& group : groups_)
    for (int c = 0; c < group.channels; ++c) in_group.push_back(group.read(c));
  for (const NodePlan& plan : nodes_)
    if (read_in_place(plan.plugin_delay))
      for (int c = 0; c < plan.channels; ++c) in_line.push_back(plan.post_fx + c * plan.step);
  std::sort(in_line.begin(), in_line.end());
  std::sort(in_group.begin(), in_group.end());
  constexpr std::size_t line_stretch = std::numeric_limits<std::size_t>::max() - 1,
                        group_stretch = line_stretch + 1;
  auto stretch = [&](const Term& t) {
    if (std::binary_search(in_group.begin(), in_group.end(), t.src)) return group_stretch;
    if (std::binary_search(in_line.begin(), in_line.end(), t.src)) return line_stretch;
    return t.src / stretch_floats;
  };

  std::vector<Term> terms;
  // Pieces summing into a line's window, to be moved with it (once the pieces stop growing).
  struct Writer {
    Pieces* pieces;
    std::size_t piece;
    DelayGroup* group;
    int channel;
  };
  std::vector<Writer> writers;
  for (std::size_t l = 0; l < levels_.size(); ++l) {
    Level& level = levels_[l];
    std::vector<PlannedSum*> here;
    for (PlannedSum& sum : sums)
      if (sum.level == l) here.push_back(&sum);
    // Each term's stretch; a sum's pieces run in the order (channel, stretch, place in `here`).
    std::vector<std::vector<std::size_t>> where(here.size());
    std::vector<std::size_t> last(here.size(), 0);  // a sum's last stretch before the groups'
    std::vector<bool> any(here.size(), false);
    for (std::size_t i = 0; i < here.size(); ++i)
      for (const Term& t : here[i]->terms) {
        where[i].push_back(stretch(t));
        if (where[i].back() != group_stretch) {
          last[i] = std::max(last[i], where[i].back());
          any[i] = true;
        }
      }
    // A short delay group is read straight from the arena once its sum is complete, so a term
    // reading it can join the last piece of its own sum when that piece comes after the group's
    // last one, instead of a late piece of its own. (A line must be written first: those wait.)
    std::map<std::size_t, std::size_t> short_group_sum;  // read offset → index in `here`
    for (std::size_t i = 0; i < here.size(); ++i) {
      const PlannedSum& sum = *here[i];
      if (sum.group_sum && groups_[sum.group].tail > 0)
        short_group_sum[groups_[sum.group].read(sum.channel)] = i;
    }
    auto done_before = [&](std::size_t j, std::size_t i) {
      if (!any[j]) return true;  // a sum of nothing is written first
      return std::tuple(here[j]->channel, last[j], j) < std::tuple(here[i]->channel, last[i], i);
    };
    for (std::size_t i = 0; i < here.size(); ++i)
      for (std::size_t k = 0; k < where[i].size(); ++k) {
        if (where[i][k] != group_stretch || !any[i]) continue;
        const auto j = short_group_sum.find(here[i]->terms[k].src);
        if (j != short_group_sum.end() && done_before(j->second, i)) where[i][k] = last[i];
      }
    std::vector<std::size_t> stretches;
    for (const auto& w : where) stretches.insert(stretches.end(), w.begin(), w.end());
    std::sort(stretches.begin(), stretches.end());
    stretches.erase(std::unique(stretches.begin(), stretches.end()), stretches.end());
    // A level's pieces take their terms in a row, the late ones after the others.
    auto add_piece = [&](Pieces& pieces, const PlannedSum& sum, std::size_t first_term,
                         bool accumulate) {
      if (pieces.dst.empty()) pieces.first_term = first_term;
      // An integer delay group's line: the sum is produced in it. (The line decides what is an
      // integer delay: 10.0000000001 samples is one.)
      if (sum.group_sum && read_in_place(groups_[sum.group].lines)) {
        DelayLine& line = groups_[sum.group].lines[sum.channel];
        pieces.dst.push_back(line.write_window());
        writers.push_back({&pieces, pieces.dst.size() - 1, &groups_[sum.group], sum.channel});
      } else {
        pieces.dst.push_back(at(sum.dst));
      }
      pieces.end.push_back(terms.size() - pieces.first_term);
      pieces.accumulate.push_back(accumulate ? 1 : 0);
    };
    // A sum of nothing still writes its silence.
    for (PlannedSum* sum : here)
      if (sum->terms.empty()) add_piece(level.parts, *sum, terms.size(), false);
    std::vector<bool> started(here.size(), false);
    auto add_pieces = [&](std::size_t s, int channel) {
      for (std::size_t i = 0; i < here.size(); ++i) {
        if (here[i]->channel != channel) continue;
        const std::size_t first = terms.size();
        for (std::size_t k = 0; k < where[i].size(); ++k)
          if (where[i][k] == s) terms.push_back(here[i]->terms[k]);
        if (terms.size() == first) continue;
        add_piece(s == group_stretch ? level.late_parts : level.parts, *here[i], first, started[i]);
        started[i] = true;
      }
    };
    // Left channels first, then right ones: a stereo sum reads one side of its sources, so a
    // stretch's other side stays out of the cache meanwhile.
    for (int channel = 0; channel < 2; ++channel)
      for (std::size_t s : stretches)
        if (s != group_stretch) add_pieces(s, channel);
    for (int channel = 0; channel < 2; ++channel) add_pieces(group_stretch, channel);
  }
  for (const Writer& w : writers) w.group->writers[w.channel].push_back(&w.pieces->dst[w.piece]);
  return terms;
}

float* RenderEngine::Plan::source(NodeIndex node, int channel) {
  const NodePlan& plan = nodes_[node];
  if (!plan.source || channel < 0 || channel >= plan.channels) return nullptr;
  return at(*plan.source + channel * (plan.input ? stride_ : plan.step));
}

const float* RenderEngine::Plan::output(NodeIndex node, int channel) const {
  const NodePlan& plan = nodes_[node];
  return at(plan.output.value_or(zero_block_) + channel * stride_);
}

const float* RenderEngine::Plan::key(NodeIndex node, std::size_t plugin_index, int channel) const {
  for (const KeyBuffer& k : keys_)
    if (k.node == node && k.plugin == plugin_index && channel < k.channels)
      return at(k.offset + channel * stride_);
  return nullptr;
}

void RenderEngine::Plan::run(const Pieces& pieces, std::size_t frames) {
  kernels::weighted_sums(pieces.dst.data(), pieces.end.data(), pieces.accumulate.data(),
                         pieces.dst.size(), term_src_.data() + pieces.first_term,
                         term_gain_.data() + pieces.first_term, frames);
}

void RenderEngine::Plan::process_node(NodeIndex n, std::size_t frames) {
  NodePlan& plan = nodes_[n];
  for (int c = 0; c < plan.channels; ++c) {
    const std::size_t channel = c * plan.step;
    const float* post_fx = at(plan.post_fx + channel);
    if (!plan.plugin_delay.empty()) {
      DelayLine& line = plan.plugin_delay[c];
      if (line.is_integer()) {
        line.write(at(plan.pre_fx + channel), frames);
        post_fx = line.delayed(frames);
        for (std::size_t t : plan.post_fx_terms[c]) term_src_[t] = post_fx;
      } else {
        line.process(at(plan.pre_fx + channel), at(plan.post_fx + channel), frames);
      }
    }
    if (plan.output)
      kernels::scale(at(*plan.output + c * stride_), post_fx, plan.post_fader_gain, frames);
  }
}

void RenderEngine::Plan::process(std::size_t frames) {
  frames = std::min(frames, settings_.block_frames);
  for (const Level& level : levels_) {
    run(level.parts, frames);
    for (std::size_t g : level.groups) {
      DelayGroup& group = groups_[g];
      for (int c = 0; c < group.channels; ++c) {
        DelayLine& line = group.lines[c];
        if (line.is_integer()) {
          line.commit(frames);
          for (std::size_t t : group.terms[c]) term_src_[t] = line.delayed(frames);
          for (float** dst : group.writers[c]) *dst = line.write_window();
        } else {
          float* delayed = at(group.offset + c * group.step);
          line.process(delayed, delayed, frames);
        }
      }
    }
    run(level.late_parts, frames);
    for (NodeIndex n : level.nodes) process_node(n, frames);
  }
  // Everything has been read: each short delay keeps the last samples it will need next block.
  for (const Tail& tail : tails_) {
    float* channel = at(tail.offset);
    std::memmove(channel - tail.floats, channel + frames - tail.floats,
                 tail.floats * sizeof(float));
  }
}

RenderEngine::RenderEngine(RouteGraph graph, EngineSettings settings,
                           const std::vector<std::string>& observed)
    : plan_(std::make_unique<Plan>(std::move(graph), settings, observed)) {}

RenderEngine::~RenderEngine() = default;

const EngineSettings& RenderEngine::settings() const {
  return plan_->settings_;
}
const RouteGraph& RenderEngine::graph() const {
  return plan_->graph_;
}
std::optional<NodeIndex> RenderEngine::find(std::string_view id) const {
  return plan_->index_.find(id);
}
int RenderEngine::channel_count(NodeIndex node) const {
  return plan_->nodes_[node].channels;
}
double RenderEngine::reported_latency_samples(NodeIndex node) const {
  return plan_->nodes_[node].reported_out;
}
bool RenderEngine::audible(NodeIndex node) const {
  return plan_->nodes_[node].audible;
}
float RenderEngine::own_gain(NodeIndex node) const {
  return plan_->nodes_[node].fader_gain;
}
float* RenderEngine::source(NodeIndex node, int channel) {
  return plan_->source(node, channel);
}
void RenderEngine::process(std::size_t frames) {
  plan_->process(frames);
}
const float* RenderEngine::output(NodeIndex node, int channel) const {
  return plan_->output(node, channel);
}
const float* RenderEngine::key(NodeIndex node, std::size_t plugin_index, int channel) const {
  return plan_->key(node, plugin_index, channel);
}

}  // namespace routewise
