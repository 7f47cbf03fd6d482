// routewise sim and routewise mirror as processes talking over 127.0.0.1.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include "../support/run_cli.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace {

using routewise::testing::CliRun;
CliRun run(const std::string& args) {
  return routewise::testing::run_cli(args);
}

std::string session() {
  return std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/pop-song-faulty.json";
}

}  // namespace

TEST(CliOsc, MirrorOfTheSimulatorAnalyzesStoresAndReports) {
  const auto db = std::filesystem::temp_directory_path() /
                  ("routewise_mirror_" + std::to_string(::getpid()) + ".db");
  const std::string port = std::to_string(20000 + ::getpid() % 20000);
  std::thread sim([&] {
    run("sim --dialect ardour --session " + session() + " --port " + port + " --duration 4");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const CliRun r = run("mirror --dialect ardour --port " + port + " --session " + session() +
                       " --duration 1.5 --stats --db " + db.string());
  sim.join();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("connected to 127.0.0.1:" + port + ": 36 strips"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("stored snapshot 1 (connect)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("[stem-bleed]"), std::string::npos);
  EXPECT_NE(r.output.find("0 malformed"), std::string::npos);
  const CliRun history = run("history --db " + db.string());
  EXPECT_NE(history.output.find("mirror"), std::string::npos) << history.output;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
}

TEST(CliOsc, NoDawAnsweringIsAClearErrorWithinTheTimeout) {
  const auto start = std::chrono::steady_clock::now();
  const CliRun r = run("mirror --port 9 --connect-timeout 1 --no-store");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("no answer from an Ardour OSC at 127.0.0.1:9 after 1 s"),
            std::string::npos)
      << r.output;
}

TEST(CliOsc, BadAllowListIsAUsageError) {
  EXPECT_EQ(run("sim --session " + session() + " --allow nonsense --duration 0.1").exit_code, 2);
}

TEST(CliOsc, ReaperMirrorOfTheReaperSimulator) {
  const std::string port = std::to_string(20000 + (::getpid() + 7) % 20000);
  const std::string device = std::to_string(20000 + (::getpid() + 11) % 20000);
  std::thread sim([&] {
    run("sim --dialect reaper --session " + session() + " --port " + port + " --device-port " +
        device + " --duration 4");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const CliRun r = run("mirror --dialect reaper --port " + port + " --listen-port " + device +
                       " --session " + session() + " --duration 1.5 --no-store");
  sim.join();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("connected to 127.0.0.1:" + port + ": 36 strips"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("[stem-bleed]"), std::string::npos);
}

TEST(CliOsc, ReaperMirrorWaitsOnThePortsReaperUses) {
  const CliRun r = run("mirror --dialect reaper --listen-port 0 --connect-timeout 0.5 --no-store");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("no answer from a REAPER OSC at 127.0.0.1:8000"), std::string::npos)
      << r.output;
}
