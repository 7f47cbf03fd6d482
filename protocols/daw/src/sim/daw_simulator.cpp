#include "routewise/daw/daw_simulator.hpp"

#include <fmt/format.h>

#include <cmath>

#include "routewise/model/fader_law.hpp"
#include "routewise/model/graph_index.hpp"
#include "routewise/model/level_estimate.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

using ardour::Control;

bool is_strip(NodeKind k) {
  return k == NodeKind::track || k == NodeKind::bus || k == NodeKind::aux_return ||
         k == NodeKind::stem_bus || k == NodeKind::cue_mix;
}

std::string type_code(NodeKind k) {
  switch (k) {
    case NodeKind::track:
      return "AT";
    case NodeKind::cue_mix:
      return "FB";
    default:
      return "B";
  }
}

double max_gain_db() {
  return amplitude_to_db(2.0);
}

// Ardour's default (manual reply port) mode keeps one surface per host, whatever port it sends
// from.
OscPeer host_of(OscPeer peer) {
  peer.address.sin_port = 0;
  return peer;
}

}  // namespace

DawSimulator::DawSimulator(RouteGraph session, const SimulatorOptions& options)
    : session_(std::move(session)), options_(options), endpoint_(options.endpoint) {
  rebuild_strips();
  recompute_levels();
  start_ = next_meter_ = next_heartbeat_ = last_periodic_ = std::chrono::steady_clock::now();
}

void DawSimulator::rebuild_strips() {
  strips_.clear();
  for (std::size_t i = 0; i < session_.nodes.size(); ++i)
    if (is_strip(session_.nodes[i].kind)) strips_.push_back(i);
  recompute_implied_solo();
}

// As Ardour 7.3 reports it over OSC (measured): soloing a track also shows the buses it feeds
// (outputs and sends, on down) as soloed, and soloing a bus the tracks that feed it.
void DawSimulator::recompute_implied_solo() {
  const GraphIndex index(session_);
  implied_solo_.assign(session_.nodes.size(), false);
  for (NodeIndex n = 0; n < index.node_count(); ++n) {
    if (!session_.nodes[n].solo) continue;
    for (const auto& related :
         {reachable_from(index, n, EdgeFilter::audio()), reaching(index, n, EdgeFilter::audio())})
      for (std::size_t i = 0; i < related.size(); ++i)
        if (related[i] && i != n) implied_solo_[i] = true;
  }
}

bool DawSimulator::reported_solo(int ssid) const {
  const std::size_t n = strips_.at(static_cast<std::size_t>(ssid - 1));
  return session_.nodes[n].solo || implied_solo_[n];
}

// Meters show the programme level the session's sources produce at each node.
void DawSimulator::recompute_levels() {
  const GraphIndex index(session_);
  const std::vector<NodeLevel> levels = estimate_levels(index);
  level_dbfs_.assign(session_.nodes.size(), minus_inf_db);
  for (std::size_t n = 0; n < levels.size(); ++n)
    level_dbfs_[n] = levels[n].output_dbfs.value_or(minus_inf_db);
}

const Node& DawSimulator::strip(int ssid) const {
  return session_.nodes.at(strips_.at(static_cast<std::size_t>(ssid - 1)));
}
Node& DawSimulator::node_of(int ssid) {
  return session_.nodes.at(strips_.at(static_cast<std::size_t>(ssid - 1)));
}

Node* DawSimulator::master() {
  for (Node& n : session_.nodes)
    if (n.kind == NodeKind::master) return &n;
  return nullptr;
}

void DawSimulator::poll(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  do {
    const auto now = std::chrono::steady_clock::now();
    const auto next = std::min(next_meter_, next_heartbeat_);
    const auto wait = std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(std::min(next, until) - now));
    endpoint_.poll(wait, [this](const OscPeer& from, const OscMessage& m) { handle(from, m); });
    periodic();
  } while (std::chrono::steady_clock::now() < until);
}

void DawSimulator::handle(const OscPeer& sender, const OscMessage& m) {
  const OscPeer from = host_of(sender);
  const std::string& p = m.path;
  if (p == "/set_surface") return handle_set_surface(sender, m);
  const auto it = surfaces_.find(from);
  if (p == "/strip/list") {
    // Ardour answers on the surface's reply address; an unknown sender gets default settings.
    auto [s, fresh] = surfaces_.try_emplace(
        from, Surface{sender, ardour::SurfaceSettings{0, 31, 0, 0, 0, 0, 0}, {}, 1e9});
    (void)fresh;
    reply_strip_list(s->second);
    return full_feedback(s->second);
  }
  if (p == "/refresh") {
    if (it != surfaces_.end()) full_feedback(it->second);
    return;
  }
  if (p.starts_with("/strip/"))
    return handle_strip(from, m);  // answers go to the surface's reply address
  if (p.starts_with("/master/")) return handle_master(m);
  if (p == "/transport_frame") {  // the playhead in samples, to the surface that asked
    if (it != surfaces_.end())
      endpoint_.send(
          it->second.reply_to,
          OscMessage{"/transport_frame",
                     {static_cast<std::int64_t>(playhead_s_ * session_.session.sample_rate_hz)}});
    return;
  }
  if (p == "/transport_play" || p == "/transport_stop" || p == "/rec_enable_toggle" ||
      p == "/rewind" || p == "/ffwd")
    return handle_transport(p);
  ++unknown_;
}

void DawSimulator::handle_set_surface(const OscPeer& from, const OscMessage& m) {
  if (m.args.empty()) {  // a query: answer with the surface's settings, change nothing
    const auto it = surfaces_.find(host_of(from));
    const ardour::SurfaceSettings s =
        it == surfaces_.end() ? ardour::SurfaceSettings{} : it->second.settings;
    endpoint_.send(it == surfaces_.end() ? from : it->second.reply_to,
                   OscMessage{"/set_surface",
                              {std::int32_t{s.bank_size}, std::int32_t{s.strip_types},
                               std::int32_t{s.feedback}, std::int32_t{s.gainmode},
                               std::int32_t{s.send_page_size}, std::int32_t{s.plugin_page_size},
                               std::int32_t{0}, std::int32_t{0}, std::int32_t{s.reply_port}}});
    return;
  }
  ardour::SurfaceSettings s;
  const auto arg = [&](std::size_t i, int fallback) { return m.whole(i).value_or(fallback); };
  s.bank_size = arg(0, 0);
  s.strip_types = arg(1, 31);
  s.feedback = arg(2, 0);
  s.gainmode = arg(3, 0);
  s.send_page_size = arg(4, 0);
  s.plugin_page_size = arg(5, 0);
  s.reply_port = arg(6, 0);
  OscPeer reply = from;
  if (s.reply_port > 1024) reply.address.sin_port = htons(static_cast<std::uint16_t>(s.reply_port));
  // One surface per host: a second /set_surface from the same host replaces the first.
  const OscPeer key = host_of(from);
  surfaces_.erase(key);
  Surface& surface = surfaces_[key];
  surface = Surface{reply, s, {}, 1e9};
  full_feedback(surface);
}

// A strip's aux sends in processor order: the edges from its node to other strips.
std::vector<Edge*> DawSimulator::sends_of(int ssid) {
  std::vector<Edge*> out;
  for (Edge& e : session_.edges)
    if (e.kind == EdgeKind::send && e.from == node_of(ssid).id) out.push_back(&e);
  return out;
}

int DawSimulator::ssid_of(const std::string& node_id) const {
  for (std::size_t i = 0; i < strips_.size(); ++i)
    if (session_.nodes[strips_[i]].id == node_id) return static_cast<int>(i + 1);
  return 0;
}

void DawSimulator::handle_sends(const OscPeer& from, const OscMessage& m) {
  const auto ssid = m.whole(0);
  const auto it = surfaces_.find(from);
  if (!ssid || *ssid < 1 || *ssid > static_cast<int>(strips_.size())) {
    ++unknown_;
    return;
  }
  if (m.path == "/strip/sends") {
    if (it == surfaces_.end()) return;
    OscMessage reply{"/strip/sends", {std::int32_t{*ssid}}};
    int index = 0;
    for (const Edge* e : sends_of(*ssid)) {
      ++index;
      const int target = ssid_of(e->to);
      const auto to = std::find_if(session_.nodes.begin(), session_.nodes.end(),
                                   [&](const Node& n) { return n.id == e->to; });
      reply.args.emplace_back(std::int32_t{target});
      reply.args.emplace_back(to == session_.nodes.end() ? e->to : to->name);
      reply.args.emplace_back(std::int32_t{index});
      reply.args.emplace_back(static_cast<float>(ardour_db_to_position(e->level_db)));
      reply.args.emplace_back(std::int32_t{e->mute ? 0 : 1});
    }
    endpoint_.send(it->second.reply_to, reply);
    return;
  }
  // /strip/send/gain ssid index dB (below -192: -inf)
  const auto index = m.whole(1);
  const auto db = m.number(2);
  const auto sends = sends_of(*ssid);
  if (!index || !db || *index < 1 || *index > static_cast<int>(sends.size()) ||
      !std::isfinite(*db)) {
    ++unknown_;
    return;
  }
  sends[static_cast<std::size_t>(*index) - 1]->level_db =
      *db < -192 ? minus_inf_db : std::min(*db, max_gain_db());
  recompute_levels();
}

void DawSimulator::handle_strip(const OscPeer& from, const OscMessage& m) {
  if (m.path == "/strip/sends" || m.path == "/strip/send/gain") return handle_sends(from, m);
  if (m.path == "/strip/plugin/activate" || m.path == "/strip/plugin/deactivate") {
    const auto ssid = m.whole(0), slot = m.whole(1);
    if (!ssid || !slot || *ssid < 1 || *ssid > static_cast<int>(strips_.size()) || *slot < 1 ||
        *slot > static_cast<int>(node_of(*ssid).plugins.size())) {
      ++unknown_;
      return;
    }
    node_of(*ssid).plugins[static_cast<std::size_t>(*slot) - 1].bypassed =
        m.path == "/strip/plugin/deactivate";
    return recompute_levels();
  }
  const auto event = ardour::decode(m);
  int ssid = 0;
  Control control;
  std::optional<double> value;
  std::string text;
  if (event && std::holds_alternative<ardour::StripEvent>(*event)) {
    const auto& e = std::get<ardour::StripEvent>(*event);
    ssid = e.ssid;
    control = e.control;
    value = e.value;
    text = e.text;
  } else {
    // A control without a value is a query ("/strip/gain 3"): answer with the current value.
    const auto slash = m.path.find('/', 7);
    const auto c = ardour::control_from_name(
        m.path.substr(7, slash == std::string::npos ? std::string::npos : slash - 7));
    if (!c || m.args.size() != 1 || !m.whole(0)) {
      ++unknown_;
      return;
    }
    ssid = *m.whole(0);
    control = *c;
    if (auto it = surfaces_.find(from);
        it != surfaces_.end() && ssid >= 1 && ssid <= static_cast<int>(strips_.size()))
      send_control(it->second, ssid, control);
    return;
  }
  if (ssid < 1 || ssid > static_cast<int>(strips_.size())) {
    // Ardour's failure echo: the neutral value back on the same path.
    if (auto it = surfaces_.find(from); it != surfaces_.end())
      endpoint_.send(
          it->second.reply_to,
          ardour::strip_feedback(ssid, control, control == Control::gain_db ? -200 : 0, false));
    return;
  }
  Node& n = node_of(ssid);
  switch (control) {
    case Control::gain_db:
      n.fader_db = std::min(*value, max_gain_db());
      break;
    case Control::fader_position:
      n.fader_db = ardour_position_to_db(*value);
      break;
    case Control::trim_db:
      n.trim_db = std::clamp(*value, -20.0, 20.0);
      break;
    case Control::mute:
      n.mute = *value > 0.5;
      break;
    case Control::solo: {
      std::vector<bool> before(strips_.size());
      for (std::size_t i = 0; i < strips_.size(); ++i)
        before[i] = reported_solo(static_cast<int>(i + 1));
      n.solo = *value > 0.5;
      recompute_implied_solo();
      // Ardour tells of the strips soloed along with it first, then of the strip itself.
      for (std::size_t i = 0; i < strips_.size(); ++i) {
        const int other = static_cast<int>(i + 1);
        if (other != ssid && reported_solo(other) != before[i])
          broadcast_strip(other, Control::solo);
      }
      break;
    }
    case Control::polarity:
      n.polarity_inverted = *value > 0.5;
      break;
    case Control::pan:
      n.pan = std::clamp(*value, -1.0, 1.0);
      break;
    case Control::name:
      if (!text.empty()) n.name = text;
      break;
    default:
      ++unknown_;
      return;
  }
  ++applied_;
  recompute_levels();
  // Ardour sends fader-position changes back as gain in dB mode; either way the strip's gain.
  broadcast_strip(ssid, control == Control::fader_position ? Control::gain_db : control);
}

void DawSimulator::handle_master(const OscMessage& m) {
  const auto event = ardour::decode(m);
  Node* master_node = master();
  if (!event || !std::holds_alternative<ardour::MasterEvent>(*event) || !master_node) {
    ++unknown_;
    return;
  }
  const auto& e = std::get<ardour::MasterEvent>(*event);
  switch (e.control) {
    case Control::gain_db:
      master_node->fader_db = std::min(e.value, max_gain_db());
      break;
    case Control::fader_position:
      master_node->fader_db = ardour_position_to_db(e.value);
      break;
    case Control::mute:
      master_node->mute = e.value > 0.5;
      break;
    case Control::trim_db:
      master_node->trim_db = std::clamp(e.value, -20.0, 20.0);
      break;
    default:
      ++unknown_;
      return;
  }
  ++applied_;
  recompute_levels();
  for (auto& [peer, s] : surfaces_)
    if (s.settings.feedback & ardour::feedback::master)
      endpoint_.send(s.reply_to,
                     ardour::master_feedback(
                         e.control == Control::fader_position ? Control::gain_db : e.control,
                         e.control == Control::mute      ? (master_node->mute ? 1 : 0)
                         : e.control == Control::trim_db ? master_node->trim_db
                                                         : master_node->fader_db));
}

void DawSimulator::handle_transport(const std::string& path) {
  if (path == "/transport_play") playing_ = true;
  if (path == "/transport_stop") playing_ = false;
  if (path == "/rec_enable_toggle") recording_ = !recording_;
  // Ardour shuttles; the simulator jumps five seconds.
  if (path == "/rewind") playhead_s_ = std::max(0.0, playhead_s_ - 5.0);
  if (path == "/ffwd") playhead_s_ += 5.0;
  ++applied_;
  send_transport_state();
}

void DawSimulator::send_transport_state() {
  for (auto& [peer, s] : surfaces_) {
    if (!(s.settings.feedback & ardour::feedback::master)) continue;
    endpoint_.send(s.reply_to, ardour::transport_feedback(TransportControl::play, playing_));
    endpoint_.send(s.reply_to, ardour::transport_feedback(TransportControl::stop, !playing_));
    endpoint_.send(s.reply_to, ardour::transport_feedback(TransportControl::record, recording_));
  }
}

void DawSimulator::reply_strip_list(Surface& s) {
  const std::string reply = (s.settings.feedback & 16384) ? "/reply" : "#reply";
  for (std::size_t i = 0; i < strips_.size(); ++i) {
    const Node& n = session_.nodes[strips_[i]];
    OscMessage m{
        reply,
        {type_code(n.kind), n.name, std::int32_t{n.channel_count}, std::int32_t{2},
         std::int32_t{n.mute ? 1 : 0}, std::int32_t{reported_solo(static_cast<int>(i + 1)) ? 1 : 0},
         static_cast<std::int32_t>(i + 1)}};
    if (n.kind == NodeKind::track) m.args.emplace_back(std::int32_t{0});  // recenable, tracks only
    endpoint_.send(s.reply_to, m);
  }
  endpoint_.send(s.reply_to, OscMessage{reply,
                                        {std::string("end_route_list"),
                                         static_cast<std::int64_t>(session_.session.sample_rate_hz),
                                         std::int64_t{0}, std::int32_t{0}}});
}

void DawSimulator::send_control(Surface& s, int ssid, Control c) {
  const Node& n = strip(ssid);
  const bool in_path = s.settings.feedback & ardour::feedback::ssid_in_path;
  double v = 0;
  switch (c) {
    case Control::name:
      endpoint_.send(s.reply_to, ardour::strip_name_feedback(ssid, n.name, in_path));
      return;
    case Control::gain_db:
      if (s.settings.gainmode == 0 || s.settings.gainmode == 2)
        endpoint_.send(s.reply_to,
                       ardour::strip_feedback(ssid, Control::gain_db, n.fader_db, in_path));
      if (s.settings.gainmode != 0)
        endpoint_.send(s.reply_to,
                       ardour::strip_feedback(ssid, Control::fader_position,
                                              ardour_db_to_position(n.fader_db), in_path));
      return;
    case Control::fader_position:
      v = ardour_db_to_position(n.fader_db);
      break;
    case Control::trim_db:
      v = n.trim_db;
      break;
    case Control::mute:
      v = n.mute;
      break;
    case Control::solo:
      v = reported_solo(ssid);
      break;
    case Control::polarity:
      v = n.polarity_inverted;
      break;
    case Control::pan:
      v = ardour::position_from_pan(n.pan);
      break;
    default:
      return;
  }
  endpoint_.send(s.reply_to, ardour::strip_feedback(ssid, c, v, in_path));
}

void DawSimulator::strip_feedback(Surface& s, int ssid) {
  if (s.settings.feedback & ardour::feedback::buttons)
    for (Control c : {Control::name, Control::mute, Control::solo, Control::polarity})
      send_control(s, ssid, c);
  if (s.settings.feedback & ardour::feedback::continuous)
    for (Control c : {Control::gain_db, Control::trim_db, Control::pan}) send_control(s, ssid, c);
}

void DawSimulator::full_feedback(Surface& s) {
  for (int ssid = 1; ssid <= static_cast<int>(strips_.size()); ++ssid) strip_feedback(s, ssid);
  s.last_meter.clear();
  s.last_master_meter = 1e9;
  if ((s.settings.feedback & ardour::feedback::master) && master()) {
    endpoint_.send(s.reply_to, OscMessage{"/master/name", {std::string("Master")}});
    endpoint_.send(s.reply_to, ardour::master_feedback(Control::gain_db, master()->fader_db));
    endpoint_.send(s.reply_to, ardour::master_feedback(Control::mute, master()->mute));
    endpoint_.send(s.reply_to, ardour::master_feedback(Control::trim_db, master()->trim_db));
    endpoint_.send(s.reply_to, ardour::transport_feedback(TransportControl::play, playing_));
    endpoint_.send(s.reply_to, ardour::transport_feedback(TransportControl::stop, !playing_));
    endpoint_.send(s.reply_to, ardour::transport_feedback(TransportControl::record, recording_));
  }
}

void DawSimulator::broadcast_strip(int ssid, Control c) {
  for (auto& [peer, s] : surfaces_) {
    const bool wanted =
        c == Control::name || c == Control::mute || c == Control::solo || c == Control::polarity
            ? (s.settings.feedback & ardour::feedback::buttons)
            : (s.settings.feedback & ardour::feedback::continuous);
    if (wanted) send_control(s, ssid, c);
  }
}

void DawSimulator::periodic() {
  const auto now = std::chrono::steady_clock::now();
  if (playing_) playhead_s_ += std::chrono::duration<double>(now - last_periodic_).count();
  last_periodic_ = now;
  if (now >= next_heartbeat_) {
    next_heartbeat_ = now + std::chrono::seconds(1);
    heartbeat_high_ = !heartbeat_high_;
    for (auto& [peer, s] : surfaces_)
      if (s.settings.feedback & ardour::feedback::heartbeat)
        endpoint_.send(s.reply_to, OscMessage{"/heartbeat", {heartbeat_high_ ? 1.0f : 0.0f}});
  }
  if (now < next_meter_) return;
  next_meter_ = now + options_.meter_interval;
  const double t = std::chrono::duration<double>(now - start_).count();
  const auto meter = [&](std::size_t node, std::size_t k) {
    double db = level_dbfs_[node];
    if (options_.meters_move && std::isfinite(db))
      db += 3.0 * std::sin(2.0 * M_PI * 0.5 * t + 0.7 * static_cast<double>(k));
    if (!std::isfinite(db) || db < -120.0) return -193.0;  // what Ardour sends below -120 dB
    return std::round(db * 10.0) / 10.0;
  };
  // The playhead as Ardour's /position/smpte (30 fps).
  const auto frames = static_cast<long>(playhead_s_ * 30.0);
  const std::string smpte = fmt::format("{:02}:{:02}:{:02}:{:02}", frames / 108000,
                                        frames / 1800 % 60, frames / 30 % 60, frames % 30);
  for (auto& [peer, s] : surfaces_)
    if (s.settings.feedback & ardour::feedback::timecode)
      endpoint_.send(s.reply_to, OscMessage{"/position/smpte", {smpte}});
  for (auto& [peer, s] : surfaces_) {
    if (!(s.settings.feedback & ardour::feedback::meters)) continue;
    const bool in_path = s.settings.feedback & ardour::feedback::ssid_in_path;
    for (std::size_t i = 0; i < strips_.size(); ++i) {
      const int ssid = static_cast<int>(i + 1);
      const double db = meter(strips_[i], i);
      auto [it, fresh] = s.last_meter.try_emplace(ssid, 1e9);
      if (!fresh && it->second == db) continue;  // only on change, as Ardour does
      it->second = db;
      endpoint_.send(s.reply_to, ardour::strip_feedback(ssid, Control::meter_db, db, in_path));
    }
    if ((s.settings.feedback & ardour::feedback::master)) {
      for (std::size_t i = 0; i < session_.nodes.size(); ++i)
        if (session_.nodes[i].kind == NodeKind::master) {
          const double db = meter(i, strips_.size());
          if (db != s.last_master_meter) {
            s.last_master_meter = db;
            endpoint_.send(s.reply_to, ardour::master_feedback(Control::meter_db, db));
          }
        }
    }
  }
}

void DawSimulator::set_gain_db(int ssid, double gain_db) {
  node_of(ssid).fader_db = std::min(gain_db, max_gain_db());
  recompute_levels();
  broadcast_strip(ssid, Control::gain_db);
}

void DawSimulator::set_mute(int ssid, bool mute) {
  node_of(ssid).mute = mute;
  recompute_levels();
  broadcast_strip(ssid, Control::mute);
}

void DawSimulator::rename(int ssid, const std::string& name) {
  node_of(ssid).name = name;
  broadcast_strip(ssid, Control::name);
}

void DawSimulator::add_track(const std::string& name) {
  Node n;
  n.id = "sim-added-" + std::to_string(session_.nodes.size());
  n.name = name;
  n.kind = NodeKind::track;
  session_.nodes.push_back(n);
  for (const Node& m : session_.nodes)
    if (m.kind == NodeKind::master) {
      Edge e;
      e.from = n.id;
      e.to = m.id;
      session_.edges.push_back(e);
      break;
    }
  rebuild_strips();
  recompute_levels();
  // With bank size 0 Ardour tells surfaces to re-query with a bare /strip/list.
  for (auto& [peer, s] : surfaces_)
    if (s.settings.bank_size == 0) endpoint_.send(s.reply_to, ardour::strip_list());
}

}  // namespace routewise

namespace routewise {

void DawSimulator::set_send_db(int ssid, int send_index, double level_db) {
  sends_of(ssid).at(static_cast<std::size_t>(send_index - 1))->level_db = level_db;
  recompute_levels();
}

}  // namespace routewise
