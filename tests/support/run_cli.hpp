#pragma once
// Runs the routewise binary as a user would and captures its exit code and output.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace routewise::testing {

struct CliRun {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// `args` after the program name; `environment` (e.g. "ROUTEWISE_DB=/tmp/x ") goes before it.
inline CliRun run_cli(const std::string& args, const std::string& environment = "") {
  const std::string command = environment + ROUTEWISE_CLI + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer;
  while (const std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace routewise::testing
