#include "routewise/core/render_engine.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
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
    const auto in_edges = index_.in_edges(n);
    if (std::any_of(in_edges.begin(), in_edges.end(),
                    [&](EdgeIndex e) { return carries_audio(index_.edge(e).kind); })) {
      plan.input = offset;
      offset += size;
    }
    if (takes_outside_signal(index_, n)) {
      plan.source = offset;
      offset += size;
    }
    if (keep[n]) {
      plan.output = offset;
      offset += size;
    }
    plan.pre_fx = plan.input ? *plan.input : plan.source ? *plan.source : zero_block_;
    plan.post_fx = plan.pre_fx;
    if (const double latency = plugin_latency(node); latency > 0.0) {
      plan.plugin_delay = delay_lines(latency, plan.channels, block, node, "plugin latency");
      plan.post_fx = offset;
      offset += size;
    }
    plan.audible = audible[n];
    plan.pre_fx_gain =
        static_cast<float>(db_to_amplitude(node.trim_db)) * (node.polarity_inverted ? -1.0f : 1.0f);
    double plugin_gain_db = 0.0;
    for (const Plugin& p : node.plugins)
      if (!p.bypassed) plugin_gain_db += p.gain_db;
    plan.pre_fader_gain = plan.pre_fx_gain * static_cast<float>(db_to_amplitude(plugin_gain_db));
    plan.post_fader_gain =
        node.mute || !plan.audible
            ? 0.0f
            : plan.pre_fader_gain * static_cast<float>(db_to_amplitude(node.fader_db));
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
  const std::vector<Term> terms = plan_sums(offset);
  constexpr std::size_t floats_per_line = 64 / sizeof(float);
  arena_.assign(offset + floats_per_line, 0.0f);
  const auto address = reinterpret_cast<std::uintptr_t>(arena_.data());
  arena_start_ = (64 - address % 64) % 64 / sizeof(float);
  for (const Term& t : terms) {
    term_src_.push_back(at(t.src));
    term_gain_.push_back(t.gain);
  }
  // Integer delays are read where the line holds the block, with no copy out: the terms that
  // read a delayed signal are pointed there as each block is written.
  std::map<std::size_t, std::vector<std::size_t>> reading;
  for (std::size_t t = 0; t < terms.size(); ++t) reading[terms[t].src].push_back(t);
  for (DelayGroup& group : groups_)
    if (group.lines.front().is_integer())
      for (int c = 0; c < group.channels; ++c) group.terms[c] = reading[group.offset + c * stride_];
  for (NodePlan& plan : nodes_)
    if (!plan.plugin_delay.empty() && plan.plugin_delay.front().is_integer())
      for (int c = 0; c < plan.channels; ++c)
        plan.post_fx_terms[c] = reading[plan.post_fx + c * stride_];
  for (NodeIndex n : order_) {
    const NodePlan& plan = nodes_[n];
    if (plan.input || plan.output || !plan.plugin_delay.empty()) active_.push_back(n);
  }
}

std::vector<RenderEngine::Term> RenderEngine::plan_sums(std::size_t& offset) {
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
      if (weight != 0.0f) into[to].push_back({base + channel * stride_, weight});
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

  std::vector<Term> terms;
  auto add_sums = [&](std::size_t dst, int channels, std::vector<Term>(&channel_terms)[2],
                      std::size_t(&sums)[2]) {
    for (int c = 0; c < channels; ++c) {
      sums[c] = sums_.size();
      sums_.push_back({dst + c * stride_, terms.size(), channel_terms[c].size()});
      terms.insert(terms.end(), channel_terms[c].begin(), channel_terms[c].end());
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
    to.first_group = groups_.size();
    for (double delay : delays) {
      DelayGroup group;
      group.offset = offset;
      group.channels = to.channels;
      group.lines = delay_lines(delay, to.channels, settings_.block_frames, index_.node(n),
                                "delay compensation");
      offset += to.channels * stride_;
      std::vector<Term> delayed[2];
      for (EdgeIndex e : index_.in_edges(n))
        if (carries_audio(index_.edge(e).kind) && edge_delay(e) == delay)
          edge_terms(e, to.channels, delayed);
      add_sums(group.offset, to.channels, delayed, group.sums);
      for (int c = 0; c < to.channels; ++c) direct[c].push_back({group.offset + c * stride_, 1.0f});
      groups_.push_back(std::move(group));
    }
    to.group_count = groups_.size() - to.first_group;
    if (to.source)
      for (int c = 0; c < to.channels; ++c) direct[c].push_back({*to.source + c * stride_, 1.0f});
    add_sums(*to.input, to.channels, direct, to.sums);
  }
  for (KeyBuffer& key : keys_) {
    std::vector<Term> sidechains[2];
    for (EdgeIndex e : index_.in_edges(key.node)) {
      const Edge& edge = index_.edge(e);
      if (edge.kind == EdgeKind::sidechain &&
          index_.node(key.node).plugins[key.plugin].name == edge.plugin)
        edge_terms(e, key.channels, sidechains);
    }
    add_sums(key.offset, key.channels, sidechains, key.sums);
  }
  return terms;
}

float* RenderEngine::source(NodeIndex node, int channel) {
  const NodePlan& plan = nodes_[node];
  if (!plan.source || channel < 0 || channel >= plan.channels) return nullptr;
  return at(*plan.source + channel * stride_);
}

const float* RenderEngine::output(NodeIndex node, int channel) const {
  const NodePlan& plan = nodes_[node];
  return at(plan.output.value_or(zero_block_) + channel * stride_);
}

const float* RenderEngine::key(NodeIndex node, std::size_t plugin_index, int channel) const {
  for (const KeyBuffer& k : keys_)
    if (k.node == node && k.plugin == plugin_index && channel < k.channels)
      return at(k.offset + channel * stride_);
  return nullptr;
}

void RenderEngine::run_sum(const Sum& sum, float* dst, std::size_t frames) {
  kernels::weighted_sum(dst, term_src_.data() + sum.first_term, term_gain_.data() + sum.first_term,
                        sum.term_count, frames);
}

void RenderEngine::process(std::size_t frames) {
  frames = std::min(frames, settings_.block_frames);
  for (NodeIndex n : active_) {
    NodePlan& plan = nodes_[n];
    for (std::size_t g = plan.first_group; g < plan.first_group + plan.group_count; ++g) {
      DelayGroup& group = groups_[g];
      for (int c = 0; c < group.channels; ++c) {
        DelayLine& line = group.lines[c];
        const Sum& sum = sums_[group.sums[c]];
        if (line.is_integer()) {
          run_sum(sum, line.write_window(), frames);
          line.commit(frames);
          for (std::size_t t : group.terms[c]) term_src_[t] = line.delayed(frames);
        } else {
          float* delayed = at(group.offset + c * stride_);
          run_sum(sum, delayed, frames);
          line.process(delayed, delayed, frames);
        }
      }
    }
    for (int c = 0; c < plan.channels; ++c) {
      const std::size_t channel = c * stride_;
      if (plan.input) run_sum(sums_[plan.sums[c]], at(*plan.input + channel), frames);
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
        kernels::scale(at(*plan.output + channel), post_fx, plan.post_fader_gain, frames);
    }
  }
  // Keys last: a sidechain's source need not come before its destination in the audio order.
  for (const KeyBuffer& key : keys_)
    for (int c = 0; c < key.channels; ++c)
      run_sum(sums_[key.sums[c]], at(key.offset + c * stride_), frames);
}

}  // namespace routewise
