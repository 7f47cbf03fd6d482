// All analysis rules over synthetic sessions of 100 .. 100 000 nodes (figures in RESULTS.md).
#include <benchmark/benchmark.h>

#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/rule.hpp"
#include "routewise/model/graph_index.hpp"
#include "routewise/model/route_map_json.hpp"
#include "synthetic_session.hpp"

namespace {

using routewise::bench::synthetic_session;

void all_rules(benchmark::State& state) {
  const auto graph = synthetic_session(static_cast<std::size_t>(state.range(0)));
  std::size_t findings = 0;
  for (auto _ : state) {
    const auto result = routewise::analyze(graph);
    findings = result.size();
    benchmark::DoNotOptimize(result.data());
  }
  state.counters["nodes"] = static_cast<double>(graph.nodes.size());
  state.counters["edges"] = static_cast<double>(graph.edges.size());
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["ns_per_node"] = benchmark::Counter(
      static_cast<double>(graph.nodes.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetComplexityN(static_cast<std::int64_t>(graph.nodes.size()));
}
BENCHMARK(all_rules)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

void one_rule(benchmark::State& state, std::string_view rule) {
  const auto graph = synthetic_session(static_cast<std::size_t>(state.range(0)));
  routewise::AnalysisConfig config;
  for (const auto& r : routewise::all_rule_ids())
    if (r != rule) config.disabled_rules.emplace_back(r);
  for (auto _ : state) benchmark::DoNotOptimize(routewise::analyze(graph, config).data());
  state.counters["ns_per_node"] = benchmark::Counter(
      static_cast<double>(graph.nodes.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void route_map_json_round_trip(benchmark::State& state) {
  const auto graph = synthetic_session(static_cast<std::size_t>(state.range(0)));
  const std::string text = routewise::write_route_map(graph);
  for (auto _ : state) benchmark::DoNotOptimize(routewise::parse_route_map(text).graph);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(route_map_json_round_trip)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  // One benchmark per rule, at two sizes a decade apart, so non-linear growth shows per rule.
  for (std::string_view rule : routewise::all_rule_ids())
    benchmark::RegisterBenchmark(("rule/" + std::string(rule)).c_str(), one_rule, rule)
        ->Arg(10000)
        ->Arg(100000)
        ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

namespace {

// The shared cost every rule run pays: id lookup table and adjacency.
void graph_index(benchmark::State& state) {
  const auto graph = synthetic_session(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    routewise::GraphIndex index(graph);
    benchmark::DoNotOptimize(index.node_count());
  }
  state.counters["ns_per_node"] = benchmark::Counter(
      static_cast<double>(graph.nodes.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(graph_index)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
