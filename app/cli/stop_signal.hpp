#pragma once
// SIGINT/SIGTERM turn into a flag the long-running commands poll, so they can finish cleanly
// (store a final snapshot, close sockets) instead of dying mid-write.

#include <csignal>

namespace routewise::cli {

bool stop_requested();
void install_stop_handlers();

}  // namespace routewise::cli
