// Peak memory of the readers as a user meets it: `routewise validate` on large dense inputs,
// measured as the child's maximum resident set (bench/memory-per-byte has the full table).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

namespace routewise {
namespace {

using testing::run_cli;

constexpr std::size_t input_bytes = 30'000'000;

// The largest resident set of any child this test process has waited for, in bytes.
std::size_t children_peak_bytes() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;
}

bool sanitized() {
  // The sanitizer build's shadow memory and quarantine multiply every figure: no bound holds.
  return std::getenv("ASAN_OPTIONS") != nullptr || std::getenv("TSAN_OPTIONS") != nullptr;
}

// Routing only, no padding: the most structure per byte a route map can carry.
std::string dense_route_map() {
  std::string out = R"({"format": "routewise-route-map", "version": 1, "session": {"name": "big", )"
                    R"("sample_rate_hz": 48000}, "nodes": [)"
                    R"({"id": "m", "name": "Master", "kind": "master", "channels": 2},)"
                    R"({"id": "r", "name": "Verb", "kind": "aux-return", "channels": 2, )"
                    R"("outputs": [{"target": "m"}]})";
  for (int i = 0; out.size() < input_bytes; ++i)
    out += ",\n{\"id\": \"t" + std::to_string(i) + "\", \"name\": \"Track " + std::to_string(i) +
           R"(", "kind": "track", "channels": 2, "fader_db": -3.5, "outputs": [{"target": "m"}], )"
           R"("sends": [{"target": "r", "level_db": -12, "tap": "post-fader"}]})";
  return out + "]}\n";
}

// Empty tracks as REAPER 6-7 writes them (the lines of the real projects in ../shared/fixtures),
// each with a receive: the most routing per byte a real project carries.
std::string dense_rpp() {
  std::string out = "<REAPER_PROJECT 0.1 \"7.42/linux-x86_64\" 1\n  SAMPLERATE 48000 0 0\n";
  for (int t = 0; out.size() < input_bytes; ++t) {
    const std::string guid = "{8F33A645-3DF2-48FA-99BC-" + std::to_string(100000000000 + t) + "}";
    out += "  <TRACK " + guid + "\n    NAME \"Track " + std::to_string(t) +
           "\"\n    PEAKCOL 16576\n    BEAT -1\n    AUTOMODE 0\n    VOLPAN 1 0 -1 -1 1\n"
           "    MUTESOLO 0 0 0\n    IPHASE 0\n    PLAYOFFS 0 1\n    ISBUS 0 0\n"
           "    BUSCOMP 0 0 0 0 0\n    SHOWINMIX 1 0.6667 0.5 1 0.5 0 0 0\n    SEL 0\n"
           "    REC 0 0 1 0 0 0 0 0\n    VU 2\n    TRACKHEIGHT 0 0 0 0 0 0 0\n"
           "    INQ 0 0 0 0.5 100 0 0 100\n    NCHAN 2\n    FX 1\n    TRACKID " +
           guid + "\n    PERF 0\n    MIDIOUT -1\n    MAINSEND 1 0\n";
    if (t > 0) out += "    AUXRECV " + std::to_string(t - 1) + " 0 0.5 0 0 0 0 0 0 -1:U 0 -1 ''\n";
    out += "  >\n";
  }
  return out + ">\n";
}

void expect_within_ten_times(const std::string& name, const std::string& text) {
  if (sanitized()) GTEST_SKIP() << "memory bounds are not measured under a sanitizer";
  testing::TempDir dir;
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  const auto run = run_cli("validate " + path);
  ASSERT_EQ(run.exit_code, 0) << run.output.substr(0, 2000);
  EXPECT_NE(run.output.find("valid route map"), std::string::npos) << run.output.substr(0, 2000);
  EXPECT_LE(children_peak_bytes(), 10 * text.size())
      << name << ": peak " << children_peak_bytes() / 1000000 << " MB for " << text.size() / 1000000
      << " MB of input";
}

TEST(CliMemory, ADenseThirtyMegabyteRouteMapStaysWithinTenTimesItsSize) {
  expect_within_ten_times("big.json", dense_route_map());
}

TEST(CliMemory, AThirtyMegabyteReaperProjectOfEmptyTracksStaysWithinTenTimesItsSize) {
  expect_within_ten_times("big.rpp", dense_rpp());
}

TEST(CliMemory, AFileOverTheLimitIsRefusedByNameBeforeItIsRead) {
  testing::TempDir dir;
  const std::string path = (dir / "huge.rpp").string();
  std::ofstream(path) << "<REAPER_PROJECT 0.1\n";
  std::filesystem::resize_file(path, std::size_t{101} << 20);  // sparse: nothing is written
  const auto run = run_cli("validate " + path);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find(path + ": file is 101 MB, more than the 100 MB limit"),
            std::string::npos)
      << run.output;
  if (!sanitized()) {
    EXPECT_LT(children_peak_bytes(), std::size_t{64} << 20);
  }
}

}  // namespace
}  // namespace routewise
