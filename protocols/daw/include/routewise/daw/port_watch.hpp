#pragma once
// Whether a DAW's UDP port is open, told by the ICMP "port unreachable" a closed port answers a
// datagram with: an empty datagram (no OSC, so the DAW sets nothing up for it) on a socket of its
// own connected to the DAW. A host that filters ICMP always looks open.
#include <chrono>
#include <optional>

#include "routewise/daw/osc_endpoint.hpp"

namespace routewise {

class PortWatch {
 public:
  explicit PortWatch(const OscPeer& daw);
  PortWatch(const PortWatch&) = delete;
  PortWatch& operator=(const PortWatch&) = delete;
  ~PortWatch();

  // Reads the answer to the previous datagram and sends the next; call every few tens of ms.
  void tick(std::chrono::steady_clock::time_point now);
  bool seen_closed() const { return seen_closed_; }
  // Since when the port has answered no datagram with "unreachable" (after being seen closed).
  std::optional<std::chrono::steady_clock::time_point> open_since() const { return open_since_; }
  void forget_closed() { seen_closed_ = false; }

 private:
  int fd_ = -1;
  bool seen_closed_ = false;
  std::optional<std::chrono::steady_clock::time_point> sent_, open_since_;
};

}  // namespace routewise
