// Real Ardour 7 restarted under a running mirror, and a routing fault found on the live session,
// fixed in Ardour itself and gone after the re-save. Ardour comes from the Debian package `ardour`
// (scripts/install-deps).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <regex>
#include <thread>

#include "../../support/ardour_peer.hpp"
#include "../../support/child_process.hpp"
#include "../../support/live_link.hpp"
#include "../../support/run_cli.hpp"
#include "../../support/temp_dir.hpp"
#include "routewise/sessions/session_import.hpp"

namespace routewise {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::ChildProcess;
using testing::make_session;
using testing::pump_until;
using testing::read_bytes;
using testing::run_cli;
using testing::RunningArdour;

bool log_says(const fs::path& log, const std::string& text) {
  return read_bytes(log).find(text) != std::string::npos;
}

bool wait_for_log(const fs::path& log, const std::string& text, std::chrono::milliseconds limit) {
  return pump_until([] { std::this_thread::sleep_for(20ms); }, [&] { return log_says(log, text); },
                    limit);
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(ArdourLive, RestartedArdourIsResyncedWithinTwoSecondsOfAnsweringAndNothingStoredIsLost) {
  ROUTEWISE_SKIP_WITHOUT_ARDOUR();
  testing::TempDir dir;
  const fs::path session = make_session(dir);
  const fs::path db = dir / "routewise.db", cli_log = dir / "mirror.log";

  auto ardour = std::make_unique<RunningArdour>(dir / "S", dir / "hardour-1.log");
  ASSERT_TRUE(testing::ardour_started(60s)) << read_bytes(dir / "hardour-1.log");
  // The command a user runs, timed by its own output.
  ChildProcess cli({ROUTEWISE_CLI, "mirror", "--dialect", "ardour", "--session", session.string(),
                    "--db", db.string(), "--connect-timeout", "30"},
                   cli_log.string());
  ASSERT_TRUE(wait_for_log(cli_log, "stored snapshot", 20s)) << read_bytes(cli_log);
  EXPECT_TRUE(log_says(cli_log, "connected to 127.0.0.1:3819: 11 strips")) << read_bytes(cli_log);

  ardour.reset();  // hardour and its JACK server gone
  ASSERT_TRUE(wait_for_log(cli_log, "mirror: lost the DAW; reconnecting", 5s))
      << read_bytes(cli_log);
  ardour = std::make_unique<RunningArdour>(dir / "S", dir / "hardour-2.log");
  const auto open = testing::ardour_port_open(60s, [] { std::this_thread::sleep_for(1ms); });
  ASSERT_TRUE(open) << read_bytes(dir / "hardour-2.log");
  ASSERT_TRUE(wait_for_log(cli_log, "11 strips (resynced)", 10s)) << read_bytes(cli_log);
  const auto resynced = Clock::now();
  EXPECT_LT(resynced - *open, 2s)
      << std::chrono::duration_cast<std::chrono::milliseconds>(resynced - *open).count()
      << " ms from Ardour's OSC port opening to the resync";
  std::cout << "resynced "
            << std::chrono::duration_cast<std::chrono::milliseconds>(resynced - *open).count()
            << " ms after Ardour's OSC port opened\n";

  // What was stored before the restart is intact, and the resynced mirror equals it.
  EXPECT_EQ(cli.signal_and_wait(SIGTERM, 10s), 0) << read_bytes(cli_log);
  const std::string log = read_bytes(cli_log);
  EXPECT_TRUE(log_says(cli_log, "(connect)")) << log;
  EXPECT_TRUE(log_says(cli_log, "(resync)")) << log;
  EXPECT_TRUE(log_says(cli_log, "(final)")) << log;
  const auto history = run_cli("history --db " + db.string());
  EXPECT_EQ(history.exit_code, 0) << history.output;
  EXPECT_EQ(count_of(history.output, "mirror"), count_of(log, "stored snapshot")) << history.output;
  std::smatch final_id;
  ASSERT_TRUE(std::regex_search(log, final_id, std::regex(R"(snapshot (\d+) \(final\))"))) << log;
  const auto diff = run_cli("diff --db " + db.string() + " 1 " + final_id[1].str());
  EXPECT_EQ(diff.exit_code, 0) << diff.output;
  EXPECT_NE(diff.output.find("No changes."), std::string::npos)
      << "the resynced mirror differs from the first:\n"
      << diff.output;
}

TEST(ArdourLive, StemBleedOnTheLiveSessionIsGoneAfterTheFixInArdour) {
  ROUTEWISE_SKIP_WITHOUT_ARDOUR();
  testing::TempDir dir;
  const fs::path session = make_session(dir);
  const std::string mirror_args = "mirror --dialect ardour --session " + session.string() +
                                  " --stem 'Drums=Drum Bus' --stem 'Vocals=Vox Bus'" +
                                  " --no-store --connect-timeout 30 --duration 4 --fail-on error";
  {
    RunningArdour ardour(dir / "S", dir / "hardour-1.log");
    ASSERT_TRUE(testing::ardour_started(60s)) << read_bytes(dir / "hardour-1.log");
    const auto faulty = run_cli(mirror_args);
    EXPECT_EQ(faulty.exit_code, 1) << faulty.output;
    // Both returns on the master: every track sent to them leaks around its stem bus.
    EXPECT_EQ(count_of(faulty.output, "[stem-bleed]"), 4u) << faulty.output;
    EXPECT_NE(faulty.output.find("'Lead Vox' belongs to the Vocals stem but feeds 'Plate'"),
              std::string::npos)
        << faulty.output;
    EXPECT_NE(faulty.output.find("send to a return that belongs to the Vocals stem and outputs "
                                 "to 'Vox Bus'"),
              std::string::npos)
        << faulty.output;
  }
  // The fix the finding names, made in Ardour (its Lua interpreter on the session) and saved.
  ASSERT_TRUE(testing::run_lua_on_session(
      dir / "S", fs::path(ROUTEWISE_SOURCE_DIR) / "tests/support/ardour/returns-into-stems.lua",
      dir / "fix.log"))
      << read_bytes(dir / "fix.log");
  ImportResult fixed = import_session_file(session);
  ASSERT_TRUE(fixed.graph);
  {
    RunningArdour ardour(dir / "S", dir / "hardour-2.log");
    ASSERT_TRUE(testing::ardour_started(60s)) << read_bytes(dir / "hardour-2.log");
    const auto clean = run_cli(mirror_args);
    EXPECT_EQ(clean.exit_code, 0) << clean.output;
    EXPECT_EQ(count_of(clean.output, "[stem-bleed]"), 0u) << clean.output;
    // The importer cross-check on the session Ardour re-saved.
    testing::LiveLink mirror(*fixed.graph, DawLinkOptions{});
    ASSERT_TRUE(pump_until([&] { mirror.poll(5ms); },
                           [&] { return mirror.synced() && mirror.complete(); }, 20s));
    EXPECT_EQ(mirror.strips().size(), 11u);
    EXPECT_EQ(testing::strips_differ_from_file(mirror, *fixed.graph), "");
  }
}

}  // namespace routewise
