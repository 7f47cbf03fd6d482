// libFuzzer target: any route map the loader accepts either renders — blocks of several sizes,
// shorter calls among them, under the sanitizers — or is refused by name (std::invalid_argument:
// a feedback loop, a latency beyond what a delay line holds). What the render schedule does with
// odd graphs (no master, mono into stereo, sidechains to missing slots, delays of every kind and
// length, nodes that are only sources or only sinks) is exercised here.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "routewise/audio/render_engine.hpp"
#include "routewise/model/route_map_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace routewise;
  const auto load = parse_route_map(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!load.graph) return 0;
  // Delay lines hold their whole latency (the engine refuses over 1 GB of them by name): keep each
  // input far below that, so that the fuzzer stays fast.
  double latency_samples = 0.0;
  for (const Node& n : load.graph->nodes)
    for (const Plugin& p : n.plugins) latency_samples += p.latency_samples;
  for (const Edge& e : load.graph->edges) latency_samples += e.latency_samples.value_or(0.0);
  if (latency_samples > 100000.0 || load.graph->nodes.size() > 2000) return 0;
  const std::size_t blocks[] = {32, 128, 4096};
  EngineSettings settings;
  settings.block_frames = blocks[size % 3];
  try {
    RenderEngine engine(*load.graph, settings);
    const std::size_t block = settings.block_frames;
    float listened = 0.0f;
    for (const std::size_t frames : {block, block / 2 + 1, std::size_t{1}, block}) {
      for (NodeIndex n = 0; n < load.graph->nodes.size(); ++n)
        for (int c = 0; c < engine.channel_count(n); ++c)
          if (float* s = engine.source(n, c))
            for (std::size_t i = 0; i < frames; ++i) s[i] = i % 7 == 0 ? 0.5f : -0.01f;
      engine.process(frames);
      for (NodeIndex n = 0; n < load.graph->nodes.size(); ++n)
        for (int c = 0; c < engine.channel_count(n); ++c)
          listened += *std::max_element(engine.output(n, c), engine.output(n, c) + frames);
    }
    if (listened == 12345.0f) return 1;  // the outputs are read, so the sanitizers see them
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
