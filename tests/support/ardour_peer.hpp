#pragma once
// Real Ardour 7 as a test peer: a session Ardour builds itself (ardour7-lua running the peers'
// Lua script) and headless hardour on it with its OSC surface on UDP 3819, always stopped.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "jack_server.hpp"
#include "temp_dir.hpp"

namespace routewise::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline const fs::path peers = fs::path(ROUTEWISE_SOURCE_DIR) / ".." / "shared" / "peers" / "ardour";

inline bool have_ardour() {
  return std::system(
             "command -v ardour7-lua >/dev/null 2>&1 && command -v jackd >/dev/null 2>&1") == 0;
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

// hardour in its own process group, always stopped (with its dummy JACK server) at the end.
class RunningArdour {
 public:
  RunningArdour(const fs::path& session_dir, const fs::path& log) : session_dir_(session_dir) {
    // A JACK server still shutting down from the previous test would take this Ardour with it.
    for (int i = 0; i < 100 && JackServer::other_jackd_running(); ++i)
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
  ~RunningArdour() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);
    kill_processes_naming(session_dir_.string(), SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) break;
      std::this_thread::sleep_for(100ms);
    }
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, WNOHANG);
    kill_processes_naming(session_dir_.string(), SIGKILL);
    // The JACK server start-osc started (no -n: the default one) goes too, and is waited for: the
    // next test's Ardour must not find it half shut down.
    kill_processes_naming("jackd --no-realtime -d dummy", SIGTERM);
    for (int i = 0; i < 100 && JackServer::other_jackd_running(); ++i)
      std::this_thread::sleep_for(50ms);
  }
  RunningArdour(const RunningArdour&) = delete;
  RunningArdour& operator=(const RunningArdour&) = delete;

 private:
  pid_t pid_ = -1;
  fs::path session_dir_;
};

}  // namespace routewise::testing
