#include "routewise/core/render_engine.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "mix_kernels.hpp"
#include "routewise/core/graph_order.hpp"
#include "routewise/core/units.hpp"

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

// Delay lines for one node, one per channel; a delay beyond what a line holds is reported with the
// node it belongs to.
std::vector<DelayLine> delay_lines(double samples, int channels, std::size_t block,
                                   const Node& node, const char* what) {
  if (!(samples <= DelayLine::max_delay_samples))
    throw std::invalid_argument("'" + node.name + "': " + what + " of " + std::to_string(samples) +
                                " samples is beyond what can be rendered (" +
                                std::to_string(DelayLine::max_delay_samples) + ")");
  std::vector<DelayLine> lines;
  for (int c = 0; c < channels; ++c) lines.emplace_back(samples, block);
  return lines;
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

RenderEngine::RenderEngine(RouteGraph graph, EngineSettings settings,
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

  // Arena layout. Inputs that edges add into, and key buffers, come first: they are cleared each
  // block. A node's taps are pushed along its edges as soon as it has run, so unobserved nodes
  // share one scratch set: the working set stays small enough for the caches.
  const std::size_t block = settings_.block_frames;
  nodes_.resize(count);
  std::size_t offset = 0;
  for (NodeIndex n = 0; n < count; ++n) {
    NodePlan& plan = nodes_[n];
    plan.channels = std::clamp(index_.node(n).channel_count, 1, 2);
    const auto in_edges = index_.in_edges(n);
    plan.has_inputs = std::any_of(in_edges.begin(), in_edges.end(),
                                  [&](EdgeIndex e) { return carries_audio(index_.edge(e).kind); });
    if (plan.has_inputs || keep[n]) {
      plan.input = offset;
      offset += plan.channels * block;
    }
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
    offset += nodes_[to].channels * block;
  }
  zeroed_end_ = offset;
  const std::size_t scratch = offset;  // input, pre-fader and output of unobserved nodes
  offset += std::size_t{3} * 2 * block;
  for (NodeIndex n = 0; n < count; ++n) {
    NodePlan& plan = nodes_[n];
    const Node& node = index_.node(n);
    const std::size_t size = plan.channels * block;
    if (!plan.has_inputs && !keep[n]) plan.input = scratch;
    if (keep[n]) {
      plan.pre_fader = offset;
      plan.output = offset + size;
      offset += 2 * size;
    } else {
      plan.pre_fader = scratch + 2 * block;
      plan.output = scratch + 4 * block;
    }
    plan.observed = keep[n];
    if (takes_outside_signal(index_, n)) {
      plan.source = offset;
      offset += size;
    }
    plan.trim_gain =
        static_cast<float>(db_to_amplitude(node.trim_db)) * (node.polarity_inverted ? -1.0f : 1.0f);
    double plugin_gain_db = 0.0;
    for (const Plugin& p : node.plugins)
      if (!p.bypassed) plugin_gain_db += p.gain_db;
    plan.plugin_gain = static_cast<float>(db_to_amplitude(plugin_gain_db));
    if (const double latency = plugin_latency(node); latency > 0.0)
      plan.plugin_delay = delay_lines(latency, plan.channels, block, node, "plugin latency");
    plan.audible = audible[n];
    plan.output_gain =
        node.mute || !plan.audible ? 0.0f : static_cast<float>(db_to_amplitude(node.fader_db));
  }
  arena_.assign(offset, 0.0f);
  plan_edges(order_);
}

void RenderEngine::plan_edges(const std::vector<NodeIndex>& order) {
  // Delay compensation as a DAW does it: each node's input is aligned to the latest *reported*
  // arrival among its inputs. Latency the DAW does not know about (PDC off, uncompensated
  // inserts) still delays the signal but is not compensated, so it comb-filters at the sum.
  const std::size_t count = index_.node_count();
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
  for (NodeIndex n : order) {
    for (EdgeIndex e : index_.in_edges(n))
      if (carries_audio(index_.edge(e).kind))
        reported_in[n] = std::max(reported_in[n], reported_arrival(e));
    nodes_[n].reported_out = reported_tap(n, TapPoint::post_fader);
  }

  const std::size_t block = settings_.block_frames;
  auto edge_delay = [&](EdgeIndex e) {
    const Edge& edge = index_.edge(e);
    double delay = reported_in[index_.to(e)] - reported_arrival(e);
    if (edge.kind == EdgeKind::hardware_insert) delay += edge.latency_samples.value_or(0.0);
    return delay;
  };
  for (NodeIndex n : order) {
    NodePlan& from = nodes_[n];
    from.first_edge = edges_.size();
    from.first_delay = delays_.size();
    // The delay every audio edge leaving this node has in common is applied once, at the node's
    // input (as a DAW aligns a whole track), so most edges need no delay line of their own. Every
    // path keeps its total delay; the node's output is that much later, which its reported
    // latency says, so exports still line up.
    double common = -1.0;
    for (EdgeIndex e : index_.out_edges(n))
      if (index_.to(e) != no_node && carries_audio(index_.edge(e).kind))
        common = common < 0.0 ? edge_delay(e) : std::min(common, edge_delay(e));
    if (common > 1e-9) {
      from.input_delay =
          delay_lines(common, from.channels, block, index_.node(n), "delay compensation");
      from.reported_out += common;
    } else {
      common = 0.0;
    }
    for (EdgeIndex e : index_.out_edges(n)) {
      const Edge& edge = index_.edge(e);
      const NodeIndex to = index_.to(e);
      if (to == no_node) continue;
      const TapPoint tap = edge_tap(e);
      const std::size_t tap_offset = tap == TapPoint::pre_fx      ? from.input
                                     : tap == TapPoint::pre_fader ? from.pre_fader
                                                                  : from.output;
      from.pre_fx_read = from.pre_fx_read || tap == TapPoint::pre_fx;
      from.pre_fader_read = from.pre_fader_read || tap == TapPoint::pre_fader;
      double gain = 1.0;
      double pan = index_.node(n).pan;
      if (edge.kind == EdgeKind::send || edge.kind == EdgeKind::sidechain) {
        gain = edge.mute ? 0.0 : db_to_amplitude(edge.level_db);
        pan = edge.pan;
        // Post-fader sends follow the node's mute and solo; pre-fader taps do not.
        if (tap != TapPoint::post_fader && !from.audible && edge.kind == EdgeKind::send) gain = 0.0;
      }
      const KeyBuffer* key = nullptr;
      if (edge.kind == EdgeKind::sidechain) {
        const auto found = std::find_if(keys_.begin(), keys_.end(), [&](const KeyBuffer& k) {
          return k.node == to && index_.node(to).plugins[k.plugin].name == edge.plugin;
        });
        if (found == keys_.end()) continue;
        key = &*found;
      }
      const int to_channels = key ? key->channels : nodes_[to].channels;
      StereoGains g{1.0f, 1.0f};
      if (to_channels == 2)
        g = from.channels == 1 ? pan_mono(settings_.pan_law, pan)
                               : pan_stereo(settings_.pan_law, pan);
      else if (from.channels == 2)
        g = {0.5f, 0.5f};  // stereo folded to mono
      const float gain_left = static_cast<float>(gain) * g.left;
      const float gain_right = static_cast<float>(gain) * g.right;
      EdgePlan plan{tap_offset,  from.channels, key ? key->offset : nodes_[to].input,
                    to_channels, gain_left,     gain_right,
                    std::nullopt};
      if (key) {
        edges_.push_back(plan);
        continue;
      }

      const double delay = edge_delay(e) - common;
      std::optional<std::size_t> delay_index;
      if (delay > 1e-9) {
        auto shared = std::find_if(delays_.begin() + static_cast<std::ptrdiff_t>(from.first_delay),
                                   delays_.end(), [&](const DelayedTap& d) {
                                     return d.tap_offset == tap_offset && d.delay_samples == delay;
                                   });
        if (shared == delays_.end()) {
          DelayedTap delayed{tap_offset, from.channels, delay, {}, {}};
          delayed.lines =
              delay_lines(delay, from.channels, block, index_.node(n), "delay compensation");
          if (!delayed.lines.front().is_integer())
            delayed.fractional.assign(static_cast<std::size_t>(from.channels) * block, 0.0f);
          delays_.push_back(std::move(delayed));
          shared = delays_.end() - 1;
        }
        delay_index = static_cast<std::size_t>(shared - delays_.begin());
      }
      plan.delay = delay_index;
      edges_.push_back(plan);
    }
    from.edge_count = edges_.size() - from.first_edge;
    from.delay_count = delays_.size() - from.first_delay;
  }
}

float* RenderEngine::source(NodeIndex node, int channel) {
  const NodePlan& plan = nodes_[node];
  if (!plan.source || channel < 0 || channel >= plan.channels) return nullptr;
  return at(*plan.source + channel * settings_.block_frames);
}

const float* RenderEngine::output(NodeIndex node, int channel) const {
  return arena_.data() + nodes_[node].output + channel * settings_.block_frames;
}

const float* RenderEngine::key(NodeIndex node, std::size_t plugin_index, int channel) const {
  for (const KeyBuffer& k : keys_)
    if (k.node == node && k.plugin == plugin_index && channel < k.channels)
      return arena_.data() + k.offset + channel * settings_.block_frames;
  return nullptr;
}

void RenderEngine::mix_edge(const EdgePlan& edge, std::size_t frames) {
  const std::size_t block = settings_.block_frames;
  for (int c = 0; c < edge.from_channels; ++c) {
    const auto channel = static_cast<std::size_t>(c);
    const float* in = at(edge.from_offset + channel * block);
    if (edge.delay) {
      const DelayedTap& tap = delays_[*edge.delay];
      in = tap.fractional.empty() ? tap.lines[channel].delayed(frames)
                                  : tap.fractional.data() + channel * block;
    }
    // mono→stereo: one channel spread with left/right gains; stereo→stereo: each side its own
    // gain; stereo→mono and mono→mono: everything lands on the one channel.
    if (edge.to_channels == 2 && edge.from_channels == 1) {
      kernels::accumulate2(at(edge.to_offset), at(edge.to_offset + block), in, edge.gain_left,
                           edge.gain_right, frames);
    } else {
      kernels::accumulate(at(edge.to_offset + (edge.to_channels == 2 ? channel * block : 0)), in,
                          c == 0 ? edge.gain_left : edge.gain_right, frames);
    }
  }
}

void RenderEngine::process(std::size_t frames) {
  frames = std::min(frames, settings_.block_frames);
  const std::size_t block = settings_.block_frames;
  std::memset(arena_.data(), 0, zeroed_end_ * sizeof(float));
  for (NodeIndex n : order_) {
    NodePlan& plan = nodes_[n];
    for (int c = 0; c < plan.channels; ++c) {
      float* in = at(plan.input + c * block);
      float* pre = at(plan.pre_fader + c * block);
      float* out = at(plan.output + c * block);
      const float* source = plan.source ? at(*plan.source + c * block) : nullptr;
      if (!plan.has_inputs) {
        // Nothing was pushed here: the input is the outside signal alone, delayed straight
        // through the alignment line when there is one.
        if (source && !plan.input_delay.empty()) {
          plan.input_delay[c].write(source, frames);
          plan.input_delay[c].read(in, frames);
        } else if (source) {
          std::memcpy(in, source, frames * sizeof(float));
        } else {
          std::memset(in, 0, frames * sizeof(float));
        }
        source = nullptr;
      } else if (!plan.input_delay.empty()) {
        if (source) kernels::accumulate(in, source, 1.0f, frames);
        source = nullptr;
        plan.input_delay[c].process(in, in, frames);
      }
      if (plan.plugin_delay.empty()) {
        const float pre_gain = plan.trim_gain * plan.plugin_gain;
        kernels::node_stage(in, source, pre, out, plan.trim_gain, pre_gain,
                            pre_gain * plan.output_gain, plan.pre_fx_read || plan.observed,
                            plan.pre_fader_read || plan.observed, frames);
      } else {
        kernels::input_stage(in, source, plan.trim_gain, frames);
        plan.plugin_delay[c].process(in, pre, frames);
        kernels::output_stage(pre, out, plan.plugin_gain, plan.output_gain, frames);
      }
    }
    // Push: delayed copies of this node's taps, then every edge it feeds.
    for (std::size_t d = plan.first_delay; d < plan.first_delay + plan.delay_count; ++d) {
      DelayedTap& tap = delays_[d];
      for (std::size_t c = 0; c < tap.lines.size(); ++c) {
        tap.lines[c].write(at(tap.tap_offset + c * block), frames);
        if (!tap.fractional.empty()) tap.lines[c].read(tap.fractional.data() + c * block, frames);
      }
    }
    for (std::size_t e = plan.first_edge; e < plan.first_edge + plan.edge_count; ++e)
      mix_edge(edges_[e], frames);
  }
}

}  // namespace routewise
