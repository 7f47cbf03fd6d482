// pdc-asymmetry: parallel paths from one source rejoin with different uncompensated latency.
#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "routewise/analysis/rules.hpp"
#include "routewise/model/graph_order.hpp"
#include "routewise/model/graph_paths.hpp"
#include "routewise/model/units.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

constexpr std::array<Threshold, 1> thresholds{{
    {"min_delta_samples", 1, "samples", "smallest latency difference that is reported"},
}};

// Latency the DAW does not align that a signal picks up leaving `from` over edge `e`.
double edge_lag(const GraphIndex& index, EdgeIndex e) {
  const Edge& edge = index.edge(e);
  const TapPoint tap = edge.kind == EdgeKind::send ? edge.tap : TapPoint::post_fader;
  double lag = node_contribution(index.node(index.from(e)), tap).uncompensated_latency_samples;
  if (edge.kind == EdgeKind::hardware_insert && edge.latency_samples && !edge.compensated)
    lag += *edge.latency_samples;
  return lag;
}

// What reaches one node from the split: the earliest and latest arrival over all paths, and
// the smallest "latest" among its inputs (a gap between the two lates means paths rejoin here).
struct Arrival {
  double early = 0, late = 0, late_min = 0;
  EdgeIndex early_edge = UINT32_MAX, late_edge = UINT32_MAX, late_min_edge = UINT32_MAX;
  bool reached = false;
};

struct Rejoin {
  NodeIndex split;
  NodeIndex at;
  double delta;
  std::vector<EdgeIndex> early_path, late_path;
};

// Arrivals for the descendants of the split being scanned. Entries belong to the current scan
// only when their stamp matches, so nothing is cleared between the many small scans.
struct ArrivalTable {
  std::vector<Arrival> arrival;
  std::vector<std::uint32_t> stamp;
  std::uint32_t current = 0;
  explicit ArrivalTable(std::size_t nodes) : arrival(nodes), stamp(nodes, 0) {}
  void start() { ++current; }
  bool insert(NodeIndex n) {
    if (stamp[n] == current) return false;
    stamp[n] = current;
    arrival[n] = {};
    return true;
  }
  const Arrival* find(NodeIndex n) const { return stamp[n] == current ? &arrival[n] : nullptr; }
  Arrival& at(NodeIndex n) { return arrival[n]; }
};

std::vector<EdgeIndex> back_path(const GraphIndex& index, const ArrivalTable& a, NodeIndex split,
                                 EdgeIndex last, bool late) {
  std::vector<EdgeIndex> path{last};
  for (NodeIndex n = index.from(last); n != split;) {
    const Arrival& arrival = *a.find(n);
    const EdgeIndex e = late ? arrival.late_edge : arrival.early_edge;
    path.push_back(e);
    n = index.from(e);
  }
  return {path.rbegin(), path.rend()};
}

// Forward pass over the descendants of one split node, in global topological order.
void scan_split(const GraphIndex& index, NodeIndex split, const std::vector<double>& lag,
                const std::vector<std::uint32_t>& position, double min_delta, ArrivalTable& arrival,
                std::map<std::pair<NodeIndex, EdgeIndex>, Rejoin>& rejoins) {
  std::vector<NodeIndex> descendants;
  arrival.start();
  arrival.insert(split);
  std::vector<NodeIndex> stack{split};
  while (!stack.empty()) {
    const NodeIndex n = stack.back();
    stack.pop_back();
    for (EdgeIndex e : index.out_edges(n)) {
      if (!carries_audio(index.edge(e).kind) || position[index.to(e)] == UINT32_MAX) continue;
      if (arrival.insert(index.to(e))) {
        descendants.push_back(index.to(e));
        stack.push_back(index.to(e));
      }
    }
  }
  std::sort(descendants.begin(), descendants.end(),
            [&](NodeIndex a, NodeIndex b) { return position[a] < position[b]; });
  // Forward relaxation in topological order: each descendant's out-edges are walked once, so a
  // scan costs its own edges and never the (possibly huge) fan-in of a shared bus downstream.
  const auto relax = [&](NodeIndex u) {
    const Arrival from = arrival.at(u);
    for (EdgeIndex e : index.out_edges(u)) {
      if (!carries_audio(index.edge(e).kind) || !arrival.find(index.to(e))) continue;
      Arrival& to = arrival.at(index.to(e));
      const double early = from.early + lag[e], late = from.late + lag[e];
      if (!to.reached || early < to.early) to.early = early, to.early_edge = e;
      if (!to.reached || late > to.late) to.late = late, to.late_edge = e;
      if (!to.reached || late < to.late_min) to.late_min = late, to.late_min_edge = e;
      to.reached = true;
    }
  };
  relax(split);
  for (NodeIndex v : descendants) {
    relax(v);
    const Arrival& here = arrival.at(v);
    const double late_min = here.late_min;
    const EdgeIndex late_min_edge = here.late_min_edge;
    const double delta = here.late - late_min;
    if (delta < min_delta || late_min_edge == here.late_edge) continue;
    const auto key = std::pair(v, here.late_edge);
    const auto existing = rejoins.find(key);
    // Several splits see the same rejoin; the one nearest to it names the parallel paths.
    if (existing != rejoins.end() && position[existing->second.split] > position[split]) continue;
    Rejoin r{split, v, delta, {}, {}};
    r.late_path = back_path(index, arrival, split, here.late_edge, true);
    // The early branch: follow the edge whose late arrival is smallest, then early parents.
    r.early_path = back_path(index, arrival, split, late_min_edge, false);
    rejoins[key] = std::move(r);
  }
}

std::string describe_cause(const GraphIndex& index, const std::vector<EdgeIndex>& path,
                           const std::vector<double>& lag, std::string& fix) {
  std::string causes;
  for (EdgeIndex e : path) {
    if (lag[e] <= 0) continue;
    const Node& n = index.node(index.from(e));
    const Edge& edge = index.edge(e);
    std::string cause;
    if (edge.kind == EdgeKind::hardware_insert && edge.latency_samples && !edge.compensated &&
        lag[e] == *edge.latency_samples) {
      cause = fmt::format("the hardware insert on {} ({:g} samples round trip, not compensated)",
                          quoted(n), *edge.latency_samples);
      fix += fmt::format(
          "enter the measured {:g}-sample round trip as the insert's latency on {} "
          "so the DAW compensates it",
          *edge.latency_samples, quoted(n));
    } else {
      cause = fmt::format("{} (PDC off, {:g} samples of plugin latency)", quoted(n), lag[e]);
      fix += fmt::format("switch plugin delay compensation on for {}", quoted(n));
    }
    causes += (causes.empty() ? "" : " and ") + cause;
    fix += "; ";
  }
  return causes;
}

void run(const RuleContext& c, std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  std::vector<double> lag(index.edge_count(), 0.0);
  std::vector<NodeIndex> laggy_sources;
  for (EdgeIndex e = 0; e < index.edge_count(); ++e) {
    if (index.from(e) == no_node || !carries_audio(index.edge(e).kind)) continue;
    lag[e] = edge_lag(index, e);
    if (lag[e] > 0) laggy_sources.push_back(index.from(e));
  }
  if (laggy_sources.empty()) return;

  const auto order = topological_order(index, EdgeFilter::audio());
  std::vector<std::uint32_t> position(index.node_count(), UINT32_MAX);  // UINT32_MAX: on a loop
  for (std::uint32_t i = 0; i < order.order.size(); ++i) position[order.order[i]] = i;

  // Only nodes upstream of some uncompensated latency can split into asymmetric paths.
  std::vector<bool> upstream(index.node_count(), false);
  std::vector<NodeIndex> stack;
  for (NodeIndex s : laggy_sources)
    if (!upstream[s]) upstream[s] = true, stack.push_back(s);
  while (!stack.empty()) {
    const NodeIndex n = stack.back();
    stack.pop_back();
    for (EdgeIndex e : index.in_edges(n))
      if (carries_audio(index.edge(e).kind) && !upstream[index.from(e)])
        upstream[index.from(e)] = true, stack.push_back(index.from(e));
  }
  std::map<std::pair<NodeIndex, EdgeIndex>, Rejoin> rejoins;
  ArrivalTable arrival(index.node_count());
  for (NodeIndex s = 0; s < index.node_count(); ++s) {
    if (!upstream[s] || position[s] == UINT32_MAX) continue;
    std::size_t audio_out = 0;
    for (EdgeIndex e : index.out_edges(s)) audio_out += carries_audio(index.edge(e).kind);
    if (audio_out < 2) continue;
    scan_split(index, s, lag, position, c.threshold("min_delta_samples"), arrival, rejoins);
  }

  const double rate = index.graph().session.sample_rate_hz;
  for (const auto& [key, r] : rejoins) {
    const double delta_ms = samples_to_ms(r.delta, rate);
    const double first_notch_hz = 1000.0 / (2.0 * delta_ms);
    const double spacing_hz = 1000.0 / delta_ms;
    Finding f = make_finding("pdc-asymmetry", Severity::warning, index, {});
    add_path(f, index, r.late_path);
    for (EdgeIndex e : r.early_path) {
      f.edges.push_back(edge_ref(index, e));
      if (index.to(e) != r.at) f.nodes.push_back(index.node(index.to(e)).id);
    }
    std::string fix;
    const std::string causes = describe_cause(index, r.late_path, lag, fix);
    f.message = fmt::format(
        "Parallel paths from {} rejoin at {} {:g} samples ({:.2f} ms) apart because of {}; the "
        "sum comb-filters with its first notch at {:.1f} Hz and notches every {:.1f} Hz.",
        quoted(index.node(r.split)), quoted(index.node(r.at)), r.delta, delta_ms, causes,
        first_notch_hz, spacing_hz);
    f.figures.push_back({"delta", r.delta, "samples",
                         fmt::format("< {:g} samples", c.threshold("min_delta_samples"))});
    f.figures.push_back({"delta", delta_ms, "ms", ""});
    f.figures.push_back({"first notch", first_notch_hz, "Hz", ""});
    f.figures.push_back({"notch spacing", spacing_hz, "Hz", ""});
    f.fix = fix + fmt::format("or delay the other path ({}) by {:g} samples.",
                              describe_path(index, r.early_path), r.delta);
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_pdc_asymmetry{"pdc-asymmetry", "parallel paths rejoining with different latency",
                              thresholds, run};

}  // namespace routewise
