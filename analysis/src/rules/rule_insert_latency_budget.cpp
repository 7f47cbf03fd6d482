// insert-latency-budget: a hardware insert's round trip exceeds the budget for where it sits.
#include <array>

#include "routewise/analysis/rules.hpp"
#include "routewise/analysis/source_category.hpp"
#include "routewise/model/units.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

constexpr std::array<Threshold, 3> thresholds{{
    {"general_max_ms", 6, "ms", "round-trip budget on tracks (general, vocals, bass, keys)"},
    {"drums_max_ms", 4, "ms", "round-trip budget on drums (timing-critical)"},
    {"bus_max_ms", 2, "ms", "round-trip budget on buses and the master"},
}};

void run(const RuleContext& c, std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  const double rate = index.graph().session.sample_rate_hz;
  for (EdgeIndex e = 0; e < index.edge_count(); ++e) {
    const Edge& edge = index.edge(e);
    if (edge.kind != EdgeKind::hardware_insert || index.from(e) == no_node) continue;
    const NodeIndex host = index.from(e);
    const Node& host_node = index.node(host);
    const Node& unit = index.node(index.to(e));
    if (!edge.latency_samples) {
      Finding f = make_finding("insert-latency-budget", Severity::info, index, {host, index.to(e)});
      f.edges.push_back(edge_ref(index, e));
      f.message = fmt::format(
          "The hardware insert {} on {} has no measured round trip, so neither "
          "its budget nor its delay compensation can be checked.",
          quoted(unit), quoted(host_node));
      f.fix = fmt::format(
          "measure the round trip of {} (routewise measure, or a sine null test) "
          "and store it with the session.",
          quoted(unit));
      out.push_back(std::move(f));
      continue;
    }
    const Category category = categorize(index, host);
    const bool on_bus = is_summing_point(host_node.kind) || category == Category::mix;
    const std::string where = on_bus                        ? "a bus/master"
                              : category == Category::drums ? "a drum"
                                                            : "a";
    const double budget = on_bus                        ? c.threshold("bus_max_ms")
                          : category == Category::drums ? c.threshold("drums_max_ms")
                                                        : c.threshold("general_max_ms");
    const double ms = samples_to_ms(*edge.latency_samples, rate);
    if (ms <= budget) continue;
    Finding f =
        make_finding("insert-latency-budget", Severity::warning, index, {host, index.to(e)});
    f.edges.push_back(edge_ref(index, e));
    f.message = fmt::format(
        "The hardware insert {} on {} takes {:.2f} ms ({:g} samples) round "
        "trip, over the {:g} ms budget for {} insert{}.",
        quoted(unit), quoted(host_node), ms, *edge.latency_samples, budget, where,
        edge.compensated ? "" : ", and the DAW does not compensate it");
    f.figures.push_back({"round trip", ms, "ms", fmt::format("<= {:g} ms", budget)});
    f.figures.push_back({"round trip", *edge.latency_samples, "samples", ""});
    f.fix = fmt::format(
        "lower the interface buffer or use a lower-latency converter path for {}, "
        "or move the insert to a track where {:.2f} ms is tolerable; print the "
        "processed signal if it must stay.",
        quoted(unit), ms);
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_insert_latency_budget{
    "insert-latency-budget", "a hardware insert's round trip over its budget", thresholds, run};

}  // namespace routewise
