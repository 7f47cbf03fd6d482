#pragma once
// The mirror and the built-in DAW simulator on real UDP sockets on 127.0.0.1, taking turns in
// one thread so every test is deterministic; raw sockets for strangers and junk.

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "live_link.hpp"
#include "routewise/daw/daw_simulator.hpp"

namespace routewise::testing {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline RouteGraph session_with(int tracks) {
  RouteGraph g;
  g.session.name = "Live " + std::to_string(tracks);
  Node master;
  master.id = "master";
  master.name = "Master";
  master.kind = NodeKind::master;
  g.nodes.push_back(master);
  for (int i = 1; i <= tracks; ++i) {
    Node t;
    t.id = "t" + std::to_string(i);
    t.name = "Track " + std::to_string(i);
    t.fader_db = -static_cast<double>(i % 12);
    t.mute = i % 17 == 0;
    t.source.average_dbfs = -20;
    g.nodes.push_back(t);
    Edge e;
    e.from = t.id;
    e.to = "master";
    g.edges.push_back(e);
  }
  return g;
}

// Both peers live in this thread and take turns, so every test is deterministic.
struct Rig {
  std::unique_ptr<DawSimulator> sim;
  std::unique_ptr<testing::LiveLink> mirror;
  std::vector<LiveMixer::ValueChange> changes;

  explicit Rig(int tracks, std::chrono::milliseconds liveness = 3000ms, bool meters_move = false) {
    SimulatorOptions options = sim_options(0);
    options.meters_move = meters_move;
    sim = std::make_unique<DawSimulator>(session_with(tracks), options);
    DawLinkOptions m;
    m.daw_port = sim->port();
    m.liveness_timeout = liveness;
    mirror = std::make_unique<testing::LiveLink>(session_with(tracks), m);
    mirror->on_change([this](const LiveMixer::ValueChange& c) { changes.push_back(c); });
  }
  static SimulatorOptions sim_options(std::uint16_t port) {
    SimulatorOptions o;
    o.endpoint.port = port;
    o.meters_move = false;
    return o;
  }
  // Runs both until `done` holds or `limit` passes; returns the time it took.
  template <typename Done>
  std::chrono::milliseconds run_until(Done done, std::chrono::milliseconds limit = 3000ms) {
    const auto start = Clock::now();
    while (!done() && Clock::now() - start < limit) {
      if (sim) sim->poll(2ms);
      mirror->poll(2ms);
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  }
};

inline int raw_socket(const char* bind_address) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, bind_address, &a.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  return fd;
}

inline void send_raw(int fd, std::uint16_t port, const std::vector<std::uint8_t>& data) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  ::sendto(fd, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
}

}  // namespace routewise::testing
