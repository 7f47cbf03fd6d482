// `routewise surface`, `surface-sim`, `surface learn`, `surface mappings` and `surface list` as a
// user runs them, on a dummy JACK server of the test's own, against `routewise sim` over OSC.
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <memory>
#include <thread>

#include "../support/child_process.hpp"
#include "../support/jack_server.hpp"
#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"
#include "routewise/surfaces/midi_port.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::run_cli;

std::string session() {
  return std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/pop-song-faulty.json";
}

class CliSurface : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::JackServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->ready()) << "jackd did not start: " << testing::read_bytes(server_->log());
  }
  std::unique_ptr<ChildProcess> start(const std::string& args, const std::string& log) {
    std::vector<std::string> argv{ROUTEWISE_CLI};
    std::string word;
    for (char c : args + " ") {
      if (c != ' ') {
        word.push_back(c);
      } else if (!word.empty()) {
        argv.push_back(word);
        word.clear();
      }
    }
    return std::make_unique<ChildProcess>(argv, (dir_ / log).string());
  }
  std::string log(const std::string& name) { return testing::read_bytes(dir_ / name); }
  static testing::JackServer* server_;
  testing::TempDir dir_;
};
testing::JackServer* CliSurface::server_ = nullptr;

TEST_F(CliSurface, SurfaceDrivesTheSoftwareMcuAndExtenderFromTheSimulatedDaw) {
  const std::string port = std::to_string(20000 + (::getpid() + 13) % 20000);
  auto daw = start("sim --session " + session() + " --port " + port + " --duration 12", "sim.log");
  auto units = start("surface-sim --extenders 1 --name rw-cli-sim --duration 12", "units.log");
  std::this_thread::sleep_for(500ms);
  const auto list = run_cli("surface list");
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("rw-cli-sim"), std::string::npos) << list.output;
  const auto r =
      run_cli("surface --mcu 'rw-cli-sim.*mcu-1 ' --extender 'rw-cli-sim.*mcu-2 ' --port " + port +
              " --session " + session() + " --duration 3");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("unit 1 online"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unit 2 online"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mirroring 127.0.0.1:" + port + " (36 strips)"), std::string::npos)
      << r.output;
  units->stop();
  const std::string lcd = log("units.log");
  // The session's first 16 strips, abbreviated, on the two units' upper rows.
  EXPECT_NE(lcd.find("unit 1 |KickIn KickOt SnarTp SnrBtt Hi-Hat Tom 1  Tom 2  FlorTm |"),
            std::string::npos)
      << lcd;
  EXPECT_NE(lcd.find("unit 2 |Ovrhds RomMcs BassDI BssAmp Piano  Rhodes SynthP GtrRhL |"),
            std::string::npos)
      << lcd;
}

TEST_F(CliSurface, LearnSavesTheMovedControlAndMappingsListsAndExportsIt) {
  const std::string db = (dir_ / "rw.db").string();
  auto learn = start(
      "surface learn --midi nanoctl --strip Kick --parameter fader --profile nano "
      "--db " +
          db + " --timeout 10",
      "learn.log");
  VirtualMidiDuplex controller(MidiApi::jack, "rw-controller", "nanoctl");
  // Someone moves a 14-bit fader until the learner has it.
  for (int i = 0; i < 200 && learn->running(); ++i) {
    controller.send({0xB0, 0x07, static_cast<std::uint8_t>(40 + i % 20)});
    controller.send({0xB0, 0x27, static_cast<std::uint8_t>(i % 128)});
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_FALSE(learn->running());
  const std::string said = log("learn.log");
  EXPECT_NE(said.find("saved cc14:1:7 -> 'Kick' fader (profile 'nano', soft takeover)"),
            std::string::npos)
      << said;
  const auto listed = run_cli("surface mappings --db " + db);
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.output.find("nano         cc14:1:7       Kick"), std::string::npos)
      << listed.output;
  const auto as_json = run_cli("surface mappings --json --db " + db);
  EXPECT_NE(as_json.output.find("\"parameter\": \"fader\""), std::string::npos) << as_json.output;
  const auto exported = run_cli("db export --db " + db);
  EXPECT_NE(exported.output.find("\"surface_mappings\""), std::string::npos);
  EXPECT_NE(exported.output.find("\"cc14:1:7\""), std::string::npos);
  EXPECT_EQ(run_cli("surface mappings --profile nano --remove cc14:1:7 --db " + db).exit_code, 0);
  EXPECT_EQ(run_cli("surface mappings --profile nano --remove cc14:1:7 --db " + db).exit_code, 2);
}

TEST_F(CliSurface, MistakesAreClearErrors) {
  auto r = run_cli("surface --port 9 --duration 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--mcu PATTERN is required"), std::string::npos) << r.output;
  r = run_cli("surface --mcu '([' --port 9 --duration 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not a valid regular expression"), std::string::npos) << r.output;
  r = run_cli("surface learn --midi nothing-like-this --db " + (dir_ / "x.db").string() +
              " --timeout 1 --strip Kick --parameter fader");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("no MIDI source matches 'nothing-like-this'"), std::string::npos)
      << r.output;
  r = run_cli("surface generic --midi x --profile none --db " + (dir_ / "x.db").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("no mappings in profile 'none'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace routewise
