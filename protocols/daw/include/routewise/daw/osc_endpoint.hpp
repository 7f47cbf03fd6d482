#pragma once
// A UDP socket for OSC that we own: bound to the address asked for (127.0.0.1 unless told
// otherwise), with an allow-list of peers, a per-peer rate limit and a size limit applied before
// anything is decoded. Every dropped datagram is counted.

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "routewise/daw/osc_message.hpp"
#include "routewise/model/error.hpp"

namespace routewise {

class OscError : public Error {
 public:
  using Error::Error;
};

struct Cidr {
  std::uint32_t network = 0;  // host byte order
  std::uint32_t mask = 0;
  bool contains(std::uint32_t address) const { return (address & mask) == network; }
};
// "127.0.0.0/8", "192.168.1.20" (a /32); throws OscError on nonsense.
Cidr parse_cidr(const std::string& text);

struct OscPeer {
  sockaddr_in address{};
  std::string text() const;  // "127.0.0.1:3819"
  bool operator<(const OscPeer& o) const;
};
// Resolves "host" and port to an IPv4 peer (numeric or a name such as localhost).
OscPeer make_peer(const std::string& host, std::uint16_t port);

struct OscEndpointOptions {
  std::string listen_host = "127.0.0.1";
  std::uint16_t port = 0;   // 0: any free port
  std::vector<Cidr> allow;  // empty: loopback only (127.0.0.0/8)
  std::size_t max_datagram_bytes = 8192;
  double max_messages_per_second = 50000;  // per peer, token bucket with one second of burst
  // Peers with a bucket of their own; the rest share one (a sweep over 127/8 must not grow us).
  std::size_t max_rate_peers = 1024;
};

// rate_limited counts messages (a datagram refused before it is decoded, as one).
struct OscStats {
  std::uint64_t datagrams = 0, messages = 0, sent = 0;
  std::uint64_t not_allowed = 0, oversized = 0, malformed = 0, rate_limited = 0, send_failures = 0;
};

class OscEndpoint {
 public:
  using Handler = std::function<void(const OscPeer& from, const OscMessage& message)>;

  explicit OscEndpoint(const OscEndpointOptions& options);
  OscEndpoint(const OscEndpoint&) = delete;
  OscEndpoint& operator=(const OscEndpoint&) = delete;
  ~OscEndpoint();

  std::uint16_t port() const { return port_; }
  int fd() const { return fd_; }  // readable when a datagram waits: for the owner's poll()
  bool is_loopback_only() const;
  bool send(const OscPeer& to, const OscMessage& message);
  // Waits up to `timeout` for the first datagram, then drains what is queued; returns the number
  // of messages handed to `handler`.
  std::size_t poll(std::chrono::milliseconds timeout, const Handler& handler);
  const OscStats& stats() const { return stats_; }
  std::size_t rate_peers() const { return buckets_.size(); }  // peers with a bucket of their own

 private:
  bool allowed(const sockaddr_in& from);
  struct Bucket;
  Bucket& bucket_of(std::uint32_t address, std::chrono::steady_clock::time_point now);
  // Takes up to `wanted` messages' worth from the peer's bucket; returns how many it may deliver.
  std::size_t take(std::uint32_t address, std::size_t wanted);
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::uint32_t bound_address_ = 0;
  OscEndpointOptions options_;
  OscStats stats_;
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  std::map<std::uint32_t, Bucket> buckets_;
  Bucket shared_bucket_{0.0, {}};
  std::vector<std::uint8_t> buffer_;
};

}  // namespace routewise
