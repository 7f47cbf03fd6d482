// What one physical strip shows of the mixer strip banked onto it — motor fader, V-Pot ring,
// LEDs — and the parameter its fader or V-Pot controls (gain, or the assignment; flip swaps them)
// as 0..1 and back.

#include "routewise/surfaces/mcu_surface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mcu/mcu_assignment.hpp"
#include "routewise/model/fader_law.hpp"
#include "routewise/surfaces/mcu_bank.hpp"
#include "routewise/surfaces/mcu_device.hpp"
#include "routewise/surfaces/mcu_display.hpp"

namespace routewise::mcu {

void Surface::send_led(int unit, std::uint8_t note_number, Led state) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  const auto it = u.leds.find(note_number);
  if (it != u.leds.end() && it->second == state) return;
  u.leds[note_number] = state;
  send(unit, led(note_number, state));
}

void Surface::refresh_strip(int p) {
  const int unit = p / strips_per_unit;
  const auto i = static_cast<std::uint8_t>(p % strips_per_unit);
  if (!units_[static_cast<std::size_t>(unit)].online) return;
  const LiveStrip* s = strip_at(p);
  send_fader(p);
  send_ring(p);
  const auto lit = [&](bool on) { return on ? Led::on : Led::off; };
  send_led(unit, note::solo + i, lit(s && s->solo));
  // A strip silenced by another's solo flashes its mute LED, as a DAW shows an implicit mute.
  const bool soloing = mixer_.any_solo();
  send_led(unit, note::mute + i,
           s && s->mute               ? Led::on
           : s && soloing && !s->solo ? Led::flash
                                      : Led::off);
  send_led(unit, note::select + i, lit(s && !selected_.empty() && s->node_id == selected_));
  send_led(unit, note::rec + i, Led::off);  // the mirror does not follow record-enable
}

void Surface::send_fader(int p) {
  const int unit = p / strips_per_unit;
  const int i = p % strips_per_unit;
  const LiveStrip* s = strip_at(p);
  const int value = s ? static_cast<int>(std::lround(normalized(*s, true) * fader_max)) : 0;
  if (const auto motor =
          units_[static_cast<std::size_t>(unit)].faders[static_cast<std::size_t>(i)].from_daw(
              value))
    send(unit, fader(i, *motor));
}

void Surface::send_master_fader() {
  if (!units_[0].online) return;
  const auto db = mixer_.master_gain_db();
  if (!db) return;
  if (const auto motor = master_.from_daw(fader_value_from_db(*db, options_.law)))
    send(0, fader(master_fader, *motor));
}

void Surface::send_ring(int p) {
  Unit& u = units_[static_cast<std::size_t>(p / strips_per_unit)];
  const int i = p % strips_per_unit;
  const LiveStrip* s = strip_at(p);
  const Param param = controlled(false, flip_, assign_);
  MidiBytes m = ring(i, ring_mode(param), 0, false);
  if (s) {
    const double v = normalized(*s, false);
    const bool centre = param == Param::pan && std::fabs(s->pan) < 0.01;
    m = ring(i, ring_mode(param), ring_position(v, ring_mode(param)), centre);
  }
  if (u.ring_shown[static_cast<std::size_t>(i)] == m[2]) return;
  u.ring_shown[static_cast<std::size_t>(i)] = m[2];
  send(p / strips_per_unit, m);
}

double Surface::normalized(const LiveStrip& s, bool fader_control) const {
  const Param param = controlled(fader_control, flip_, assign_);
  switch (param) {
    case Param::gain:
      return fader_value_from_db(s.gain_db, options_.law) / static_cast<double>(fader_max);
    case Param::pan:
      return (std::clamp(s.pan, -1.0, 1.0) + 1.0) / 2.0;
    case Param::trim:
      return ardour_trim_db_to_position(s.trim_db);
    case Param::send:
      if (s.sends.empty()) return 0.0;
      return fader_value_from_db(s.sends.front().level_db, options_.law) /
             static_cast<double>(fader_max);
  }
  return 0.0;
}

void Surface::set_normalized(const LiveStrip& s, bool fader_control, double v) {
  v = std::clamp(v, 0.0, 1.0);
  const Param param = controlled(fader_control, flip_, assign_);
  const int value = static_cast<int>(std::lround(v * fader_max));
  switch (param) {
    case Param::gain:
      return apply(s, MixerControl::gain_db, fader_db_from_value(value, options_.law));
    case Param::pan:
      return apply(s, MixerControl::pan, v * 2.0 - 1.0);
    case Param::trim:
      return apply(s, MixerControl::trim_db, ardour_trim_position_to_db(v));
    case Param::send: {
      if (s.sends.empty()) return;
      const LiveSend& send = s.sends.front();
      const double db = fader_db_from_value(value, options_.law);
      if (!send.target_node_id.empty() && mixer_.set_send(s.node_id, send.target_node_id, db, this))
        value_changed({s.node_id, send.target_node_id, MixerControl::send_level, db, this});
      return;
    }
  }
}

std::string Surface::value_text(const LiveStrip& s, bool fader_control) const {
  const Param param = controlled(fader_control, flip_, assign_);
  switch (param) {
    case Param::gain:
      return db_cell(s.gain_db);
    case Param::pan:
      return pan_cell(s.pan);
    case Param::trim:
      return db_cell(s.trim_db);
    case Param::send:
      return s.sends.empty() ? "" : db_cell(s.sends.front().level_db);
  }
  return "";
}

}  // namespace routewise::mcu
