#pragma once
// A live mirror of a DAW's mixer over OSC (Ardour dialect): topology from a session file or route
// map, live state (names, gains, trims, mutes, solos, polarity, pan, meters) from the DAW. Changes
// carry an origin, and what came from the DAW is never sent back to it.

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "routewise/core/route_graph.hpp"
#include "routewise/protocols/ardour_osc.hpp"
#include "routewise/protocols/osc_dialect.hpp"
#include "routewise/protocols/osc_endpoint.hpp"
#include "routewise/protocols/port_watch.hpp"

namespace routewise {

struct MirrorOptions {
  const OscDialect* dialect = &ardour_dialect();
  std::string daw_host = "127.0.0.1";
  std::uint16_t daw_port = ardour::default_port;
  OscEndpointOptions listen{};  // where feedback arrives (127.0.0.1, any free port)
  std::chrono::milliseconds liveness_timeout{
      3000};  // no heartbeat, meter or reply for this long: lost
  std::chrono::milliseconds settle{
      300};  // quiet time that ends a sync when the DAW sends no list end
  // Send levels have no feedback in Ardour's strip protocol: they are read again this often.
  std::chrono::milliseconds send_poll_interval{2000};
  // A DAW port seen closed and then open: the DAW is starting; set it up only after this long
  // (Ardour 7.3 crashed in 3 of 4 tries when a surface was set up as its port opened, in none of 5
  // one second later).
  std::chrono::milliseconds daw_start_grace{1000};
};

enum class MirrorState { connecting, syncing, live, lost };
std::string_view to_string(MirrorState s);

enum class Origin {
  daw,         // the engineer changed it in the DAW (or another surface did)
  local,       // a change made here (CLI, GUI, a control surface) on its way to the DAW
  local_echo,  // the DAW confirming a local change: nobody should act on it again
};

struct StripState {
  int ssid = 0;
  std::string name, type, node_id;  // node_id: the route-map node it mirrors
  double gain_db = 0, trim_db = 0, pan = 0;
  bool mute = false, solo = false, polarity = false;
  std::optional<double> meter_db;
  bool has_gain = false;  // a level has come from the DAW (until then the session file's applies)
  // What the current sync has delivered: a resync keeps the last known values until the DAW sends
  // them again.
  bool name_this_sync = false, gain_this_sync = false;
  std::vector<SendState> sends;
  bool sends_known = false;
};

struct MirrorChange {
  std::string node_id;
  std::string target_node_id;  // send level changes: the node the send feeds
  MixerControl control;
  double value;
  Origin origin;
};

class Mirror {
 public:
  Mirror(RouteGraph topology, const MirrorOptions& options);

  // Talks to the DAW for up to `timeout`: sends the surface set-up when needed, applies feedback,
  // watches liveness and reconnects with back-off.
  void poll(std::chrono::milliseconds timeout);

  MirrorState state() const { return state_; }
  bool synced() const { return state_ == MirrorState::live; }
  // Live, and every strip's name and level came from the DAW in this sync (a sync cut short by lost
  // datagrams goes live and keeps asking for the gaps).
  bool complete() const;
  std::uint64_t resyncs() const { return resyncs_; }
  std::uint64_t structure_version() const { return structure_version_; }
  const std::map<int, StripState>& strips() const { return strips_; }
  // Topology with the live values applied; strips the topology lacks are added as nodes.
  RouteGraph graph() const;
  // Strips and route-map nodes that could not be matched to each other, as sentences.
  std::vector<std::string> mismatches() const;

  std::string master_node_id() const;  // the topology's master (or "master")
  std::optional<double> master_gain_db() const { return master_gain_db_; }
  std::optional<bool> master_mute() const { return master_mute_; }
  std::optional<double> master_meter_db() const { return master_meter_db_; }
  // The playhead as the DAW last sent it (empty until it does).
  const std::string& timecode() const { return timecode_; }
  bool playing() const { return playing_; }
  bool recording() const { return recording_; }
  // Play, stop, record, rewind, fast forward on the DAW. False when the dialect cannot.
  bool transport(TransportControl control);
  // Local changes, sent to the DAW (the master too, where the dialect can). False when the node is
  // not on the DAW's mixer.
  bool set(const std::string& node_id, MixerControl control, double value);
  // A send's level, by the node it feeds. False when the dialect cannot write send levels.
  bool set_send(const std::string& node_id, const std::string& target_node_id, double level_db);
  // A plugin's bypass by its 1-based slot. False when the dialect cannot (the DAW sends no
  // feedback for it: the change is not mirrored back).
  bool set_plugin_bypass(const std::string& node_id, int slot, bool bypassed);

  void on_change(std::function<void(const MirrorChange&)> listener) {
    listener_ = std::move(listener);
  }
  const OscStats& stats() const { return endpoint_.stats(); }
  std::uint64_t unknown_messages() const { return unknown_; }
  std::uint16_t listen_port() const { return endpoint_.port(); }
  int socket_fd() const { return endpoint_.fd(); }  // to wait on it with other sources

 private:
  void connect();
  void handle(const OscPeer& from, const OscMessage& m);
  void apply(const StripEvent& e);
  void apply_master(const MasterEvent& e);
  void apply_sends(const SendList& list);
  void query_sends();
  std::string node_of_send_target(const SendState& send) const;
  void match(StripState& s);
  void notify(const std::string& node, MixerControl c, double value, int ssid);
  void mark_structure_change();
  void remember_pending(int ssid, MixerControl control, double value);
  bool strips_complete() const;
  void refresh_gaps(std::chrono::steady_clock::time_point now);

  RouteGraph topology_;
  MirrorOptions options_;
  OscEndpoint endpoint_;
  OscPeer daw_;
  PortWatch port_watch_{daw_};
  MirrorState state_ = MirrorState::connecting;
  std::map<int, StripState> strips_;
  std::set<int> blank_;  // slots the DAW reported empty
  std::optional<double> master_gain_db_, master_meter_db_;
  std::optional<bool> master_mute_;
  std::string timecode_;
  bool playing_ = false, recording_ = false;
  std::optional<std::size_t> expected_strips_;
  std::chrono::steady_clock::time_point last_heard_{}, last_sync_activity_{}, next_attempt_{},
      next_poke_{}, next_send_poll_{}, next_gap_refresh_{}, next_watch_{};
  std::chrono::milliseconds backoff_{250}, gap_backoff_{500};
  // Local changes on their way to the DAW, oldest first: a fast move sends several before the
  // first echo returns, and each echo must be recognised as ours.
  std::map<std::pair<int, MixerControl>,
           std::deque<std::pair<double, std::chrono::steady_clock::time_point>>>
      pending_;
  std::function<void(const MirrorChange&)> listener_;
  std::uint64_t resyncs_ = 0, structure_version_ = 0, unknown_ = 0;
  bool ever_live_ = false;
  int refreshes_ = 0;      // re-requests of a sync that came back incomplete (lost datagrams)
  int gap_refreshes_ = 0;  // the same once live, with back-off
};

}  // namespace routewise
