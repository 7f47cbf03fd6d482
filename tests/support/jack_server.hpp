#pragma once
// A JACK dummy server of this test's own (`jackd -n NAME --no-realtime -d dummy`), so a test never
// meets another program's ports. (Tests using it run serially: see tests/app/CMakeLists.txt.) Every
// JACK client this process starts afterwards (the CLI, jack_delay, test clients) finds it through
// JACK_DEFAULT_SERVER.

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "child_process.hpp"

namespace routewise::testing {

struct JackServerOptions {
  int rate_hz = 48000;
  int period_frames = 256;
  // Empty: a name of this process's own; "default": the server every JACK client finds unasked.
  std::string name;
  bool verbose = false;  // jackd -v: its log, and its clients', say what each request did
};

class JackServer {
 public:
  explicit JackServer(int rate_hz = 48000, int period_frames = 256)
      : JackServer(JackServerOptions{rate_hz, period_frames, {}, false}) {}
  explicit JackServer(JackServerOptions options)
      : name_(!options.name.empty()
                  ? std::move(options.name)
                  : "routewise_test_" + std::to_string(::getpid()) + "_" +
                        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() %
                                       1000000)),
        log_("/tmp/" + name_ + "_jackd.log") {
    // A server still shutting down (the previous test's) shares JACK2's registry with a new one
    // and can take the new one's clients down with it: wait until it is gone.
    for (int i = 0; i < 40 && other_jackd_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ::setenv("JACK_DEFAULT_SERVER", name_.c_str(), 1);
    ::setenv("JACK_NO_AUDIO_RESERVATION", "1", 1);
    // -t: a generous client timeout, so a client that a loaded CI machine schedules late is not
    // thrown out of the graph (jackd zombifies clients that miss it).
    std::vector<std::string> command{"jackd", "-n", name_, "-t", "10000"};
    if (options.verbose) command.emplace_back("-v");
    command.insert(command.end(),
                   {"--no-realtime", "-d", "dummy", "-r", std::to_string(options.rate_hz), "-p",
                    std::to_string(options.period_frames)});
    process_ = std::make_unique<ChildProcess>(command, log_);
    // Ready when our own jackd is up and answering (not some other server of the same name).
    for (int i = 0; i < 100 && !ready_ && process_->running(); ++i) {
      ready_ = std::system("jack_lsp >/dev/null 2>&1") == 0 && process_->running();
      if (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  bool ready() const { return ready_; }

  static bool other_jackd_running() {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      const std::string pid = entry.path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      // "PID (jackd) S ...": a live jackd; a zombie (Z) is already gone.
      std::ifstream stat(entry.path() / "stat");
      std::string id, name, state;
      if (stat >> id >> name >> state && name == "(jackd)" && state != "Z") return true;
    }
    return false;
  }
  const std::string& log() const { return log_; }

 private:
  std::string name_, log_;
  std::unique_ptr<ChildProcess> process_;
  bool ready_ = false;
};

// The last round trip in jack_delay's output ("   356.300 frames    7.423 ms" per reading).
inline std::optional<double> last_jack_delay_reading(const std::string& text) {
  static const std::regex reading(R"(([0-9.]+) frames)");
  std::optional<double> last;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), reading);
       it != std::sregex_iterator(); ++it)
    last = std::stod((*it)[1]);
  return last;
}

}  // namespace routewise::testing
