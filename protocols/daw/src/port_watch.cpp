#include "routewise/daw/port_watch.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace routewise {

PortWatch::PortWatch(const OscPeer& daw) {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ >= 0 &&
      ::connect(fd_, reinterpret_cast<const sockaddr*>(&daw.address), sizeof daw.address) != 0) {
    ::close(fd_);
    fd_ = -1;  // no watch: the port always looks open, as through a firewall
  }
}

PortWatch::~PortWatch() {
  if (fd_ >= 0) ::close(fd_);
}

void PortWatch::tick(std::chrono::steady_clock::time_point now) {
  if (fd_ < 0) return;
  char byte = 0;
  // Both calls every time: the "unreachable" for the last datagram may surface on either, and a
  // tick that sent nothing must not count as a datagram that drew no answer.
  const bool answer_refused = ::recv(fd_, &byte, 1, 0) < 0 && errno == ECONNREFUSED;
  const bool send_refused = ::send(fd_, &byte, 0, 0) < 0 && errno == ECONNREFUSED;
  if (answer_refused || send_refused) {
    seen_closed_ = true;
    open_since_.reset();
  } else if (sent_ && !open_since_) {
    open_since_ = *sent_;  // that datagram drew no "unreachable"
  }
  if (send_refused)
    sent_.reset();
  else
    sent_ = now;
}

}  // namespace routewise
