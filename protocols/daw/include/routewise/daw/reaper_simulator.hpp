#pragma once
// The built-in DAW simulator in REAPER's dialect: serves a route map's tracks over OSC as REAPER
// does with its Default.ReaperOSC pattern file (banks of /track/N/..., dB volumes, the refresh
// action), sending feedback to a configured device address as REAPER's control-surface setup does.

#include <arpa/inet.h>

#include <chrono>
#include <string>
#include <vector>

#include "routewise/daw/osc_endpoint.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

struct ReaperSimulatorOptions {
  OscEndpointOptions endpoint{"127.0.0.1", 8000, {}, 8192, 50000};
  std::string device_host = "127.0.0.1";  // REAPER's "device IP"
  std::uint16_t device_port = 9000;       // REAPER's "device port"
  std::chrono::milliseconds vu_interval{100};
};

class ReaperSimulator {
 public:
  ReaperSimulator(RouteGraph session, const ReaperSimulatorOptions& options = {});

  std::uint16_t port() const { return endpoint_.port(); }
  void poll(std::chrono::milliseconds timeout);
  void set_gain_db(int track, double gain_db);  // a change made in REAPER's mixer (1-based track)
  void set_device_port(std::uint16_t port) { device_.address.sin_port = htons(port); }
  const Node& track(int number) const;
  std::size_t track_count() const { return tracks_.size(); }
  const OscStats& stats() const { return endpoint_.stats(); }
  std::uint64_t unknown_messages() const { return unknown_; }

 private:
  void handle(const OscMessage& m);
  void send_track(int number);  // number: project track, 1-based
  Node& node(int number);

  RouteGraph session_;
  ReaperSimulatorOptions options_;
  OscEndpoint endpoint_;
  OscPeer device_;
  std::vector<std::size_t> tracks_;
  int bank_size_ = 8, bank_ = 1;  // DEVICE_TRACK_COUNT 8 by default
  std::chrono::steady_clock::time_point next_vu_;
  std::uint64_t unknown_ = 0;
};

}  // namespace routewise
