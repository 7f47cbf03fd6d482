#pragma once
// The built-in DAW simulator: serves a route map over OSC as Ardour's OSC surface would (same
// addresses, reply formats, feedback bits, taper, heartbeat), with meters from the session's
// source levels. Differences from the real Ardour are listed in docs/simulator-fidelity.md.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "routewise/daw/ardour_osc.hpp"
#include "routewise/daw/osc_endpoint.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

struct SimulatorOptions {
  OscEndpointOptions endpoint{"127.0.0.1", ardour::default_port, {}, 8192, 50000};
  std::chrono::milliseconds meter_interval{100};
  bool meters_move = true;  // slow ±3 dB movement so meters look alive
};

class DawSimulator {
 public:
  DawSimulator(RouteGraph session, const SimulatorOptions& options = {});

  std::uint16_t port() const { return endpoint_.port(); }
  // Handles requests and runs the periodic work (heartbeat, meters) for up to `timeout`.
  void poll(std::chrono::milliseconds timeout);

  // Changes made "in the DAW" (as if the engineer touched its mixer); feedback goes to surfaces.
  void set_gain_db(int ssid, double gain_db);
  void set_mute(int ssid, bool mute);
  void rename(int ssid, const std::string& name);
  void set_send_db(int ssid, int send_index, double level_db);  // 1-based send index
  void add_track(const std::string& name);  // structural: surfaces are told to re-query

  const RouteGraph& session() const { return session_; }
  std::size_t strip_count() const { return strips_.size(); }
  const Node& strip(int ssid) const;
  const OscStats& stats() const { return endpoint_.stats(); }
  std::uint64_t unknown_messages() const { return unknown_; }
  // Strip and master control changes a surface made (what a load test counts as arrived).
  std::uint64_t applied_changes() const { return applied_; }
  bool playing() const { return playing_; }
  bool recording() const { return recording_; }
  std::size_t surfaces() const { return surfaces_.size(); }

 private:
  struct Surface {
    OscPeer reply_to;
    ardour::SurfaceSettings settings;
    std::map<int, double> last_meter;
    double last_master_meter = 1e9;
  };

  void handle(const OscPeer& from, const OscMessage& m);
  void handle_set_surface(const OscPeer& from, const OscMessage& m);
  void handle_strip(const OscPeer& from, const OscMessage& m);
  void handle_master(const OscMessage& m);
  void handle_sends(const OscPeer& from, const OscMessage& m);
  std::vector<Edge*> sends_of(int ssid);
  int ssid_of(const std::string& node_id) const;
  void reply_strip_list(Surface& s);
  void full_feedback(Surface& s);
  void strip_feedback(Surface& s, int ssid);
  void broadcast_strip(int ssid, ardour::Control c);
  void send_control(Surface& s, int ssid, ardour::Control c);
  void periodic();
  void rebuild_strips();
  void recompute_levels();
  void recompute_implied_solo();
  bool reported_solo(int ssid) const;
  Node& node_of(int ssid);
  Node* master();

  RouteGraph session_;
  SimulatorOptions options_;
  OscEndpoint endpoint_;
  std::vector<std::size_t> strips_;  // node positions; ssid = index + 1
  std::map<OscPeer, Surface>
      surfaces_;                    // keyed by host (port 0), as Ardour's manual port mode does
  std::vector<double> level_dbfs_;  // per node, estimated output level
  // Per node: soloed by another node it feeds or is fed by (Ardour reports those as soloed too).
  std::vector<bool> implied_solo_;
  std::chrono::steady_clock::time_point start_, next_meter_, next_heartbeat_, last_periodic_;
  // The transport: it rolls from the start (a session playing back is what the meters show).
  bool playing_ = true, recording_ = false;
  double playhead_s_ = 0;
  void handle_transport(const std::string& path);
  void send_transport_state();
  bool heartbeat_high_ = false;
  std::uint64_t unknown_ = 0, applied_ = 0;
};

}  // namespace routewise
