#include "stop_signal.hpp"

namespace routewise::cli {
namespace {
// A signal handler can only touch a lock-free flag; this one belongs to the process, not a library.
volatile std::sig_atomic_t stop_flag = 0;
extern "C" void on_stop(int) {
  stop_flag = 1;
}
}  // namespace

bool stop_requested() {
  return stop_flag != 0;
}

std::chrono::steady_clock::time_point run_deadline(double seconds) {
  using Clock = std::chrono::steady_clock;
  return seconds > 0 ? Clock::now() + std::chrono::milliseconds(static_cast<long>(seconds * 1000))
                     : Clock::time_point::max();
}

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace routewise::cli
