// The Mackie Control coordinator: which mixer strip each physical strip shows (the bank), the
// mixer's news routed to the strips that show it, the MIDI from a unit routed to its handler, and
// the periodic work. What a strip shows, the buttons, the handshake and the displays have files of
// their own (mcu_strip_view, mcu_buttons, mcu_handshake, mcu_refresh).
#include "routewise/surfaces/mcu_surface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mcu/mcu_assignment.hpp"
#include "routewise/surfaces/mcu_bank.hpp"
#include "routewise/surfaces/mcu_device.hpp"
#include "routewise/surfaces/mcu_display.hpp"

namespace routewise::mcu {

Surface::Surface(LiveMixer& mixer, Sink sink, SurfaceOptions options)
    : mixer_(mixer), sink_(std::move(sink)), options_(std::move(options)) {
  if (options_.units.empty()) options_.units.push_back(Model::mcu);
  for (Model m : options_.units) {
    Unit u;
    u.model = m;
    units_.push_back(std::move(u));
  }
  mixer_.add_listener(*this);
}

Surface::~Surface() {
  mixer_.remove_listener(*this);
}

const LiveStrip* Surface::strip_at(int surface_strip) const {
  const int position = bank_ + surface_strip;
  if (surface_strip < 0 || position < 0) return nullptr;
  const auto index = static_cast<std::size_t>(position);
  if (index >= order_.size()) return nullptr;
  return mixer_.strip_at(order_[index]);
}

int Surface::surface_strip_of(const std::string& node_id) const {
  for (int p = 0; p < surface_strips(); ++p)
    if (const LiveStrip* s = strip_at(p); s && s->node_id == node_id) return p;
  return -1;
}

void Surface::connected(int unit) {
  Unit& u = units_.at(static_cast<std::size_t>(unit));
  u.online = false;
  u.port_open = true;
  u.queries_unanswered = 0;
  query(unit, Clock::now());
}

void Surface::disconnected(int unit) {
  Unit& u = units_.at(static_cast<std::size_t>(unit));
  if (u.online) say(fmt::format("unit {} offline", unit + 1));
  u.online = false;
  u.port_open = false;
}

void Surface::on_midi(int unit, const MidiBytes& message, Clock::time_point now) {
  if (unit < 0 || unit >= static_cast<int>(units_.size())) return;
  const auto input = decode(message);
  if (!input) return;
  if (const auto* s = std::get_if<Sysex>(&*input)) return handle_sysex(unit, *s);
  // A unit that talks without a handshake was online already (the host restarted).
  if (!units_[static_cast<std::size_t>(unit)].online) go_online(unit);
  if (const auto* f = std::get_if<FaderMove>(&*input)) return handle_fader(unit, *f, now);
  if (const auto* b = std::get_if<Button>(&*input)) return handle_button(unit, *b, now);
  if (const auto* r = std::get_if<Rotation>(&*input)) return handle_rotation(unit, *r, now);
}

// The mixer tells everyone but the writer: what this surface shows of its own change (LEDs, rings,
// the mute LEDs a solo flashes) it updates itself.
void Surface::apply(const LiveStrip& s, MixerControl control, double value) {
  if (mixer_.set(s.node_id, control, value, this))
    value_changed({s.node_id, {}, control, value, this});
}

void Surface::rebank(int offset) {
  bank_ = offset;
  for (int p = 0; p < surface_strips(); ++p) refresh_strip(p);
}

void Surface::value_changed(const LiveMixer::ValueChange& change) {
  if (change.node_id == mixer_.master_node_id()) {
    if (change.control == MixerControl::gain_db) send_master_fader();
    return;
  }
  if (change.control == MixerControl::solo) return rebank(bank_);  // every mute LED may change
  const int p = surface_strip_of(change.node_id);
  if (p < 0) return;
  refresh_strip(p);
  // A value shown after a move made here follows what the mixer holds now (the DAW may have
  // limited it).
  const auto it = value_display_.find(p);
  if (it != value_display_.end())
    if (const LiveStrip* s = strip_at(p)) it->second.text = value_text(*s, it->second.fader);
}

void Surface::set_overloads(std::set<std::string> node_ids) {
  overloads_ = std::move(node_ids);
}

void Surface::set_markers(std::map<std::string, std::string> marker_by_node) {
  markers_ = std::move(marker_by_node);
}

void Surface::tick(Clock::time_point now) {
  if (layout_changed_) {
    layout_changed_ = false;
    order_.clear();
    for (const auto& [position, s] : mixer_.strips())
      if (!s.name.empty()) order_.push_back(position);
    rebank(shifted_bank(bank_, 0, static_cast<int>(order_.size()), surface_strips()));
  }
  std::erase_if(value_display_, [&](const auto& v) { return now >= v.second.until; });
  update_displays();
  const bool meters_due = now >= next_meter_;
  if (meters_due) next_meter_ = now + options_.meter_interval;
  for (int unit = 0; unit < static_cast<int>(units_.size()); ++unit) {
    const Unit& u = units_[static_cast<std::size_t>(unit)];
    if (!u.online && u.port_open && now >= u.next_query) query(unit, now);
    if (!u.online) continue;
    if (now >= u.next_repaint) repaint(unit);
    update_lcd(unit, now);
    if (meters_due) update_meters(unit, now);
  }
}

}  // namespace routewise::mcu
