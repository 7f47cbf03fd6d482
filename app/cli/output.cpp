#include "output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "routewise/model/file_write.hpp"

namespace routewise::cli {

bool write_output(const std::string& file, std::string_view data, std::ostream& err) {
  std::string error;
  if (file.empty()) {
    // What was printed before goes first, then the data straight to the descriptor so that a
    // failed write is seen with its reason.
    std::cout.flush();
    std::fflush(stdout);
    error = write_all(1, data);
  } else {
    error = write_file_atomically(file, data);
  }
  if (error.empty()) return true;
  err << (file.empty() ? "standard output" : file) << ": cannot be written: " << error << "\n";
  return false;
}

bool finish_standard_output(std::ostream& err) {
  errno = 0;
  std::cout.flush();
  const bool ok = std::cout.good() && std::fflush(stdout) == 0 && !std::ferror(stdout);
  if (!ok)
    err << "standard output: cannot be written: "
        << (errno != 0 ? std::strerror(errno) : "the write failed") << "\n";
  return ok;
}

}  // namespace routewise::cli
