// The CLI on a bad day (issue #25): full disks, a file-size limit, a broken default database,
// values no studio has, and a measurement that belongs to another session.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <vector>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

namespace routewise {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::run_command;

const std::string sessions = std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/";
const std::string fixtures = std::string(ROUTEWISE_FIXTURES_DIR) + "/";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(CliHardening, AFullStandardOutputIsExitTwoWithTheReason) {
  for (const std::string& args :
       std::vector<std::string>{"analyze " + sessions + "pop-song-clean.json",
                                "show " + sessions + "pop-song-clean.json",
                                "import " + sessions + "pop-song-clean.json"}) {
    // Grouped, so that only the standard output goes to the full device and the error is heard.
    const auto run =
        run_command("{ " + std::string(ROUTEWISE_CLI) + " " + args + " > /dev/full; }");
    EXPECT_EQ(run.exit_code, 2) << args << "\n" << run.output;
    // The reason is the system's where the write that failed was ours ("No space left on
    // device"); where the C library's buffer failed first it is gone, and it says so.
    EXPECT_TRUE(std::regex_search(run.output,
                                  std::regex("standard output: cannot be written: (No space left "
                                             "on device|the write failed)")))
        << args << "\n"
        << run.output;
  }
}

TEST(CliHardening, AWriteThatFailsHalfwayLeavesTheOldFileAndNoPartOfTheNewOne) {
  testing::TempDir dir;
  const fs::path out = dir / "map.json";
  std::ofstream(out) << "the old backup\n";
  // A 2 KiB file-size limit (SIGXFSZ ignored, so the write fails with EFBIG as on a full disk).
  const auto run =
      run_command("cd " + dir.path().string() + " && trap '' XFSZ && ulimit -f 2 && " +
                  ROUTEWISE_CLI + " import " + sessions + "pop-song-clean.json -o " + out.string());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find(out.string() + ": cannot be written: File too large"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(read(out), "the old backup\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u) << "a temporary file was left behind";
  // Without the limit the same command replaces the file whole.
  ASSERT_EQ(run_cli("import " + sessions + "pop-song-clean.json -o " + out.string()).exit_code, 0);
  EXPECT_TRUE(nlohmann::json::accept(read(out)));
}

TEST(CliHardening, ABrokenDefaultDatabaseIsANoteAndTheAnalysisGoesOn) {
  testing::TempDir dir;
  const fs::path db = dir / "routewise.db";
  std::ofstream(db) << "this is no database";
  const auto run =
      run_cli("analyze " + sessions + "pop-song-clean.json", "ROUTEWISE_DB=" + db.string() + " ");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("note: measured latencies not used: " + db.string() +
                            ": not a Routewise database"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(read(db), "this is no database");
  // Named with --db, the same database is an error: the user asked for it.
  EXPECT_EQ(
      run_cli("analyze --db " + db.string() + " " + sessions + "pop-song-clean.json").exit_code, 2);
}

TEST(CliHardening, AMeasurementIsUsedForItsOwnSessionOnlyNeverByAnEmptyName) {
  testing::TempDir dir;
  auto map = nlohmann::json::parse(read(sessions + "pop-song-faulty.json"));
  map["session"]["name"] = "";
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  std::ofstream(a) << map.dump();
  std::ofstream(b) << map.dump();
  const std::string db = " --db " + (dir / "t.db").string() + " ";
  ASSERT_EQ(run_cli("snapshot" + db + a).exit_code, 0);
  ASSERT_EQ(run_cli("latency add 'mix_bus>ssl_comp' --samples 400 --session 1" + db).exit_code, 0);
  const std::string used = "'SSL G-Comp' round trip: measured 400.000 samples";
  EXPECT_NE(run_cli("analyze" + db + a).output.find(used), std::string::npos);
  // Another file with the same (empty) name is another session.
  const auto other = run_cli("analyze" + db + b);
  EXPECT_EQ(other.output.find(used), std::string::npos) << other.output;
  EXPECT_EQ(other.output.find("400 samples"), std::string::npos) << other.output;
}

// Every importer applies the route map's own ranges and names the field.
TEST(CliHardening, ImportedValuesNoRouteMapHoldsAreInputErrorsNamingTheField) {
  testing::TempDir dir;
  std::string ardour = read(fixtures + "ardour/ardour7.3-demo-buses-aux-sends-generated.ardour");
  const auto kick = ardour.find("name=\"gaincontrol\"", ardour.find("name=\"Kick\""));
  ASSERT_NE(kick, std::string::npos);
  const auto value = ardour.find("value=\"", kick) + 7;
  ardour.replace(value, ardour.find('"', value) - value, "nan");
  std::ofstream(dir / "nan.ardour") << ardour;
  auto run = run_cli("analyze " + (dir / "nan.ardour").string());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("nan.ardour: nodes[1].fader_db: the session holds a value Routewise "
                            "cannot take: 'Kick': nan dB is out of range"),
            std::string::npos)
      << run.output;

  const std::string rpp =
      std::regex_replace(read(fixtures + "reaper/perlence-folder-sends-hwout-vst-r5.50.rpp"),
                         std::regex("MASTER_VOLUME [^\n]*"), "MASTER_VOLUME 1e308 0 -1 -1 1",
                         std::regex_constants::format_first_only);
  std::ofstream(dir / "loud.rpp") << rpp;
  run = run_cli("render " + (dir / "loud.rpp").string() + " --seconds 1 --out " +
                (dir / "r").string());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("'Master': 6160 dB is out of range"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(dir / "r" / "mix.wav"));

  std::ofstream(dir / "latency.json") << R"({"format": "routewise-route-map", "version": 1,
    "session": {"name": "l", "sample_rate_hz": 48000},
    "nodes": [{"id": "t", "name": "T", "kind": "track", "channels": 1,
               "plugins": [{"name": "Comp", "latency_samples": -64}], "outputs": [{"target": "m"}]},
              {"id": "m", "name": "Master", "kind": "master", "channels": 2}]})";
  run = run_cli("render " + (dir / "latency.json").string() + " --seconds 1 --out " +
                (dir / "r").string());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("nodes[0].plugins[0].latency_samples"), std::string::npos)
      << run.output;
}

// 40 buses each sending to every later one: 820 edges in 50 KB, which dot's left-to-right layout
// does not finish in minutes. The layout is bounded and the drawing still comes, with a note.
TEST(CliHardening, ADenseGraphIsDrawnInBoundedTimeWithANote) {
  testing::TempDir dir;
  nlohmann::json nodes = nlohmann::json::array();
  nodes.push_back({{"id", "m"}, {"name", "Master"}, {"kind", "master"}, {"channels", 2}});
  for (int i = 0; i < 40; ++i) {
    nlohmann::json sends = nlohmann::json::array();
    for (int j = i + 1; j < 40; ++j)
      sends.push_back({{"target", "b" + std::to_string(j)}, {"level_db", -10}});
    nodes.push_back({{"id", "b" + std::to_string(i)},
                     {"name", "Bus " + std::to_string(i)},
                     {"kind", "bus"},
                     {"channels", 2},
                     {"outputs", {{{"target", "m"}}}},
                     {"sends", sends}});
  }
  const std::string map = (dir / "dense.json").string();
  std::ofstream(map) << nlohmann::json{
      {"format", "routewise-route-map"},
      {"version", 1},
      {"session", {{"name", "dense"}, {"sample_rate_hz", 48000}}},
      {"nodes", nodes}}.dump();
  const auto start = std::chrono::steady_clock::now();
  const auto run = run_cli("graph " + map + " --format svg -o " + (dir / "dense.svg").string());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("the left-to-right layout did not finish"), std::string::npos)
      << run.output;
  const std::string svg = read(dir / "dense.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("Bus 39"), std::string::npos);
}

}  // namespace
}  // namespace routewise
