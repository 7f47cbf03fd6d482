#pragma once
// Writing output so that a failure is seen and leaves nothing half-written where a file was named.

#include <filesystem>
#include <string>
#include <string_view>

namespace routewise {

// Writes `data` to a temporary file beside `path`, flushes it to disk and renames it over `path`;
// on any failure the temporary file is removed, `path` is left as it was, and the reason comes
// back ("No space left on device"). Empty on success.
std::string write_file_atomically(const std::filesystem::path& path, std::string_view data);

// Writes all of `data` to a file descriptor (standard output: 1), retrying short writes; the
// reason on failure, empty on success.
std::string write_all(int fd, std::string_view data);

// A temporary path beside `path` that the caller fills and then commits with rename, or that is
// removed when the object goes away uncommitted.
class PendingFile {
 public:
  explicit PendingFile(const std::filesystem::path& path);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  const std::filesystem::path& temporary() const { return temporary_; }
  // Renames the temporary file over the target; the reason on failure, empty on success.
  std::string commit();

 private:
  std::filesystem::path target_, temporary_;
  bool committed_ = false;
};

}  // namespace routewise
