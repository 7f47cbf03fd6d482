#pragma once
// The mixer as it is now: each strip of the DAW's mixer matched to a route-map node, with its live
// values, the master and the transport, and the live graph (the topology with those values). It
// is the one thing the DAW side (routewise_daw) and the surface side (routewise_surfaces) both
// know: each writes here naming itself as the origin, and every other listener hears of it, so
// nobody acts on its own change coming back. [main-thread]: a LiveMixer and its listeners belong
// to one thread, the live loop's; listeners are called synchronously from the write.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "routewise/live/mixer_control.hpp"
#include "routewise/model/route_graph.hpp"

namespace routewise {

// How far the DAW is: its values are mirrored while syncing or live; local changes are refused
// otherwise (they would not reach the DAW, and its values would overwrite them on reconnect).
enum class LinkState { connecting, syncing, live, lost };
std::string_view to_string(LinkState s);

struct LiveSend {
  std::string target_node_id;  // the node it feeds; empty when that is not on the mixer
  std::string target_name;
  int index = 0;  // 1-based among the strip's sends, as the DAW addresses it
  double level_db = 0;
  bool active = true;
};

struct LiveStrip {
  int position = 0;  // 1-based place on the DAW's mixer (Ardour's ssid, REAPER's track number)
  std::string name, type, node_id;           // type: the DAW's code (Ardour AT MT B MB V FB ...)
  double gain_db = 0, trim_db = 0, pan = 0;  // pan: -1 (left) .. +1 (right)
  bool mute = false, solo = false, polarity = false;
  std::optional<double> meter_db;
  bool has_gain = false;  // a level has come from the DAW (until then the session file's applies)
  std::vector<LiveSend> sends;
  bool sends_known = false;  // the DAW has listed them
};

// A strip's value of one control (0/1 for switches); nothing for a level not yet known, or a
// control a strip does not hold.
std::optional<double> value_of(const LiveStrip& s, MixerControl control);

// A request with no state of its own to mirror.
struct TransportRequest {
  TransportControl control;
};
struct PluginBypassRequest {
  std::string node_id;
  int slot = 0;  // 1-based
  bool bypassed = false;
};
using MixerRequest = std::variant<TransportRequest, PluginBypassRequest>;

class LiveMixer {
 public:
  class Listener;
  struct ValueChange {
    std::string node_id;
    std::string target_node_id;  // send levels: the node the send feeds
    MixerControl control;
    double value;                      // dB, 0/1, pan -1..+1
    const Listener* origin = nullptr;  // who wrote it (never the listener told)
  };
  class Listener {
   public:
    virtual void value_changed(const ValueChange& /*change*/) {}
    // Strips added, removed, renamed or moved. (A send listed for the first time is a value
    // change of its level.)
    virtual void structure_changed() {}
    virtual void transport_changed() {}  // playhead, play, record
    virtual void link_changed(LinkState /*state*/) {}
    // True when this listener carried the request out (the DAW link does, where its dialect can).
    virtual bool requested(const MixerRequest& /*request*/) { return false; }

   protected:
    Listener() = default;
    Listener(const Listener&) = default;
    Listener& operator=(const Listener&) = default;
    ~Listener() = default;
  };

  explicit LiveMixer(RouteGraph topology = {});
  LiveMixer(const LiveMixer&) = delete;
  LiveMixer& operator=(const LiveMixer&) = delete;

  // A listener stays registered until removed; it must be removed before it is destroyed.
  void add_listener(Listener& listener);
  void remove_listener(Listener& listener);

  // --- What is there now.
  const RouteGraph& topology() const { return topology_; }
  const std::map<int, LiveStrip>& strips() const { return strips_; }  // by position
  const LiveStrip* strip(const std::string& node_id) const;
  const LiveStrip* strip_at(int position) const;
  // The topology's master (or "master").
  const std::string& master_node_id() const { return master_id_; }
  std::optional<double> master_gain_db() const { return master_gain_db_; }
  std::optional<bool> master_mute() const { return master_mute_; }
  std::optional<double> master_meter_db() const { return master_meter_db_; }
  bool any_solo() const;
  const std::string& timecode() const { return timecode_; }  // as the DAW last sent it
  bool playing() const { return playing_; }
  bool recording() const { return recording_; }
  LinkState link() const { return link_; }
  bool writable() const { return link_ == LinkState::live || link_ == LinkState::syncing; }
  // The topology with the live values applied; strips it lacks are added as nodes. Built again
  // only after something changed.
  const RouteGraph& graph() const;
  std::uint64_t version() const { return version_; }  // moves with every change graph() shows
  std::uint64_t structure_version() const { return structure_version_; }
  // Strips and route-map nodes that could not be matched to each other, as sentences.
  std::vector<std::string> mismatches() const;

  // --- Changes. Each tells every listener but `origin`, even when the value is the one held (a
  // hand on a fader means it: the DAW may hold another by now). The DAW side writes only what
  // moved. False when the node is not on the mixer, or when the DAW cannot be reached.
  bool set(const std::string& node_id, MixerControl control, double value, const Listener* origin);
  // A send's level, by the node it feeds.
  bool set_send(const std::string& node_id, const std::string& target_node_id, double level_db,
                const Listener* origin);
  void set_meter(const std::string& node_id, double level_db);  // state, not a change: nobody told
  // True when a listener carried it out.
  bool request(const MixerRequest& request, const Listener* origin);

  // --- The DAW side reports its mixer's layout.
  // The strip at `position` is called `name` (a new strip, or a rename: it keeps its node).
  void name_strip(int position, const std::string& name, const std::string& type,
                  const Listener* origin);
  void remove_strip(int position, const Listener* origin);
  // A value by the strip's position; a strip whose name has not come yet keeps it (telling
  // nobody) until the name does.
  void set_at(int position, MixerControl control, double value, const Listener* origin);
  // Every send of one strip, as the DAW lists them; a moved level is a change.
  void set_sends(int position, std::vector<LiveSend> sends, const Listener* origin);
  void set_timecode(const std::string& text, const Listener* origin);
  void set_transport(TransportControl control, bool on, const Listener* origin);
  void set_link(LinkState state, const Listener* origin);

 private:
  LiveStrip* find(const std::string& node_id);
  void change(LiveStrip& s, MixerControl control, double value, const Listener* origin);
  void match(LiveStrip& s);
  std::string node_of_send_target(const LiveSend& send) const;
  void structure_changed(const Listener* origin);
  void tell(const ValueChange& change);
  template <typename Call>
  void each_listener_but(const Listener* origin, Call call);

  RouteGraph topology_;
  std::string master_id_ = "master";
  std::map<int, LiveStrip> strips_;
  std::optional<double> master_gain_db_, master_meter_db_;
  std::optional<bool> master_mute_;
  std::string timecode_;
  bool playing_ = false, recording_ = false;
  LinkState link_ = LinkState::connecting;
  std::vector<Listener*> listeners_;
  std::uint64_t version_ = 0, structure_version_ = 0;
  mutable std::uint64_t graph_version_ = ~std::uint64_t{0};
  mutable RouteGraph graph_;
};

}  // namespace routewise
