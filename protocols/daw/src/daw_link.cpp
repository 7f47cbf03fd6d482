#include "routewise/daw/daw_link.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace routewise {
namespace {

using Control = MixerControl;
using Clock = std::chrono::steady_clock;
constexpr int max_gap_refreshes = 8;
constexpr int master_strip = 0;  // the master's key among local changes on their way
// No DAW's mixer has more strips than this; a strip number beyond it is no strip (a peer that
// invents thousands would otherwise grow the mixer and the send polling without bound).
constexpr int max_strips = 4096;
// A DAW that says its layout changed is read again at most this often (each read is a burst of
// every strip's state: a peer repeating the news must not multiply the traffic).
constexpr auto layout_refresh_interval = std::chrono::milliseconds(1000);

}  // namespace

DawLink::DawLink(LiveMixer& mixer, const DawLinkOptions& options)
    : mixer_(mixer),
      options_(options),
      endpoint_(options.listen),
      daw_(make_peer(options.daw_host, options.daw_port)) {
  if (!options_.dialect) options_.dialect = &ardour_dialect();
  mixer_.add_listener(*this);
  mixer_.set_link(state_, this);
}

DawLink::~DawLink() {
  mixer_.remove_listener(*this);
}

void DawLink::set_state(LinkState state) {
  state_ = state;
  mixer_.set_link(state, this);
}

void DawLink::connect() {
  for (const OscMessage& m : options_.dialect->connect(endpoint_.port())) endpoint_.send(daw_, m);
  expected_strips_.reset();
  last_sync_activity_ = Clock::now();
  next_attempt_ = Clock::now() + backoff_;
  // At most a second apart: a restarted DAW is resynced within two seconds of answering again,
  // for the price of one small datagram a second while it is away.
  backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(1000));
}

void DawLink::poll(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  do {
    const auto now = Clock::now();
    if (state_ == LinkState::connecting || state_ == LinkState::lost) {
      if (now >= next_watch_) {
        port_watch_.tick(now);
        next_watch_ = now + std::chrono::milliseconds(50);
      }
      const auto open_since = port_watch_.open_since();
      const bool starting = port_watch_.seen_closed() &&
                            (!open_since || now - *open_since < options_.daw_start_grace);
      if (now >= next_attempt_ && !starting) connect();
    }
    const auto slice = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(until - now),
                                std::chrono::milliseconds(50));
    endpoint_.poll(std::max(slice, std::chrono::milliseconds(0)),
                   [this](const OscPeer& from, const OscMessage& m) { handle(from, m); });
    const auto after = Clock::now();
    if (state_ == LinkState::syncing) {
      const auto& strips = mixer_.strips();
      const bool all_named = expected_strips_ && strips.size() >= *expected_strips_ &&
                             std::all_of(strips.begin(), strips.end(), [&](const auto& s) {
                               const auto h = heard_.find(s.first);
                               return h != heard_.end() && h->second.name;
                             });
      // Without a list end (Ardour 7.3 does not always answer /strip/list), a quiet spell ends the
      // sync.
      const bool quiet =
          !expected_strips_ && !strips.empty() && after - last_sync_activity_ > options_.settle;
      const bool complete = strips_complete();
      if ((all_named || quiet) && !complete && refreshes_ < 3 &&
          after - last_sync_activity_ > options_.settle) {
        // Datagrams were lost in the burst: ask for everything again rather than mirror a gap.
        ++refreshes_;
        for (const OscMessage& m : options_.dialect->refresh()) endpoint_.send(daw_, m);
        last_sync_activity_ = after;
      } else if (!all_named && !quiet && after - last_sync_activity_ > std::chrono::seconds(1) &&
                 after >= next_attempt_) {
        // Something answered but no strip followed (a DAW still starting, or only its master or
        // meters got through): set the surface up again rather than wait in this state for good.
        connect();
      } else if ((all_named || quiet) && (complete || refreshes_ >= 3)) {
        refreshes_ = 0;
        gap_refreshes_ = 0;
        gap_backoff_ = std::chrono::milliseconds(500);
        next_gap_refresh_ = after + gap_backoff_;
        port_watch_.forget_closed();
        backoff_ = std::chrono::milliseconds(250);
        if (ever_live_) ++resyncs_;
        ever_live_ = true;
        set_state(LinkState::live);
        query_sends();
      }
    }
    // A quiet DAW is poked now and then: what answers is alive (a stopped transport sends no
    // meters, and a heartbeat is not guaranteed).
    if (state_ == LinkState::live && after >= next_poke_ &&
        after - last_heard_ > options_.liveness_timeout / 3) {
      for (const OscMessage& m : options_.dialect->ping()) endpoint_.send(daw_, m);
      next_poke_ = after + options_.liveness_timeout / 3;
    }
    if (layout_refresh_due_ && after >= next_layout_refresh_) {
      layout_refresh_due_ = false;
      next_layout_refresh_ = after + layout_refresh_interval;
      for (const OscMessage& r : options_.dialect->refresh()) endpoint_.send(daw_, r);
    }
    if (state_ == LinkState::live && after >= next_send_poll_) query_sends();
    if (state_ == LinkState::live) refresh_gaps(after);
    if (state_ == LinkState::live && after - last_heard_ > options_.liveness_timeout) {
      set_state(LinkState::lost);
      next_attempt_ = after;
    }
  } while (Clock::now() < until);
}

void DawLink::handle(const OscPeer& from, const OscMessage& m) {
  // Only the DAW drives the mixer: its host, and the port it answers from (Ardour and REAPER send
  // feedback from their own OSC port). Any other process on the machine is counted, not heard.
  if (from.address.sin_addr.s_addr != daw_.address.sin_addr.s_addr ||
      from.address.sin_port != daw_.address.sin_port) {
    ++not_from_daw_;
    return;
  }
  const auto event = options_.dialect->decode(m);
  if (!event) {
    ++unknown_;
    return;
  }
  last_heard_ = Clock::now();
  if (state_ == LinkState::connecting || state_ == LinkState::lost) {
    // Something answered: set the DAW up now even if what arrived was unprompted (REAPER sends VU
    // to its device address whether or not anyone asked), so a restarted DAW gets the whole set-up.
    const bool was_lost = state_ == LinkState::lost;
    set_state(LinkState::syncing);
    if (was_lost) connect();
    last_sync_activity_ = last_heard_;
    if (ever_live_) heard_.clear();  // re-read everything after a restart
  }
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, StripEvent>) {
          apply(e);
        } else if constexpr (std::is_same_v<T, MasterEvent>) {
          apply_master(e);
        } else if constexpr (std::is_same_v<T, ListEntry>) {
          if (!strip_number(e.ssid)) return;
          heard_[e.ssid].name = true;
          mixer_.name_strip(e.ssid, e.name, e.type, this);
          report(e.ssid, Control::mute, e.mute ? 1.0 : 0.0);
          report(e.ssid, Control::solo, e.solo ? 1.0 : 0.0);
          last_sync_activity_ = last_heard_;
        } else if constexpr (std::is_same_v<T, ListEnd>) {
          // Strips beyond the list belong to an older layout.
          expected_strips_ = 0;
          for (const auto& [ssid, s] : mixer_.strips())
            expected_strips_ = std::max(*expected_strips_, static_cast<std::size_t>(ssid));
        } else if constexpr (std::is_same_v<T, SendList>) {
          apply_sends(e);
        } else if constexpr (std::is_same_v<T, Timecode>) {
          mixer_.set_timecode(e.text, this);
        } else if constexpr (std::is_same_v<T, TransportEvent>) {
          mixer_.set_transport(e.control, e.on, this);
        } else if constexpr (std::is_same_v<T, StripsChanged>) {
          layout_refresh_due_ = true;  // layout changed: read it again (see poll)
        }
      },
      *event);
}

void DawLink::apply(const StripEvent& e) {
  if (!strip_number(e.ssid)) return;
  // A name of " " is Ardour blanking a slot that holds no strip: forget it and what follows for it.
  const bool blank =
      e.control == Control::name && e.text.find_first_not_of(' ') == std::string::npos;
  if (blank) {
    heard_.erase(e.ssid);
    if (mixer_.strip_at(e.ssid)) {
      mixer_.remove_strip(e.ssid, this);
      // Every strip blanked: the DAW closed its session (Ardour does this as it quits). Mirror
      // that as a DAW gone, not as an empty mixer.
      if (mixer_.strips().empty() && state_ == LinkState::live) {
        set_state(LinkState::lost);
        next_attempt_ = Clock::now();
      }
    }
    blank_.insert(e.ssid);
    return;
  }
  if (e.control == Control::name)
    blank_.erase(e.ssid);
  else if (blank_.contains(e.ssid))
    return;
  // Meters never stop; only the strip state a sync delivers counts as sync activity.
  if (state_ == LinkState::syncing && e.control != Control::meter_db)
    last_sync_activity_ = last_heard_;
  switch (e.control) {
    case Control::name:
      heard_[e.ssid].name = true;
      mixer_.name_strip(e.ssid, e.text, {}, this);
      return;
    case Control::gain_db:
      heard_[e.ssid].gain = true;
      [[fallthrough]];
    case Control::trim_db:
    case Control::mute:
    case Control::solo:
    case Control::polarity:
    case Control::pan: {
      const double value = held_value(e.control, e.value);
      // Our own change confirmed: the mixer holds it (or a newer one) already.
      if (echoes_.is_echo(e.ssid, e.control, value)) return;
      report(e.ssid, e.control, value);
      return;
    }
    case Control::meter_db:
      mixer_.set_at(e.ssid, e.control, e.value, this);
      return;
    default:
      return;
  }
}

// A number a strip can have; any other is counted and ignored.
bool DawLink::strip_number(int ssid) {
  if (ssid >= 1 && ssid <= max_strips) return true;
  ++unknown_;
  return false;
}

// DAWs repeat unchanged state (Ardour's full feedback, REAPER's per-track bursts): only a value
// that moved is news.
void DawLink::report(int ssid, MixerControl control, double value) {
  if (const LiveStrip* s = mixer_.strip_at(ssid); s && !s->name.empty())
    if (const auto held = value_of(*s, control); held && same_value(control, *held, value)) return;
  mixer_.set_at(ssid, control, value, this);
}

void DawLink::apply_master(const MasterEvent& e) {
  const std::string master = mixer_.master_node_id();
  switch (e.control) {
    case Control::gain_db:
    case Control::mute: {
      const double value = held_value(e.control, e.value);
      if (echoes_.is_echo(master_strip, e.control, value)) return;
      const auto held =
          e.control == Control::mute
              ? (mixer_.master_mute() ? std::optional<double>(*mixer_.master_mute()) : std::nullopt)
              : mixer_.master_gain_db();
      if (!held || !same_value(e.control, *held, value)) mixer_.set(master, e.control, value, this);
      return;
    }
    case Control::meter_db:
      mixer_.set_meter(master, e.value);
      return;
    default:
      return;
  }
}

bool DawLink::strips_complete() const {
  return std::all_of(mixer_.strips().begin(), mixer_.strips().end(), [&](const auto& s) {
    const auto h = heard_.find(s.first);
    return h != heard_.end() && h->second.name && h->second.gain;
  });
}

bool DawLink::complete() const {
  return state_ == LinkState::live && strips_complete();
}

// A sync that went live with gaps (its datagrams lost to a full socket buffer or a flood from the
// DAW's host) asks again with back-off, so the gaps do not stay until the next restart.
void DawLink::refresh_gaps(Clock::time_point now) {
  if (now < next_gap_refresh_ || gap_refreshes_ >= max_gap_refreshes || strips_complete()) return;
  ++gap_refreshes_;
  for (const OscMessage& m : options_.dialect->refresh()) endpoint_.send(daw_, m);
  next_gap_refresh_ = now + gap_backoff_;
  gap_backoff_ = std::min(gap_backoff_ * 2, std::chrono::milliseconds(8000));
}

void DawLink::query_sends() {
  next_send_poll_ = Clock::now() + options_.send_poll_interval;
  for (const auto& [ssid, s] : mixer_.strips())
    if (const auto m = options_.dialect->query_sends(ssid)) endpoint_.send(daw_, *m);
}

void DawLink::apply_sends(const SendList& list) {
  std::vector<LiveSend> sends;
  for (const SendState& s : list.sends) {
    LiveSend send{{}, s.target_name, s.index, s.level_db, s.active};
    // The target by its strip number when that strip still has the name, else by name alone.
    if (const LiveStrip* target = mixer_.strip_at(s.target_ssid);
        target && target->name == s.target_name)
      send.target_node_id = target->node_id;
    sends.push_back(std::move(send));
  }
  mixer_.set_sends(list.ssid, std::move(sends), this);
}

void DawLink::value_changed(const LiveMixer::ValueChange& c) {
  if (c.node_id == mixer_.master_node_id()) {
    const auto message = options_.dialect->master_control
                             ? options_.dialect->master_control(c.control, c.value)
                             : std::nullopt;
    if (!message) return;
    echoes_.sent(master_strip, c.control, c.value);
    endpoint_.send(daw_, *message);
    return;
  }
  const LiveStrip* s = mixer_.strip(c.node_id);
  if (!s) return;
  if (c.control == Control::send_level) {
    for (const LiveSend& send : s->sends)
      if (send.target_node_id == c.target_node_id) {
        // No feedback for sends: the next read confirms it.
        if (const auto m = options_.dialect->send_level(s->position, send.index, c.value))
          endpoint_.send(daw_, *m);
        return;
      }
    return;
  }
  const auto message = options_.dialect->control(s->position, c.control, c.value);
  if (!message) return;
  echoes_.sent(s->position, c.control, c.value);
  endpoint_.send(daw_, *message);
}

bool DawLink::requested(const MixerRequest& request) {
  if (state_ != LinkState::live && state_ != LinkState::syncing) return false;
  if (const auto* t = std::get_if<TransportRequest>(&request)) {
    if (!options_.dialect->transport) return false;
    const auto message = options_.dialect->transport(t->control);
    return message && endpoint_.send(daw_, *message);
  }
  const auto& b = std::get<PluginBypassRequest>(request);
  if (!options_.dialect->plugin_bypass || b.slot < 1) return false;
  const LiveStrip* s = mixer_.strip(b.node_id);
  if (!s) return false;
  const auto message = options_.dialect->plugin_bypass(s->position, b.slot, b.bypassed);
  return message && endpoint_.send(daw_, *message);
}

std::vector<std::string> DawLink::mismatches() const {
  std::vector<std::string> out = mixer_.mismatches();
  if (state_ != LinkState::live) return out;
  for (const auto& [ssid, s] : mixer_.strips()) {
    const auto h = heard_.find(ssid);
    const bool name = h != heard_.end() && h->second.name;
    const bool gain = h != heard_.end() && h->second.gain;
    if (name && gain) continue;
    out.push_back(fmt::format("strip {} '{}' has not reported its {} since the last sync{}", ssid,
                              s.name, name ? "level" : "name",
                              gap_refreshes_ >= max_gap_refreshes
                                  ? fmt::format(" ({} re-requests unanswered)", gap_refreshes_)
                                  : ""));
  }
  return out;
}

}  // namespace routewise
