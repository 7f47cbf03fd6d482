#pragma once
// Runs a shell command and captures its exit code and output (stdout and stderr together).

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace routewise::testing {

struct CliRun {
  int exit_code;
  std::string output;  // stdout and stderr together
};

inline CliRun run_command(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "cannot run: " + command};
  std::string output;
  std::array<char, 4096> buffer;
  while (const std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace routewise::testing
