#pragma once
// Real Ardour 7 as a test peer: a session Ardour builds itself (ardour7-lua running the peers'
// Lua script) and headless hardour on it with its OSC surface on UDP 3819, always stopped.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include "jack_server.hpp"
#include "live_link.hpp"
#include "routewise/daw/ardour_osc.hpp"
#include "routewise/daw/osc_endpoint.hpp"
#include "routewise/daw/port_watch.hpp"
#include "temp_dir.hpp"

namespace routewise::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline const fs::path peers = fs::path(ROUTEWISE_SOURCE_DIR) / ".." / "shared" / "peers" / "ardour";

inline bool have_ardour() {
  return std::system(
             "command -v ardour7-lua >/dev/null 2>&1 && command -v jackd >/dev/null 2>&1") == 0;
}

// In a test body: skips, saying why, when the peer is not installed.
#define ROUTEWISE_SKIP_WITHOUT_ARDOUR()                                                          \
  if (!routewise::testing::have_ardour())                                                        \
  GTEST_SKIP() << "the Debian package `ardour` is not installed (scripts/install-deps installs " \
                  "it)"

// Calls `pump` until `done` holds; false when `limit` passed first.
template <typename Pump, typename Done>
bool pump_until(Pump pump, Done done, std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  while (!done()) {
    if (std::chrono::steady_clock::now() - start > limit) return false;
    pump();
  }
  return true;
}

// The mirror's strips against the session file Ardour saved (names, gains, mutes), one line per
// difference; empty when they agree.
inline std::string strips_differ_from_file(const testing::LiveLink& mirror,
                                           const RouteGraph& file) {
  std::string diff;
  for (const auto& entry : mirror.strips()) {
    const LiveStrip& s = entry.second;  // a plain reference: clang 14 cannot capture bindings
    const auto node = std::find_if(file.nodes.begin(), file.nodes.end(),
                                   [&](const Node& n) { return n.id == s.node_id; });
    if (node == file.nodes.end()) {
      diff += "strip " + std::to_string(entry.first) + " '" + s.name + "' has no node\n";
      continue;
    }
    if (node->name != s.name)
      diff += "strip " + std::to_string(entry.first) + ": file '" + node->name + "', OSC '" +
              s.name + "'\n";
    if (std::fabs(node->fader_db - s.gain_db) > 0.01)
      diff += "'" + s.name + "' gain: file " + std::to_string(node->fader_db) + " dB, OSC " +
              std::to_string(s.gain_db) + " dB\n";
    if (node->mute != s.mute)
      diff += "'" + s.name + "' mute: file " + std::to_string(node->mute) + ", OSC " +
              std::to_string(s.mute) + "\n";
  }
  return diff;
}

// Builds the session with Ardour itself (ardour7-lua running the peers' Lua script).
inline fs::path make_session(const TempDir& dir) {
  const std::string cmd = "cd " + dir.path().string() + " && SESSION_DIR=" + (dir / "S").string() +
                          " SESSION_NAME=S timeout 120 ardour7-lua " +
                          (peers / "make-session.lua").string() + " >" +
                          (dir / "lua.log").string() + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << read_bytes(dir / "lua.log");
  return dir / "S" / "S.ardour";
}

// Every process whose command line names `marker` (GNU timeout puts hardour in a process group
// of its own, so killing the script's group does not reach it).
inline void kill_processes_naming(const std::string& marker, int signal) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_bytes(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(marker) != std::string::npos && std::stoi(pid) != ::getpid())
      ::kill(std::stoi(pid), signal);
  }
}

// start-osc enables OSC in the form a new session has; a session Ardour saved again carries more
// attributes on the line (session-state="1"), so it is switched on here in any form.
inline void enable_osc(const fs::path& session_file) {
  const std::string text = read_bytes(session_file);
  const std::string on = R"x(<Protocol name="Open Sound Control (OSC)" active="1"/>)x";
  const std::string enabled = std::regex_replace(
      text, std::regex(R"x(<Protocol name="Open Sound Control \(OSC\)"[^>]*/>)x"), on);
  if (enabled != text) std::ofstream(session_file, std::ios::binary) << enabled;
}

// hardour in its own process group, always stopped (with its dummy JACK server) at the end.
class RunningArdour {
 public:
  // `jack_started_by_caller`: the caller runs the default JACK server (start-osc then uses it and
  // starts none of its own), and keeps it running until this Ardour is gone.
  RunningArdour(const fs::path& session_dir, const fs::path& log,
                bool jack_started_by_caller = false)
      : session_dir_(session_dir), log_(log), jack_started_by_caller_(jack_started_by_caller) {
    enable_osc(session_dir / "S.ardour");
    // A JACK server still shutting down from the previous test would take this Ardour with it.
    for (int i = 0; i < 100 && !jack_started_by_caller_ && JackServer::other_jackd_running(); ++i)
      std::this_thread::sleep_for(50ms);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const std::string out = log.string();
      if (!freopen(out.c_str(), "w", stdout) || ::dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
        _exit(126);
      const std::string script = (peers / "start-osc").string();
      execl("/bin/bash", "bash", script.c_str(), session_dir.c_str(), "S", "120",
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  // Only hardour and start-osc name the session as "DIR S": a routewise process naming the session
  // file (DIR/S.ardour) stays.
  ~RunningArdour() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);
    kill_processes_naming(session_dir_.string() + " S", SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) break;
      std::this_thread::sleep_for(100ms);
    }
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, WNOHANG);
    kill_processes_naming(session_dir_.string() + " S", SIGKILL);
    if (jack_started_by_caller_) return;
    // The JACK server start-osc started (no -n: the default one) goes too, and is waited for: the
    // next test's Ardour must not find it half shut down.
    kill_processes_naming("jackd --no-realtime -d dummy", SIGTERM);
    for (int i = 0; i < 100 && JackServer::other_jackd_running(); ++i)
      std::this_thread::sleep_for(50ms);
  }
  RunningArdour(const RunningArdour&) = delete;
  RunningArdour& operator=(const RunningArdour&) = delete;

  // Ardour 7.3's JACK backend sends server requests from two threads at once while a session
  // loads; jackd2 reads them interleaved ("JackRequest::SetTimebaseCallback CheckSize error" and a
  // run of "Unknown request N" in jackd -v's log) and drops hardour. OSC still answers and gains
  // still apply, but nothing Ardour's process thread does happens: solo and mute (queued for it)
  // are ignored, meters stop. Ardour 8.0 serialises those calls (commit 3c857a78c6).
  bool lost_jack() const {
    return read_bytes(log_).find("JACK server has been closed") != std::string::npos;
  }
  const fs::path& log() const { return log_; }

 private:
  pid_t pid_ = -1;
  fs::path session_dir_, log_;
  bool jack_started_by_caller_ = false;
};

// Runs `script` (a Lua file) in Ardour itself on the saved session S in `session_dir`; Ardour
// saves the session again.
inline bool run_lua_on_session(const fs::path& session_dir, const fs::path& script,
                               const fs::path& log) {
  const std::string cmd = "SESSION_DIR=" + session_dir.string() +
                          " SESSION_NAME=S timeout 120 ardour7-lua " + script.string() + " >" +
                          log.string() + " 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// When Ardour's OSC port was first open, told the way the mirror tells it (PortWatch: an empty
// datagram draws "port unreachable" while nothing listens, and sets nothing up in Ardour; an OSC
// set-up as the port opens crashed Ardour 7.3, see docs/simulator-fidelity.md). Asked every 10 ms,
// `pump` runs in between.
template <typename Pump>
std::optional<std::chrono::steady_clock::time_point> ardour_port_open(
    std::chrono::milliseconds limit, Pump pump) {
  PortWatch watch(make_peer("127.0.0.1", ardour::default_port));
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    watch.tick(std::chrono::steady_clock::now());
    if (const auto open = watch.open_since()) return open;
    const auto next = std::chrono::steady_clock::now() + 10ms;
    while (std::chrono::steady_clock::now() < next) pump();
  }
  return std::nullopt;
}

// Ardour's OSC port open and a second gone by: a client set up as the port opened crashed Ardour
// 7.3 in 3 of 4 tries (the mirror waits the same when it sees the port open; a process started
// now would not know it just opened).
inline bool ardour_started(std::chrono::milliseconds limit) {
  if (!ardour_port_open(limit, [] { std::this_thread::sleep_for(1ms); })) return false;
  std::this_thread::sleep_for(DawLinkOptions{}.daw_start_grace);
  return true;
}

// hardour on the session with its OSC port open (and a second gone by), started again while it
// lost its JACK server starting up (see RunningArdour::lost_jack: 2 runs in 9 here); its logs are
// LOG_STEM-1.log, LOG_STEM-2.log, ... Null, having said why, when no start in `attempts` did.
inline std::unique_ptr<RunningArdour> start_ardour_keeping_jack(const fs::path& session_dir,
                                                                const fs::path& log_stem,
                                                                int attempts = 4) {
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    const fs::path log = log_stem.string() + "-" + std::to_string(attempt) + ".log";
    auto ardour = std::make_unique<RunningArdour>(session_dir, log);
    if (!ardour_started(60s)) {
      std::cerr << "Ardour's OSC port never opened: " << read_bytes(log) << '\n';
      return nullptr;
    }
    if (!ardour->lost_jack()) return ardour;
    std::cerr << "attempt " << attempt << ": hardour lost its JACK server starting up\n";
  }
  std::cerr << "hardour lost its JACK server in " << attempts << " starts of " << attempts << '\n';
  return nullptr;
}

}  // namespace routewise::testing
