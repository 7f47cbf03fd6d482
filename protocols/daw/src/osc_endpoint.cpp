#include "routewise/daw/osc_endpoint.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

namespace routewise {

Cidr parse_cidr(const std::string& text) {
  const auto slash = text.find('/');
  const std::string host = text.substr(0, slash);
  in_addr addr{};
  if (inet_pton(AF_INET, host.c_str(), &addr) != 1)
    throw OscError("allow-list: '" + text + "' is not an IPv4 address or CIDR");
  int bits = 32;
  if (slash != std::string::npos) {
    try {
      std::size_t used = 0;
      bits = std::stoi(text.substr(slash + 1), &used);
      if (used != text.size() - slash - 1) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      throw OscError("allow-list: '" + text + "' has a bad prefix length");
    }
    if (bits < 0 || bits > 32)
      throw OscError("allow-list: '" + text + "' has a prefix length outside 0..32");
  }
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return {ntohl(addr.s_addr) & mask, mask};
}

std::string OscPeer::text() const {
  char buf[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &address.sin_addr, buf, sizeof buf);
  return fmt::format("{}:{}", buf, ntohs(address.sin_port));
}

bool OscPeer::operator<(const OscPeer& o) const {
  return std::pair(address.sin_addr.s_addr, address.sin_port) <
         std::pair(o.address.sin_addr.s_addr, o.address.sin_port);
}

OscPeer make_peer(const std::string& host, std::uint16_t port) {
  OscPeer peer;
  peer.address.sin_family = AF_INET;
  peer.address.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &peer.address.sin_addr) == 1) return peer;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || !found)
    throw OscError("cannot resolve host '" + host + "'");
  peer.address.sin_addr = reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr;
  freeaddrinfo(found);
  return peer;
}

OscEndpoint::OscEndpoint(const OscEndpointOptions& options) : options_(options) {
  if (options_.allow.empty()) options_.allow.push_back(parse_cidr("127.0.0.0/8"));
  const OscPeer local = make_peer(options_.listen_host, options_.port);
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw OscError(std::string("cannot create a UDP socket: ") + std::strerror(errno));
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local.address), sizeof local.address) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    throw OscError(fmt::format("cannot listen on {}: {}", local.text(), why));
  }
  // A DAW answers a surface set-up with a burst of thousands of datagrams: give the kernel room
  // for it (the forced size needs CAP_NET_ADMIN; otherwise the system maximum applies).
  const int buffer_bytes = 8 * 1024 * 1024;
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &buffer_bytes, sizeof buffer_bytes) != 0)
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
  sockaddr_in bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.sin_port);
  bound_address_ = ntohl(bound.sin_addr.s_addr);
  buffer_.resize(65536);
}

OscEndpoint::~OscEndpoint() {
  if (fd_ >= 0) ::close(fd_);
}

bool OscEndpoint::is_loopback_only() const {
  return (bound_address_ >> 24) == 127;
}

bool OscEndpoint::send(const OscPeer& to, const OscMessage& message) {
  const std::vector<std::uint8_t> data = encode_osc(message);
  const ssize_t n = ::sendto(fd_, data.data(), data.size(), 0,
                             reinterpret_cast<const sockaddr*>(&to.address), sizeof to.address);
  if (n != static_cast<ssize_t>(data.size())) {
    ++stats_.send_failures;
    return false;
  }
  ++stats_.sent;
  return true;
}

bool OscEndpoint::allowed(const sockaddr_in& from) {
  const std::uint32_t address = ntohl(from.sin_addr.s_addr);
  for (const Cidr& c : options_.allow)
    if (c.contains(address)) return true;
  ++stats_.not_allowed;
  return false;
}

OscEndpoint::Bucket& OscEndpoint::bucket_of(std::uint32_t address,
                                            std::chrono::steady_clock::time_point now) {
  const double rate = options_.max_messages_per_second;
  if (const auto it = buckets_.find(address); it != buckets_.end()) return it->second;
  if (buckets_.size() >= options_.max_rate_peers) {
    // Forget the peers whose buckets have refilled: they are where a new bucket would start.
    std::erase_if(buckets_, [&](const auto& entry) {
      const Bucket& b = entry.second;
      return b.tokens + std::chrono::duration<double>(now - b.last).count() * rate >= rate;
    });
  }
  if (buckets_.size() >= options_.max_rate_peers) {
    if (shared_bucket_.last == std::chrono::steady_clock::time_point{})
      shared_bucket_ = Bucket{rate, now};
    return shared_bucket_;
  }
  return buckets_.emplace(address, Bucket{rate, now}).first->second;
}

std::size_t OscEndpoint::take(std::uint32_t address, std::size_t wanted) {
  const auto now = std::chrono::steady_clock::now();
  const double rate = options_.max_messages_per_second;
  Bucket& b = bucket_of(address, now);
  const double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(rate, b.tokens + elapsed * rate);
  b.last = now;
  const auto granted = static_cast<std::size_t>(
      std::min(static_cast<double>(wanted), std::max(0.0, std::floor(b.tokens))));
  b.tokens -= static_cast<double>(granted);
  stats_.rate_limited += wanted - granted;
  return granted;
}

std::size_t OscEndpoint::poll(std::chrono::milliseconds timeout, const Handler& handler) {
  std::size_t delivered = 0;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return 0;
  // Drain what is queued, but never more than a bounded batch, so a flood cannot starve the caller.
  for (int batch = 0; batch < 4096; ++batch) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(fd_, buffer_.data(), buffer_.size(), MSG_DONTWAIT | MSG_TRUNC,
                                 reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) break;
    ++stats_.datagrams;
    if (!allowed(from)) continue;
    const std::uint32_t address = ntohl(from.sin_addr.s_addr);
    // One token before decoding, so that a flood of junk costs no parsing past the limit.
    if (take(address, 1) == 0) continue;
    if (static_cast<std::size_t>(n) > options_.max_datagram_bytes ||
        static_cast<std::size_t>(n) > buffer_.size()) {
      ++stats_.oversized;
      continue;
    }
    const auto messages = decode_osc(buffer_.data(), static_cast<std::size_t>(n));
    if (!messages) {
      ++stats_.malformed;
      continue;
    }
    OscPeer peer;
    peer.address = from;
    // A bundle is as many messages as it holds, not one datagram.
    const std::size_t granted =
        1 + (messages->size() > 1 ? take(address, messages->size() - 1) : 0);
    for (std::size_t i = 0; i < std::min(granted, messages->size()); ++i) {
      const OscMessage& m = (*messages)[i];
      ++stats_.messages;
      ++delivered;
      handler(peer, m);
    }
  }
  return delivered;
}

}  // namespace routewise
