#pragma once
// SIGINT/SIGTERM turn into a flag the long-running commands poll, so they can finish cleanly
// (store a final snapshot, close sockets) instead of dying mid-write.

#include <chrono>
#include <csignal>

namespace routewise::cli {

bool stop_requested();
void install_stop_handlers();
// When a command run with --duration SECONDS ends: never for 0 (until SIGINT/SIGTERM).
std::chrono::steady_clock::time_point run_deadline(double seconds);

}  // namespace routewise::cli
