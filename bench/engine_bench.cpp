// Render speed of the audio engine on a large session, against this machine's copy bandwidth
// measured in the same run (the bound any mixing engine meets: it must at least move its data).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "mix_kernels.hpp"
#include "routewise/audio/render_engine.hpp"

namespace routewise {
namespace {

constexpr int tracks = 256, buses = 32, returns = 8, sends_per_track = 4;
constexpr std::size_t block = 128;
constexpr double rate = 48000.0;

// 256 stereo tracks in groups of 8 feeding 32 buses; each track sends to 4 of 8 reverb/delay
// returns (post-fader, alternating pre-fader); buses and returns sum at the master. Every eighth
// track has a 64-sample plugin and every fourth bus a 256-sample one, so delay compensation runs.
RouteGraph large_session() {
  RouteGraph g;
  g.session.sample_rate_hz = rate;
  auto add = [&](std::string id, NodeKind kind) -> Node& {
    Node n;
    n.id = id;
    n.name = std::move(id);
    n.kind = kind;
    n.channel_count = 2;
    g.nodes.push_back(std::move(n));
    return g.nodes.back();
  };
  auto edge = [&](EdgeKind kind, std::string from, std::string to, TapPoint tap) {
    Edge e;
    e.kind = kind;
    e.from = std::move(from);
    e.to = std::move(to);
    e.level_db = -12.0;
    e.tap = tap;
    g.edges.push_back(std::move(e));
  };
  add("master", NodeKind::master);
  for (int b = 0; b < buses; ++b) {
    Node& bus = add("bus" + std::to_string(b), NodeKind::bus);
    if (b % 4 == 0) bus.plugins.push_back({"Lookahead", 256.0, 0.0, false, false});
    edge(EdgeKind::direct_output, bus.id, "master", TapPoint::post_fader);
  }
  for (int r = 0; r < returns; ++r) {
    add("return" + std::to_string(r), NodeKind::aux_return);
    edge(EdgeKind::direct_output, "return" + std::to_string(r), "master", TapPoint::post_fader);
  }
  for (int t = 0; t < tracks; ++t) {
    Node& track = add("track" + std::to_string(t), NodeKind::track);
    track.fader_db = -6.0;
    track.pan = (t % 9 - 4) / 4.0;
    if (t % 8 == 0) track.plugins.push_back({"Linear EQ", 64.0, 0.0, false, false});
    const std::string id = track.id;
    edge(EdgeKind::direct_output, id, "bus" + std::to_string(t / (tracks / buses)),
         TapPoint::post_fader);
    for (int s = 0; s < sends_per_track; ++s)
      edge(EdgeKind::send, id, "return" + std::to_string((t + s) % returns),
           s % 2 == 0 ? TapPoint::post_fader : TapPoint::pre_fader);
  }
  canonicalize_edges(g);
  return g;
}

void engine_render(benchmark::State& state) {
  const RouteGraph graph = large_session();
  RenderEngine engine(graph, {rate, block, PanLaw::constant_power_3db}, {"master"});
  for (NodeIndex n = 0; n < graph.nodes.size(); ++n)
    for (int c = 0; c < engine.channel_count(n); ++c)
      if (float* s = engine.source(n, c))
        for (std::size_t i = 0; i < block; ++i)
          s[i] = static_cast<float>((i * 7 + n) % 13) / 13.0f - 0.5f;
  constexpr int blocks_per_iteration = 375;  // one second of audio
  for (auto _ : state) {
    for (int b = 0; b < blocks_per_iteration; ++b) engine.process(block);
    benchmark::DoNotOptimize(engine.output(0, 0)[0]);
  }
  // Seconds of audio rendered per second of CPU: the multiple of real time.
  state.counters["x_realtime"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["nodes"] = static_cast<double>(graph.nodes.size());
  state.counters["edges"] = static_cast<double>(graph.edges.size());
  // Bytes the engine must at least move per second of audio: every edge's source channels are
  // read once into the sum of the input they reach, and every node fed by edges writes its summed
  // input once (stereo float). Divided by the copy bandwidth below, this gives the bound.
  std::size_t summed = 0;
  for (const Node& node : graph.nodes)
    summed += std::any_of(graph.edges.begin(), graph.edges.end(),
                          [&](const Edge& e) { return e.to == node.id; });
  const double per_block =
      static_cast<double>(graph.edges.size() + summed) * 2.0 * block * sizeof(float);
  state.counters["bytes_per_audio_s"] = per_block * rate / block;
  // The same traffic per second of CPU: what the engine moves, to set against copy_bandwidth.
  state.counters["buffer_traffic"] =
      benchmark::Counter(per_block * rate / block * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(engine_render)->Unit(benchmark::kMillisecond);

// The engine's arithmetic alone, as the bound its render is measured against: as many weighted
// sums of 128-frame channels per block as the session has terms (two per stereo edge, 2 640),
// in sums of 32 terms, with no delay lines or bookkeeping. Range: the bytes the sources occupy:
// 32 KB keeps every read in L1; 256 KB is the session's own 256 stereo track sources, each read
// five times per block (its bus and four sends), which no first-level cache holds.
void mix_bound(benchmark::State& state) {
  const auto source_bytes = static_cast<std::size_t>(state.range(0));
  const std::size_t channels = source_bytes / (block * sizeof(float));
  const std::size_t terms = large_session().edges.size() * 2, per_sum = 32;
  // Aligned to 64 bytes, as the engine aligns its channels.
  std::vector<float> storage(channels * block + 16, 0.25f), gains(terms, 0.5f), dst(block);
  const float* sources =
      storage.data() +
      (64 - reinterpret_cast<std::uintptr_t>(storage.data()) % 64) % 64 / sizeof(float);
  std::vector<const float*> reads(terms);
  for (std::size_t t = 0; t < terms; ++t) reads[t] = sources + (t * 37 % channels) * block;
  constexpr int blocks_per_iteration = 375;
  for (auto _ : state) {
    for (int b = 0; b < blocks_per_iteration; ++b)
      for (std::size_t first = 0; first < terms; first += per_sum)
        kernels::weighted_sum(dst.data(), reads.data() + first, gains.data() + first,
                              std::min(per_sum, terms - first), block);
    benchmark::DoNotOptimize(dst[0]);
  }
  state.counters["x_realtime"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(mix_bound)->Arg(32 << 10)->Arg(256 << 10)->Unit(benchmark::kMillisecond);

// Copy bandwidth for a working set like the engine's (fits the caches) and a large one (DRAM).
void copy_bandwidth(benchmark::State& state) {
  const auto bytes = static_cast<std::size_t>(state.range(0));
  std::vector<float> a(bytes / sizeof(float), 1.0f), b(bytes / sizeof(float));
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), bytes);
    benchmark::ClobberMemory();
  }
  // A copy reads and writes every byte.
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(2 * bytes));
}
BENCHMARK(copy_bandwidth)
    ->Arg(1 << 20)
    ->Arg(4 << 20)
    ->Arg(256 << 20)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace routewise

BENCHMARK_MAIN();
