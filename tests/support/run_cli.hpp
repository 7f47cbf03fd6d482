#pragma once
// Runs the routewise binary as a user would and captures its exit code and output.

#include <string>

#include "run_command.hpp"

namespace routewise::testing {

// `args` after the program name; `environment` (e.g. "ROUTEWISE_DB=/tmp/x ") goes before it.
inline CliRun run_cli(const std::string& args, const std::string& environment = "") {
  return run_command(environment + ROUTEWISE_CLI + " " + args);
}

}  // namespace routewise::testing
