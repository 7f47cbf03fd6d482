// routewise sim and routewise mirror as processes talking over 127.0.0.1.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../support/child_process.hpp"
#include "../support/mirror_rig.hpp"
#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"
#include "routewise/store/store.hpp"

#include <algorithm>
#include <array>
#include <atomic>
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

// A UDP port on 127.0.0.1 that is free now, as the kernel hands them out (a port made up from
// the process id once landed on one a parallel test's socket already held).
std::string free_udp_port() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    ADD_FAILURE() << "no UDP socket on 127.0.0.1";
  if (fd >= 0) ::close(fd);
  return std::to_string(ntohs(address.sin_port));
}

}  // namespace

TEST(CliOsc, MirrorOfTheSimulatorAnalyzesStoresAndReports) {
  const auto db = std::filesystem::temp_directory_path() /
                  ("routewise_mirror_" + std::to_string(::getpid()) + ".db");
  const std::string port = free_udp_port();
  std::thread sim([&] {
    run("sim --dialect ardour --session " + session() + " --port " + port + " --duration 7");
  });
  // A simulator that opens its port after the mirror started gets the mirror's 1 s start grace:
  // the mirror runs long enough for that even on a busy machine (a 3 s mirror once ended with no
  // answer under `ctest -j2` beside the GUI tests), and the simulator outlives it.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const CliRun r = run("mirror --dialect ardour --port " + port + " --session " + session() +
                       " --duration 5 --stats --db " + db.string());
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
                       " --session " + session() + " --duration 3 --no-store");
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

// SIGTERM while the mirror runs (and has just seen a rename it will store): it finishes what it is
// writing, stores the final snapshot with the rename, exits 0, and the database is intact.
TEST(CliOsc, SigtermStoresTheFinalSnapshotAndExitsCleanly) {
  using namespace std::chrono_literals;
  routewise::testing::TempDir dir;
  routewise::DawSimulator sim(routewise::testing::session_with(6),
                              routewise::testing::Rig::sim_options(0));
  const auto db = dir / "rw.db";
  const auto log = dir / "mirror.log";
  routewise::testing::ChildProcess mirror(
      {ROUTEWISE_CLI, "mirror", "--port", std::to_string(sim.port()), "--db", db.string()},
      log.string());
  const auto serve_until = [&](auto done, std::chrono::milliseconds limit) {
    const auto start = std::chrono::steady_clock::now();
    while (!done() && std::chrono::steady_clock::now() - start < limit) sim.poll(5ms);
    return done();
  };
  ASSERT_TRUE(serve_until(
      [&] { return routewise::testing::read_bytes(log).find("connected to") != std::string::npos; },
      5s))
      << routewise::testing::read_bytes(log);
  sim.rename(2, "Renamed In The DAW");
  serve_until([] { return false; }, 300ms);
  // The simulator keeps answering in a thread while the mirror shuts down.
  std::atomic<bool> stop{false};
  std::thread serving([&] {
    while (!stop) sim.poll(5ms);
  });
  const int code = mirror.signal_and_wait(SIGTERM, 10s);
  stop = true;
  serving.join();
  const std::string said = routewise::testing::read_bytes(log);
  EXPECT_EQ(code, 0) << said;
  routewise::Store store(db);
  EXPECT_TRUE(store.integrity_check().empty());
  const auto history = store.history();
  ASSERT_GE(history.size(), 2u) << said;
  EXPECT_EQ(history.front().label, "final");  // the rename came 0.3 s before: inside the debounce
  const auto last = store.snapshot_graph(history.front().id);
  ASSERT_TRUE(last);
  EXPECT_TRUE(std::any_of(last->nodes.begin(), last->nodes.end(),
                          [](const routewise::Node& n) { return n.name == "Renamed In The DAW"; }));
}
