#include "routewise/live/live_mixer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "routewise/model/fader_law.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

using Control = MixerControl;

bool is_strip_kind(NodeKind k) {
  return k == NodeKind::track || k == NodeKind::bus || k == NodeKind::aux_return ||
         k == NodeKind::stem_bus || k == NodeKind::cue_mix;
}

NodeKind kind_from_type(const std::string& type) {
  if (type == "AT" || type == "MT") return NodeKind::track;
  if (type == "FB") return NodeKind::cue_mix;
  return type.empty() ? NodeKind::track : NodeKind::bus;
}

// The send edge from -> to in edges, or edges.end(); works on const and mutable edge lists.
template <class Edges>
auto find_send_edge(Edges& edges, const std::string& from, const std::string& to) {
  return std::find_if(edges.begin(), edges.end(), [&](const Edge& e) {
    return e.kind == EdgeKind::send && e.from == from && e.to == to;
  });
}

// Whether a value from a peer (the DAW, a surface, the GUI) can stand in the mirror: a NaN or
// +inf fader, a NaN pan or a meter above any real reading (+1e30 dBFS from a spoofing process)
// would reach the findings and the stored snapshots, which refuse them.
bool usable(Control control, double value) {
  if (std::isnan(value)) return false;
  switch (control) {
    case Control::gain_db:
    case Control::send_level:
      return value < std::numeric_limits<double>::infinity();
    case Control::meter_db:
      return value <= max_meter_dbfs;
    default:
      return std::isfinite(value);
  }
}

// Keeps a control's value on the strip (nothing for controls a strip does not hold).
void hold(LiveStrip& s, Control control, double value) {
  switch (control) {
    case Control::gain_db:
      s.gain_db = value;
      s.has_gain = true;
      break;
    case Control::trim_db:
      s.trim_db = value;
      break;
    case Control::mute:
      s.mute = value > 0.5;
      break;
    case Control::solo:
      s.solo = value > 0.5;
      break;
    case Control::polarity:
      s.polarity = value > 0.5;
      break;
    case Control::pan:
      s.pan = value;
      break;
    case Control::meter_db:
      s.meter_db = value;
      break;
    default:
      break;
  }
}

}  // namespace

std::optional<double> value_of(const LiveStrip& s, MixerControl control) {
  switch (control) {
    case Control::gain_db:
      return s.has_gain ? std::optional<double>(s.gain_db) : std::nullopt;
    case Control::trim_db:
      return s.trim_db;
    case Control::pan:
      return s.pan;
    case Control::mute:
      return s.mute ? 1.0 : 0.0;
    case Control::solo:
      return s.solo ? 1.0 : 0.0;
    case Control::polarity:
      return s.polarity ? 1.0 : 0.0;
    case Control::meter_db:
      return s.meter_db;
    default:
      return std::nullopt;
  }
}

std::string_view to_string(LinkState s) {
  switch (s) {
    case LinkState::connecting:
      return "connecting";
    case LinkState::syncing:
      return "syncing";
    case LinkState::live:
      return "live";
    case LinkState::lost:
      return "lost";
  }
  return "?";
}

LiveMixer::LiveMixer(RouteGraph topology) : topology_(std::move(topology)) {
  for (const Node& n : topology_.nodes)
    if (n.kind == NodeKind::master) {
      master_id_ = n.id;
      break;
    }
}

void LiveMixer::add_listener(Listener& listener) {
  if (std::find(listeners_.begin(), listeners_.end(), &listener) == listeners_.end())
    listeners_.push_back(&listener);
}

void LiveMixer::remove_listener(Listener& listener) {
  std::erase(listeners_, &listener);
}

template <typename Call>
void LiveMixer::each_listener_but(const Listener* origin, Call call) {
  // A listener may add or remove listeners while told (a surface stopped from the GUI): tell the
  // ones registered when the change happened and are still registered.
  const std::vector<Listener*> now = listeners_;
  for (Listener* l : now)
    if (l != origin && std::find(listeners_.begin(), listeners_.end(), l) != listeners_.end())
      call(*l);
}

void LiveMixer::tell(const ValueChange& change) {
  ++version_;
  each_listener_but(change.origin, [&](Listener& l) { l.value_changed(change); });
}

void LiveMixer::structure_changed(const Listener* origin) {
  ++version_;
  ++structure_version_;
  each_listener_but(origin, [](Listener& l) { l.structure_changed(); });
}

const LiveStrip* LiveMixer::strip_at(int position) const {
  const auto it = strips_.find(position);
  return it == strips_.end() ? nullptr : &it->second;
}

const LiveStrip* LiveMixer::strip(const std::string& node_id) const {
  for (const auto& [position, s] : strips_)
    if (s.node_id == node_id && !s.name.empty()) return &s;
  return nullptr;
}

LiveStrip* LiveMixer::find(const std::string& node_id) {
  return const_cast<LiveStrip*>(std::as_const(*this).strip(node_id));
}

bool LiveMixer::any_solo() const {
  return std::any_of(strips_.begin(), strips_.end(), [](const auto& e) { return e.second.solo; });
}

bool LiveMixer::set(const std::string& node_id, Control control, double value,
                    const Listener* origin) {
  if (!writable() || !usable(control, value)) return false;
  value = held_value(control, value);
  if (node_id == master_node_id()) {
    // The master's other controls are not mirrored; the DAW link may still carry them.
    if (control == Control::gain_db) master_gain_db_ = value;
    if (control == Control::mute) master_mute_ = value > 0.5;
    tell({node_id, {}, control, value, origin});
    return true;
  }
  LiveStrip* s = find(node_id);
  if (!s) return false;
  change(*s, control, value, origin);
  return true;
}

void LiveMixer::change(LiveStrip& s, Control control, double value, const Listener* origin) {
  // Controls not mirrored (select, record-enable) are passed on for the DAW to act on.
  hold(s, control, value);
  if (control == Control::meter_db) {
    ++version_;  // state, not news
    return;
  }
  tell({s.node_id, {}, control, value, origin});
}

bool LiveMixer::set_send(const std::string& node_id, const std::string& target_node_id,
                         double level_db, const Listener* origin) {
  if (!writable() || !usable(Control::send_level, level_db)) return false;
  LiveStrip* s = find(node_id);
  if (!s) return false;
  for (LiveSend& send : s->sends) {
    if (send.target_node_id != target_node_id) continue;
    send.level_db = level_db;
    tell({node_id, target_node_id, Control::send_level, level_db, origin});
    return true;
  }
  return false;
}

void LiveMixer::set_meter(const std::string& node_id, double level_db) {
  if (!usable(Control::meter_db, level_db)) return;
  if (node_id == master_node_id()) {
    master_meter_db_ = level_db;
  } else if (LiveStrip* s = find(node_id)) {
    s->meter_db = level_db;
  } else {
    return;
  }
  ++version_;
}

bool LiveMixer::request(const MixerRequest& request, const Listener* origin) {
  bool done = false;
  each_listener_but(origin, [&](Listener& l) { done = l.requested(request) || done; });
  return done;
}

void LiveMixer::match(LiveStrip& s) {
  const std::string previous = s.node_id;
  s.node_id.clear();
  for (const Node& n : topology_.nodes)
    if (is_strip_kind(n.kind) && n.name == s.name) {
      s.node_id = n.id;
      break;
    }
  if (s.node_id.empty() && !previous.empty() &&
      std::none_of(strips_.begin(), strips_.end(), [&](const auto& o) {
        return o.second.position != s.position && o.second.node_id == previous;
      }))
    s.node_id = previous;  // a rename in the DAW: same strip, same node, new name
  if (s.node_id.empty()) s.node_id = "strip-" + std::to_string(s.position);
}

void LiveMixer::name_strip(int position, const std::string& name, const std::string& type,
                           const Listener* origin) {
  // A blank name is no name (a track cannot be renamed to nothing in a DAW): keep the one held.
  if (name.find_first_not_of(" \t\r\n\v\f") == std::string::npos) return;
  LiveStrip& s = strips_[position];
  s.position = position;
  if (!type.empty()) s.type = type;
  if (s.name == name) return;
  s.name = name;
  match(s);
  for (auto& [p, other] : strips_)  // a send whose target was this name finds it now
    for (LiveSend& send : other.sends) send.target_node_id = node_of_send_target(send);
  structure_changed(origin);
}

void LiveMixer::set_at(int position, Control control, double value, const Listener* origin) {
  if (!usable(control, value)) return;
  LiveStrip& s = strips_[position];
  s.position = position;
  if (s.name.empty()) {
    hold(s, control, value);
    return;
  }
  if (!writable()) return;
  change(s, control, held_value(control, value), origin);
}

void LiveMixer::remove_strip(int position, const Listener* origin) {
  if (strips_.erase(position) > 0) structure_changed(origin);
}

std::string LiveMixer::node_of_send_target(const LiveSend& send) const {
  for (const auto& [position, s] : strips_)
    if (s.name == send.target_name && !s.name.empty()) return s.node_id;
  return {};
}

void LiveMixer::set_sends(int position, std::vector<LiveSend> sends, const Listener* origin) {
  const auto it = strips_.find(position);
  if (it == strips_.end()) return;
  LiveStrip& s = it->second;
  std::erase_if(sends,
                [](const LiveSend& send) { return !usable(Control::send_level, send.level_db); });
  for (LiveSend& send : sends)
    if (send.target_node_id.empty()) send.target_node_id = node_of_send_target(send);
  const std::vector<LiveSend> before = std::exchange(s.sends, std::move(sends));
  const bool first = !std::exchange(s.sends_known, true);
  if (first || before.size() != s.sends.size()) ++version_;  // graph() gains or loses sends
  // A send that is new, feeds another node, or moved its level is told as its level's change.
  for (const LiveSend& now : s.sends) {
    const auto old = std::find_if(before.begin(), before.end(),
                                  [&](const LiveSend& b) { return b.index == now.index; });
    const bool same_send = old != before.end() && old->target_node_id == now.target_node_id;
    if (same_send && old->active != now.active) ++version_;
    if (first || !same_send || !same_value(Control::send_level, old->level_db, now.level_db))
      tell({s.node_id, now.target_node_id, Control::send_level, now.level_db, origin});
  }
}

void LiveMixer::set_timecode(const std::string& text, const Listener* origin) {
  if (timecode_ == text) return;
  timecode_ = text;
  each_listener_but(origin, [](Listener& l) { l.transport_changed(); });
}

void LiveMixer::set_transport(TransportControl control, bool on, const Listener* origin) {
  const bool was_playing = playing_, was_recording = recording_;
  if (control == TransportControl::play) playing_ = on;
  if (control == TransportControl::stop && on) playing_ = false;
  if (control == TransportControl::record) recording_ = on;
  if (playing_ != was_playing || recording_ != was_recording)
    each_listener_but(origin, [](Listener& l) { l.transport_changed(); });
}

void LiveMixer::set_link(LinkState state, const Listener* origin) {
  if (link_ == state) return;
  link_ = state;
  ++version_;
  each_listener_but(origin, [&](Listener& l) { l.link_changed(state); });
}

const RouteGraph& LiveMixer::graph() const {
  if (graph_version_ == version_) return graph_;
  RouteGraph g = topology_;
  std::map<std::string, const LiveStrip*> by_node;
  for (const auto& [position, s] : strips_)
    if (!s.name.empty()) by_node[s.node_id] = &s;
  for (Node& n : g.nodes) {
    if (n.kind == NodeKind::master) {
      if (master_gain_db_) n.fader_db = clamp_fader_db(*master_gain_db_);
      if (master_mute_) n.mute = *master_mute_;
      if (master_meter_db_ && std::isfinite(*master_meter_db_))
        n.measured.peak_dbfs = *master_meter_db_;
      continue;
    }
    const auto it = by_node.find(n.id);
    if (it == by_node.end()) continue;
    const LiveStrip& s = *it->second;
    n.name = s.name;
    if (s.has_gain) n.fader_db = clamp_fader_db(s.gain_db);
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
    const LiveStrip& s = entry.second;  // a plain reference: clang 14 cannot capture bindings
    if (!s.sends_known || s.name.empty()) continue;
    for (const LiveSend& send : s.sends) {
      if (send.target_node_id.empty()) continue;
      auto edge = find_send_edge(g.edges, s.node_id, send.target_node_id);
      if (edge == g.edges.end()) {
        Edge e;
        e.kind = EdgeKind::send;
        e.from = s.node_id;
        e.to = send.target_node_id;
        edge = g.edges.insert(g.edges.end(), std::move(e));
      }
      edge->level_db = clamp_fader_db(send.level_db);
      edge->mute = !send.active;
    }
  }
  // Strips the topology does not know: mirrored as nodes without routing (said in mismatches()).
  for (const auto& [node_id, s] : by_node) {
    Node n;
    n.id = node_id;
    n.name = s->name;
    n.kind = kind_from_type(s->type);
    n.fader_db = clamp_fader_db(s->gain_db);
    n.mute = s->mute;
    n.solo = s->solo;
    g.nodes.push_back(std::move(n));
  }
  canonicalize_edges(g);
  if (g.session.name.empty()) g.session.name = "Live mirror";
  if (g.session.source_daw.empty()) g.session.source_daw = "Ardour (OSC mirror)";
  graph_ = std::move(g);
  graph_version_ = version_;
  return graph_;
}

std::vector<std::string> LiveMixer::mismatches() const {
  std::vector<std::string> out;
  std::set<std::string> mirrored;
  for (const auto& [position, s] : strips_) {
    if (s.name.empty()) continue;
    mirrored.insert(s.node_id);
    if (s.node_id.rfind("strip-", 0) == 0 && !topology_.nodes.empty())
      out.push_back("strip " + std::to_string(position) + " '" + s.name +
                    "' is on the DAW's mixer but not in the session file; mirrored without "
                    "routing");
  }
  for (const Node& n : topology_.nodes)
    if (is_strip_kind(n.kind) && !mirrored.contains(n.id))
      out.push_back("'" + n.name + "' is in the session file but not on the DAW's mixer");
  for (const auto& entry : strips_) {
    const LiveStrip& s = entry.second;  // a plain reference: clang 14 cannot capture bindings
    if (!s.sends_known || topology_.nodes.empty()) continue;
    for (const LiveSend& send : s.sends)
      if (find_send_edge(topology_.edges, s.node_id, send.target_node_id) == topology_.edges.end())
        out.push_back("the send from '" + s.name + "' to '" + send.target_name +
                      "' is on the DAW's mixer but not in the session file");
  }
  return out;
}

}  // namespace routewise
