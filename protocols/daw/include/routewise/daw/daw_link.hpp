#pragma once
// The link to a running DAW over OSC: connects (and reconnects with back-off), syncs the DAW's
// mixer into a LiveMixer, watches liveness, polls what the DAW sends no feedback for (send
// levels), and sends the mixer's local changes to the DAW. It writes into the mixer as its origin
// and listens to it for everyone else's changes, so what came from the DAW is never sent back.
// [main-thread]: the mixer's thread calls poll().

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "routewise/daw/ardour_osc.hpp"
#include "routewise/daw/echo_filter.hpp"
#include "routewise/daw/osc_dialect.hpp"
#include "routewise/daw/osc_endpoint.hpp"
#include "routewise/daw/port_watch.hpp"
#include "routewise/live/live_mixer.hpp"

namespace routewise {

struct DawLinkOptions {
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

class DawLink final : private LiveMixer::Listener {
 public:
  DawLink(LiveMixer& mixer, const DawLinkOptions& options);
  ~DawLink();
  DawLink(const DawLink&) = delete;
  DawLink& operator=(const DawLink&) = delete;

  // Talks to the DAW for up to `timeout`: sends the surface set-up when needed, applies feedback,
  // watches liveness and reconnects with back-off.
  void poll(std::chrono::milliseconds timeout);

  LinkState state() const { return state_; }
  bool synced() const { return state_ == LinkState::live; }
  // Live, and every strip's name and level came from the DAW in this sync (a sync cut short by lost
  // datagrams goes live and keeps asking for the gaps).
  bool complete() const;
  std::uint64_t resyncs() const { return resyncs_; }
  // The mixer's mismatches with the session file, and strips not heard from since the last sync.
  std::vector<std::string> mismatches() const;
  const OscDialect& dialect() const { return *options_.dialect; }
  // The origin the mixer names for what came from the DAW.
  const LiveMixer::Listener* as_origin() const { return this; }
  LiveMixer& mixer() { return mixer_; }
  const LiveMixer& mixer() const { return mixer_; }

  const OscStats& stats() const { return endpoint_.stats(); }
  std::uint64_t unknown_messages() const { return unknown_; }   // not understood, or no strip
  std::uint64_t not_from_daw() const { return not_from_daw_; }  // from another port or host
  std::uint16_t listen_port() const { return endpoint_.port(); }
  int socket_fd() const { return endpoint_.fd(); }  // to wait on it with other sources

 private:
  // Everyone else's changes, on their way to the DAW.
  void value_changed(const LiveMixer::ValueChange& change) override;
  bool requested(const MixerRequest& request) override;

  void connect();
  void set_state(LinkState state);
  void handle(const OscPeer& from, const OscMessage& m);
  void apply(const StripEvent& e);
  bool strip_number(int ssid);
  void report(int ssid, MixerControl control, double value);
  void apply_master(const MasterEvent& e);
  void apply_sends(const SendList& list);
  void query_sends();
  bool strips_complete() const;
  void refresh_gaps(std::chrono::steady_clock::time_point now);

  LiveMixer& mixer_;
  DawLinkOptions options_;
  OscEndpoint endpoint_;
  OscPeer daw_;
  PortWatch port_watch_{daw_};
  LinkState state_ = LinkState::connecting;
  // What the current sync has delivered, by strip: a resync keeps the last known values until the
  // DAW sends them again.
  struct Heard {
    bool name = false, gain = false;
  };
  std::map<int, Heard> heard_;
  std::set<int> blank_;  // slots the DAW reported empty
  std::optional<std::size_t> expected_strips_;
  std::chrono::steady_clock::time_point last_heard_{}, last_sync_activity_{}, next_attempt_{},
      next_poke_{}, next_send_poll_{}, next_gap_refresh_{}, next_watch_{};
  std::chrono::milliseconds backoff_{250}, gap_backoff_{500};
  EchoFilter echoes_;
  std::uint64_t resyncs_ = 0, unknown_ = 0, not_from_daw_ = 0;
  bool layout_refresh_due_ = false;
  std::chrono::steady_clock::time_point next_layout_refresh_{};
  bool ever_live_ = false;
  int refreshes_ = 0;      // re-requests of a sync that came back incomplete (lost datagrams)
  int gap_refreshes_ = 0;  // the same once live, with back-off
};

}  // namespace routewise
