// Session importers: every fixture (MB/s) and a generated 10 MB REAPER project (target < 0.5 s).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "routewise/sessions/session_import.hpp"

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void import_file(benchmark::State& state, fs::path path) {
  const std::string bytes = read(path);
  std::size_t nodes = 0;
  for (auto _ : state) {
    const auto r = routewise::import_session_file(path);
    nodes = r.graph ? r.graph->nodes.size() : 0;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.counters["nodes"] = static_cast<double>(nodes);
}

// 10 MB of REAPER project: 1 500 tracks in folders with receives, hardware outputs and FX chains
// whose state lines make up most of the bytes, as in real projects.
std::string big_rpp(std::size_t target_bytes) {
  std::string out =
      "<REAPER_PROJECT 0.1 \"7.42/linux-x86_64\" 1\n  SAMPLERATE 48000 0 0\n  TEMPO 120 4 4\n";
  const std::string state_line(76, 'A');
  for (int t = 0; out.size() < target_bytes; ++t) {
    out += "  <TRACK {00000000-0000-0000-0000-" + std::to_string(100000000000 + t) + "}\n";
    out += "    NAME \"Track " + std::to_string(t) +
           "\"\n    VOLPAN 0.5 0 -1 -1 1\n    MUTESOLO 0 0 0\n";
    out += t % 16 == 0 ? "    ISBUS 1 1\n" : t % 16 == 15 ? "    ISBUS 2 -1\n" : "    ISBUS 0 0\n";
    out += "    NCHAN 2\n    MAINSEND 1 0\n";
    if (t > 0 && t % 3 == 0)
      out += "    AUXRECV " + std::to_string(t - 1) + " 0 0.5 0 0 0 0 0 0 -1:U 0 -1 ''\n";
    if (t % 50 == 0) out += "    HWOUT 2 0 1 0 0 0 0 -1:U -1\n";
    out +=
        "    <FXCHAIN\n      BYPASS 0 0 0\n      <VST \"VST: ReaComp (Cockos)\" reacomp.dll 0 \"\" "
        "1919247213\n";
    for (int l = 0; l < 80; ++l) out += "        " + state_line + "\n";
    out += "      >\n    >\n  >\n";
  }
  return out + ">\n";
}

void import_10mb_rpp(benchmark::State& state) {
  const std::string rpp = big_rpp(10u * 1024 * 1024);
  std::size_t nodes = 0;
  for (auto _ : state) nodes = routewise::import_rpp(rpp, "big").graph->nodes.size();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * rpp.size()));
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["MB"] = static_cast<double>(rpp.size()) / (1024.0 * 1024.0);
}
BENCHMARK(import_10mb_rpp)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  for (const auto& folder : {"reaper", "ardour", "dawproject"})
    for (const auto& entry : fs::directory_iterator(fs::path(ROUTEWISE_FIXTURES_DIR) / folder)) {
      if (entry.path().filename().string().find("legacy") != std::string::npos) continue;
      benchmark::RegisterBenchmark(("import/" + entry.path().filename().string()).c_str(),
                                   import_file, entry.path())
          ->Unit(benchmark::kMillisecond);
    }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
