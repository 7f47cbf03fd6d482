#include "routewise/protocols/mirror.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <utility>

namespace routewise {
namespace {

using Control = MixerControl;
using Clock = std::chrono::steady_clock;
constexpr int max_gap_refreshes = 8;
constexpr int master_ssid = 0;  // the master's key among pending local changes

bool is_strip_kind(NodeKind k) {
  return k == NodeKind::track || k == NodeKind::bus || k == NodeKind::aux_return ||
         k == NodeKind::stem_bus || k == NodeKind::cue_mix;
}

NodeKind kind_from_type(const std::string& type) {
  if (type == "AT" || type == "MT") return NodeKind::track;
  if (type == "FB") return NodeKind::cue_mix;
  return type.empty() ? NodeKind::track : NodeKind::bus;
}

bool same_value(Control c, double a, double b) {
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) < (c == Control::gain_db || c == Control::trim_db ? 0.01 : 1e-3);
}

// The send edge from -> to in edges, or edges.end(); works on const and mutable edge lists.
template <class Edges>
auto find_send_edge(Edges& edges, const std::string& from, const std::string& to) {
  return std::find_if(edges.begin(), edges.end(), [&](const Edge& e) {
    return e.kind == EdgeKind::send && e.from == from && e.to == to;
  });
}

}  // namespace

std::string_view to_string(MirrorState s) {
  switch (s) {
    case MirrorState::connecting:
      return "connecting";
    case MirrorState::syncing:
      return "syncing";
    case MirrorState::live:
      return "live";
    case MirrorState::lost:
      return "lost";
  }
  return "?";
}

Mirror::Mirror(RouteGraph topology, const MirrorOptions& options)
    : topology_(std::move(topology)),
      options_(options),
      endpoint_(options.listen),
      daw_(make_peer(options.daw_host, options.daw_port)) {
  if (!options_.dialect) options_.dialect = &ardour_dialect();
}

void Mirror::connect() {
  for (const OscMessage& m : options_.dialect->connect(endpoint_.port())) endpoint_.send(daw_, m);
  expected_strips_.reset();
  last_sync_activity_ = Clock::now();
  next_attempt_ = Clock::now() + backoff_;
  // At most a second apart: a restarted DAW is resynced within two seconds of answering again,
  // for the price of one small datagram a second while it is away.
  backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(1000));
}

void Mirror::poll(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  do {
    const auto now = Clock::now();
    if (state_ == MirrorState::connecting || state_ == MirrorState::lost) {
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
    if (state_ == MirrorState::syncing) {
      const bool all_named = expected_strips_ && strips_.size() >= *expected_strips_ &&
                             std::all_of(strips_.begin(), strips_.end(),
                                         [](const auto& s) { return s.second.name_this_sync; });
      // Without a list end (Ardour 7.3 does not always answer /strip/list), a quiet spell ends the
      // sync.
      const bool quiet =
          !expected_strips_ && !strips_.empty() && after - last_sync_activity_ > options_.settle;
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
        state_ = MirrorState::live;
        port_watch_.forget_closed();
        backoff_ = std::chrono::milliseconds(250);
        if (ever_live_) ++resyncs_;
        ever_live_ = true;
        mark_structure_change();
        query_sends();
      }
    }
    // A quiet DAW is poked now and then: what answers is alive (a stopped transport sends no
    // meters, and a heartbeat is not guaranteed).
    if (state_ == MirrorState::live && after >= next_poke_ &&
        after - last_heard_ > options_.liveness_timeout / 3) {
      for (const OscMessage& m : options_.dialect->ping()) endpoint_.send(daw_, m);
      next_poke_ = after + options_.liveness_timeout / 3;
    }
    if (state_ == MirrorState::live && after >= next_send_poll_) query_sends();
    if (state_ == MirrorState::live) refresh_gaps(after);
    if (state_ == MirrorState::live && after - last_heard_ > options_.liveness_timeout) {
      state_ = MirrorState::lost;
      next_attempt_ = after;
    }
  } while (Clock::now() < until);
}

void Mirror::handle(const OscPeer& from, const OscMessage& m) {
  if (from.address.sin_addr.s_addr != daw_.address.sin_addr.s_addr) {
    ++unknown_;  // only the DAW's host may drive the mirror
    return;
  }
  const auto event = options_.dialect->decode(m);
  if (!event) {
    ++unknown_;
    return;
  }
  last_heard_ = Clock::now();
  if (state_ == MirrorState::connecting || state_ == MirrorState::lost) {
    // Something answered: set the DAW up now even if what arrived was unprompted (REAPER sends VU
    // to its device address whether or not anyone asked), so a restarted DAW gets the whole set-up.
    const bool was_lost = state_ == MirrorState::lost;
    state_ = MirrorState::syncing;
    if (was_lost) connect();
    last_sync_activity_ = last_heard_;
    if (ever_live_) {
      for (auto& [ssid, s] : strips_) {  // re-read everything after a restart
        s.name_this_sync = false;
        s.gain_this_sync = false;
      }
    }
  }
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, StripEvent>) {
          apply(e);
        } else if constexpr (std::is_same_v<T, MasterEvent>) {
          apply_master(e);
        } else if constexpr (std::is_same_v<T, ListEntry>) {
          StripState& s = strips_[e.ssid];
          s.ssid = e.ssid;
          s.type = e.type;
          s.name_this_sync = true;
          if (s.name != e.name) {
            s.name = e.name;
            match(s);
          }
          s.mute = e.mute;
          s.solo = e.solo;
          last_sync_activity_ = last_heard_;
        } else if constexpr (std::is_same_v<T, ListEnd>) {
          // Strips beyond the list belong to an older layout.
          expected_strips_ = 0;
          for (const auto& [ssid, s] : strips_)
            expected_strips_ = std::max(*expected_strips_, static_cast<std::size_t>(ssid));
        } else if constexpr (std::is_same_v<T, SendList>) {
          apply_sends(e);
        } else if constexpr (std::is_same_v<T, Timecode>) {
          timecode_ = e.text;
        } else if constexpr (std::is_same_v<T, TransportEvent>) {
          if (e.control == TransportControl::play) playing_ = e.on;
          if (e.control == TransportControl::stop && e.on) playing_ = false;
          if (e.control == TransportControl::record) recording_ = e.on;
        } else if constexpr (std::is_same_v<T, StripsChanged>) {
          for (const OscMessage& r : options_.dialect->refresh())
            endpoint_.send(daw_, r);  // layout changed: read it again
        }
      },
      *event);
}

void Mirror::match(StripState& s) {
  const std::string previous = s.node_id;
  s.node_id.clear();
  for (const Node& n : topology_.nodes)
    if (is_strip_kind(n.kind) && n.name == s.name) {
      s.node_id = n.id;
      break;
    }
  if (s.node_id.empty() && !previous.empty() &&
      std::none_of(strips_.begin(), strips_.end(), [&](const auto& o) {
        return o.second.ssid != s.ssid && o.second.node_id == previous;
      }))
    s.node_id = previous;  // a rename in the DAW: same strip, same node, new name
  if (s.node_id.empty()) s.node_id = "strip-" + std::to_string(s.ssid);
  mark_structure_change();
}

void Mirror::apply(const StripEvent& e) {
  // A name of " " is Ardour blanking a slot that holds no strip: forget it and what follows for it.
  const bool blank =
      e.control == Control::name && e.text.find_first_not_of(' ') == std::string::npos;
  if (blank) {
    if (strips_.erase(e.ssid) > 0) {
      mark_structure_change();
      // Every strip blanked: the DAW closed its session (Ardour does this as it quits). Mirror
      // that as a DAW gone, not as an empty mixer.
      if (strips_.empty() && state_ == MirrorState::live) {
        state_ = MirrorState::lost;
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
  StripState& s = strips_[e.ssid];
  s.ssid = e.ssid;
  // Meters never stop; only the strip state a sync delivers counts as sync activity.
  if (state_ == MirrorState::syncing && e.control != Control::meter_db)
    last_sync_activity_ = last_heard_;
  double before = 0;
  switch (e.control) {
    case Control::name:
      s.name_this_sync = true;
      if (e.text != s.name) {
        s.name = e.text;
        match(s);
      }
      return;
    case Control::gain_db:
      before = s.has_gain ? s.gain_db : NAN;
      s.gain_db = e.value;
      s.has_gain = s.gain_this_sync = true;
      break;
    case Control::trim_db:
      before = std::exchange(s.trim_db, e.value);
      break;
    case Control::mute:
      before = std::exchange(s.mute, e.value > 0.5);
      break;
    case Control::solo:
      before = std::exchange(s.solo, e.value > 0.5);
      break;
    case Control::polarity:
      before = std::exchange(s.polarity, e.value > 0.5);
      break;
    case Control::pan:
      before = std::exchange(s.pan, e.value);
      break;
    case Control::meter_db:
      s.meter_db = e.value;
      return;  // meters are state, not changes
    default:
      return;
  }
  // DAWs repeat unchanged state (Ardour's full feedback, REAPER's per-track bursts): only a value
  // that moved is a change.
  const double after =
      e.control == Control::mute || e.control == Control::solo || e.control == Control::polarity
          ? (e.value > 0.5 ? 1.0 : 0.0)
          : e.value;
  if (!std::isnan(before) && same_value(e.control, before, after)) return;
  notify(s.node_id, e.control, after, e.ssid);
}

void Mirror::apply_master(const MasterEvent& e) {
  switch (e.control) {
    case Control::gain_db: {
      const auto before = std::exchange(master_gain_db_, e.value);
      if (!before || !same_value(e.control, *before, e.value))
        notify(master_node_id(), e.control, e.value, master_ssid);
      break;
    }
    case Control::mute: {
      const auto before = std::exchange(master_mute_, e.value > 0.5);
      if (before != master_mute_)
        notify(master_node_id(), e.control, e.value > 0.5 ? 1.0 : 0.0, master_ssid);
      break;
    }
    case Control::meter_db:
      master_meter_db_ = e.value;
      break;
    default:
      break;
  }
}

void Mirror::notify(const std::string& node, Control c, double value, int ssid) {
  Origin origin = Origin::daw;
  const auto it = pending_.find({ssid, c});
  if (it != pending_.end()) {
    auto& sent = it->second;
    const auto now = Clock::now();
    std::erase_if(sent, [&](const auto& p) { return now - p.second > std::chrono::seconds(2); });
    // The DAW answers in order: an echo settles its change and every older one.
    const auto match = std::find_if(sent.begin(), sent.end(),
                                    [&](const auto& p) { return same_value(c, p.first, value); });
    if (match != sent.end()) {
      origin = Origin::local_echo;
      sent.erase(sent.begin(), match + 1);
    }
    if (sent.empty()) pending_.erase(it);
  }
  if (listener_) listener_({node, {}, c, value, origin});
}

void Mirror::mark_structure_change() {
  ++structure_version_;
}

bool Mirror::strips_complete() const {
  return std::all_of(strips_.begin(), strips_.end(), [](const auto& s) {
    return s.second.name_this_sync && s.second.gain_this_sync;
  });
}

bool Mirror::complete() const {
  return state_ == MirrorState::live && strips_complete();
}

// A sync that went live with gaps (its datagrams lost to a full socket buffer or a flood from the
// DAW's host) asks again with back-off, so the gaps do not stay until the next restart.
void Mirror::refresh_gaps(Clock::time_point now) {
  if (now < next_gap_refresh_ || gap_refreshes_ >= max_gap_refreshes || strips_complete()) return;
  ++gap_refreshes_;
  for (const OscMessage& m : options_.dialect->refresh()) endpoint_.send(daw_, m);
  next_gap_refresh_ = now + gap_backoff_;
  gap_backoff_ = std::min(gap_backoff_ * 2, std::chrono::milliseconds(8000));
}

void Mirror::query_sends() {
  next_send_poll_ = Clock::now() + options_.send_poll_interval;
  for (const auto& [ssid, s] : strips_)
    if (const auto m = options_.dialect->query_sends(ssid)) endpoint_.send(daw_, *m);
}

std::string Mirror::node_of_send_target(const SendState& send) const {
  if (const auto it = strips_.find(send.target_ssid);
      it != strips_.end() && it->second.name == send.target_name)
    return it->second.node_id;
  for (const auto& [ssid, s] : strips_)
    if (s.name == send.target_name) return s.node_id;
  return {};
}

void Mirror::apply_sends(const SendList& list) {
  const auto it = strips_.find(list.ssid);
  if (it == strips_.end()) return;
  StripState& s = it->second;
  const std::vector<SendState> before = std::exchange(s.sends, list.sends);
  const bool first = !std::exchange(s.sends_known, true);
  for (const SendState& now : s.sends) {
    const auto old = std::find_if(before.begin(), before.end(),
                                  [&](const SendState& b) { return b.index == now.index; });
    if (first || (old != before.end() && same_value(Control::gain_db, old->level_db, now.level_db)))
      continue;
    if (listener_)
      listener_(
          {s.node_id, node_of_send_target(now), Control::send_level, now.level_db, Origin::daw});
  }
}

bool Mirror::set_send(const std::string& node_id, const std::string& target_node_id,
                      double level_db) {
  for (auto& [ssid, s] : strips_) {
    if (s.node_id != node_id) continue;
    for (SendState& send : s.sends) {
      if (node_of_send_target(send) != target_node_id) continue;
      const auto message = options_.dialect->send_level(ssid, send.index, level_db);
      if (!message) return false;
      send.level_db = level_db;  // no feedback for sends: the next read confirms it
      if (listener_)
        listener_({node_id, target_node_id, Control::send_level, level_db, Origin::local});
      return endpoint_.send(daw_, *message);
    }
  }
  return false;
}

void Mirror::remember_pending(int ssid, Control control, double value) {
  auto& sent = pending_[{ssid, control}];
  sent.emplace_back(value, Clock::now());
  if (sent.size() > 64) sent.pop_front();  // a DAW that never echoes must not grow this
}

std::string Mirror::master_node_id() const {
  for (const Node& n : topology_.nodes)
    if (n.kind == NodeKind::master) return n.id;
  return "master";
}

bool Mirror::transport(TransportControl control) {
  if (!options_.dialect->transport) return false;
  const auto message = options_.dialect->transport(control);
  return message && endpoint_.send(daw_, *message);
}

bool Mirror::set_plugin_bypass(const std::string& node_id, int slot, bool bypassed) {
  if (!options_.dialect->plugin_bypass || slot < 1) return false;
  for (const auto& [ssid, s] : strips_)
    if (s.node_id == node_id)
      return endpoint_.send(daw_, *options_.dialect->plugin_bypass(ssid, slot, bypassed));
  return false;
}

bool Mirror::set(const std::string& node_id, Control control, double value) {
  if (node_id == master_node_id()) {
    if (state_ != MirrorState::live && state_ != MirrorState::syncing) return false;
    const auto message = options_.dialect->master_control
                             ? options_.dialect->master_control(control, value)
                             : std::nullopt;
    if (!message) return false;
    remember_pending(master_ssid, control, value);
    if (listener_) listener_({node_id, {}, control, value, Origin::local});
    return endpoint_.send(daw_, *message);
  }
  for (auto& [ssid, s] : strips_) {
    if (s.node_id != node_id) continue;
    if (state_ != MirrorState::live && state_ != MirrorState::syncing) return false;
    const auto message = options_.dialect->control(ssid, control, value);
    if (!message) return false;
    remember_pending(ssid, control, value);
    if (listener_) listener_({node_id, {}, control, value, Origin::local});
    return endpoint_.send(daw_, *message);
  }
  return false;
}

RouteGraph Mirror::graph() const {
  RouteGraph g = topology_;
  std::map<std::string, const StripState*> by_node;
  for (const auto& [ssid, s] : strips_)
    if (!s.name.empty()) by_node[s.node_id] = &s;
  for (Node& n : g.nodes) {
    if (n.kind == NodeKind::master) {
      if (master_gain_db_) n.fader_db = std::min(*master_gain_db_, 24.0);
      if (master_mute_) n.mute = *master_mute_;
      if (master_meter_db_ && std::isfinite(*master_meter_db_))
        n.measured.peak_dbfs = *master_meter_db_;
      continue;
    }
    const auto it = by_node.find(n.id);
    if (it == by_node.end()) continue;
    const StripState& s = *it->second;
    n.name = s.name;
    if (s.has_gain) n.fader_db = std::min(s.gain_db, 24.0);
    n.trim_db = std::clamp(s.trim_db, -96.0, 48.0);
    n.mute = s.mute;
    n.solo = s.solo;
    n.polarity_inverted = s.polarity;
    n.pan = std::clamp(s.pan, -1.0, 1.0);
    if (s.meter_db && std::isfinite(*s.meter_db)) n.measured.peak_dbfs = *s.meter_db;
    by_node.erase(it);
  }
  // Send levels read from the DAW replace the session file's; sends it does not have are added.
  for (const auto& entry : strips_) {
    const StripState& s = entry.second;  // a plain reference: clang 14 cannot capture bindings
    if (!s.sends_known || s.name.empty()) continue;
    for (const SendState& send : s.sends) {
      const std::string target = node_of_send_target(send);
      if (target.empty()) continue;
      auto edge = find_send_edge(g.edges, s.node_id, target);
      if (edge == g.edges.end()) {
        Edge e;
        e.kind = EdgeKind::send;
        e.from = s.node_id;
        e.to = target;
        edge = g.edges.insert(g.edges.end(), std::move(e));
      }
      edge->level_db = std::min(send.level_db, 24.0);
      edge->mute = !send.active;
    }
  }
  // Strips the topology does not know: mirrored as nodes without routing (said in mismatches()).
  for (const auto& [node_id, s] : by_node) {
    Node n;
    n.id = node_id;
    n.name = s->name;
    n.kind = kind_from_type(s->type);
    n.fader_db = std::min(s->gain_db, 24.0);
    n.mute = s->mute;
    n.solo = s->solo;
    g.nodes.push_back(std::move(n));
  }
  canonicalize_edges(g);
  if (g.session.name.empty()) g.session.name = "Live mirror";
  if (g.session.source_daw.empty()) g.session.source_daw = "Ardour (OSC mirror)";
  return g;
}

std::vector<std::string> Mirror::mismatches() const {
  std::vector<std::string> out;
  std::set<std::string> mirrored;
  for (const auto& [ssid, s] : strips_) {
    if (s.name.empty()) continue;
    mirrored.insert(s.node_id);
    if (s.node_id.rfind("strip-", 0) == 0 && !topology_.nodes.empty())
      out.push_back(
          fmt::format("strip {} '{}' is on the DAW's mixer but not in the session file; mirrored "
                      "without routing",
                      ssid, s.name));
  }
  for (const Node& n : topology_.nodes)
    if (is_strip_kind(n.kind) && !mirrored.contains(n.id))
      out.push_back(fmt::format("'{}' is in the session file but not on the DAW's mixer", n.name));
  if (state_ == MirrorState::live)
    for (const auto& [ssid, s] : strips_)
      if (!s.name_this_sync || !s.gain_this_sync)
        out.push_back(fmt::format("strip {} '{}' has not reported its {} since the last sync{}",
                                  ssid, s.name, s.name_this_sync ? "level" : "name",
                                  gap_refreshes_ >= max_gap_refreshes
                                      ? fmt::format(" ({} re-requests unanswered)", gap_refreshes_)
                                      : ""));
  for (const auto& entry : strips_) {
    const StripState& s = entry.second;  // a plain reference: clang 14 cannot capture bindings
    if (!s.sends_known || topology_.nodes.empty()) continue;
    for (const SendState& send : s.sends) {
      const std::string target = node_of_send_target(send);
      if (find_send_edge(topology_.edges, s.node_id, target) == topology_.edges.end())
        out.push_back(fmt::format(
            "the send from '{}' to '{}' is on the DAW's mixer but not in the session file", s.name,
            send.target_name));
    }
  }
  return out;
}

}  // namespace routewise
