#include "routewise/model/file_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace routewise {
namespace {

std::string reason(int error) {
  return std::strerror(error);
}

// A name no other writer picks: the process id and a random tag, in the target's folder so that
// the rename stays on one file system.
std::filesystem::path temporary_beside(const std::filesystem::path& path) {
  std::random_device random;
  const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(random() % 1000000);
  std::filesystem::path name = path;
  name += ".tmp-" + tag;
  return name;
}

}  // namespace

std::string write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? reason(errno) : "nothing was written";
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

PendingFile::PendingFile(const std::filesystem::path& path)
    : target_(path), temporary_(temporary_beside(path)) {}

PendingFile::~PendingFile() {
  if (!committed_) ::unlink(temporary_.c_str());
}

std::string PendingFile::commit() {
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) return reason(errno);
  committed_ = true;
  return {};
}

std::string write_file_atomically(const std::filesystem::path& path, std::string_view data) {
  PendingFile pending(path);
  const int fd = ::open(pending.temporary().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return reason(errno);
  std::string error = write_all(fd, data);
  if (error.empty() && ::fsync(fd) != 0) error = reason(errno);
  if (::close(fd) != 0 && error.empty()) error = reason(errno);
  if (!error.empty()) return error;
  return pending.commit();
}

}  // namespace routewise
