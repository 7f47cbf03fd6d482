// The periodic refresh of what a unit shows: the LCD (names above, values or finding markers
// below), the meters with their overload LEDs, and the main unit's timecode and assignment
// displays.

#include "routewise/surfaces/mcu_surface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mcu/mcu_assignment.hpp"
#include "routewise/surfaces/mcu_bank.hpp"
#include "routewise/surfaces/mcu_device.hpp"
#include "routewise/surfaces/mcu_display.hpp"

namespace routewise::mcu {

void Surface::update_lcd(int unit, Clock::time_point now) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  std::vector<std::string> upper, lower;
  for (int i = 0; i < strips_per_unit; ++i) {
    const int p = unit * strips_per_unit + i;
    const LiveStrip* s = strip_at(p);
    if (!s) {
      upper.emplace_back();
      lower.emplace_back();
      continue;
    }
    upper.push_back(abbreviate(s->name));
    const auto shown = value_display_.find(p);
    const auto marker = markers_.find(s->node_id);
    if (shown != value_display_.end() && now < shown->second.until)
      lower.push_back(shown->second.text);
    else if (marker != markers_.end())
      lower.push_back(marker->second);
    else
      lower.push_back(value_text(*s, false));
  }
  const std::string wanted = lcd_row(upper) + lcd_row(lower);
  for (const MidiBytes& m : lcd_update(u.model, u.lcd_shown, wanted)) send(unit, m);
  u.lcd_shown = wanted;
}

void Surface::update_meters(int unit, Clock::time_point now) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  for (int i = 0; i < strips_per_unit; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const LiveStrip* s = strip_at(unit * strips_per_unit + i);
    const double db = s && s->meter_db ? *s->meter_db : -INFINITY;
    const int segment = meter_segment(db);
    // The unit lets a bar fall by itself: a lit one is sent again before it decays.
    if (segment != u.meter_shown[k] ||
        (segment > 0 && now - u.meter_sent[k] >= options_.meter_hold)) {
      send(unit, meter(i, segment));
      u.meter_shown[k] = segment;
      u.meter_sent[k] = now;
    }
    const bool over = s && (meter_overloads(db) || overloads_.contains(s->node_id));
    if (over != u.overload_shown[k]) {
      send(unit, meter_overload(i, over));
      u.overload_shown[k] = over;
    }
  }
}

void Surface::update_displays() {
  if (!units_[0].online) return;
  const auto codes = timecode_codes(mixer_.timecode());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (timecode_shown_[i] == codes[i]) continue;
    timecode_shown_[i] = codes[i];
    send(0, {0xB0, static_cast<std::uint8_t>(0x40 + i), codes[i]});
  }
  send_led(0, note::play, mixer_.playing() ? Led::on : Led::off);
  send_led(0, note::stop, mixer_.playing() ? Led::off : Led::on);
  // Armed but stopped flashes, as a DAW's record button does; recording is lit.
  send_led(0, note::record,
           mixer_.recording() ? (mixer_.playing() ? Led::on : Led::flash) : Led::off);
  // The V-Pots' assignment in two characters: PN, SE, TR (FL while flipped).
  const char* text = flip_                     ? "FL"
                     : assign_ == Assign::pan  ? "PN"
                     : assign_ == Assign::send ? "SE"
                                               : "TR";
  for (int i = 0; i < 2; ++i) {
    const MidiBytes m = assignment_digit(i == 0, text[i]);
    if (assignment_shown_[static_cast<std::size_t>(i)] == m[2]) continue;
    assignment_shown_[static_cast<std::size_t>(i)] = m[2];
    send(0, m);
  }
}

}  // namespace routewise::mcu
