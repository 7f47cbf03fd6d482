// A unit coming online: the device query, the handshake (with the Logic Control's challenge
// response), and everything it shows sent to it whole (on going online and every repaint).

#include "routewise/surfaces/mcu_surface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mcu/mcu_assignment.hpp"
#include "routewise/surfaces/mcu_bank.hpp"
#include "routewise/surfaces/mcu_device.hpp"
#include "routewise/surfaces/mcu_display.hpp"

namespace routewise::mcu {

void Surface::query(int unit, Clock::time_point now) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  if (u.queries_unanswered == 1)
    say(fmt::format("unit {}: no answer to the device query yet; asking again every {} ms",
                    unit + 1, options_.query_interval.count()));
  ++u.queries_unanswered;
  u.next_query = now + options_.query_interval;
  send(unit, sysex(u.model, cmd::device_query));
}

void Surface::go_online(int unit) {
  units_[static_cast<std::size_t>(unit)].online = true;
  units_[static_cast<std::size_t>(unit)].queries_unanswered = 0;
  say(fmt::format("unit {} online", unit + 1));
  refresh_unit(unit);
}

void Surface::handle_sysex(int unit, const Sysex& s) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  u.model = s.model;  // answer a unit in its own model byte
  switch (s.command) {
    case cmd::host_connection_query:
      if (device_traits(s.model).challenge_response && s.payload.size() >= 11) {
        MidiBytes reply(s.payload.begin(), s.payload.begin() + 7);
        const auto r =
            challenge_response({s.payload[7], s.payload[8], s.payload[9], s.payload[10]});
        reply.insert(reply.end(), r.begin(), r.end());
        send(unit, sysex(u.model, cmd::host_connection_reply, reply));
      } else {
        go_online(unit);
      }
      return;
    case cmd::host_connection_confirm:
      return go_online(unit);
    case cmd::host_connection_error:
      u.online = false;
      u.port_open = false;  // asking again would be refused again
      return say(fmt::format("unit {} refused the connection (challenge response)", unit + 1));
    default:
      return;
  }
}

void Surface::refresh_unit(int unit) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  u.meter_shown.fill(-1);
  for (int i = 0; i < strips_per_unit; ++i) {
    // Signal LED and peak hold; the LCD meter would cover the names.
    send(unit, sysex(u.model, cmd::meter_mode, {static_cast<std::uint8_t>(i), 0x03}));
    send(unit, meter_overload(i, false));
    u.overload_shown[static_cast<std::size_t>(i)] = false;
  }
  repaint(unit);
}

void Surface::repaint(int unit) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  u.next_repaint = Clock::now() + options_.repaint_interval;
  u.leds.clear();
  u.lcd_shown.clear();
  u.ring_shown.fill(-1);
  for (MotorFader& f : u.faders) f.forget();
  // The LCD, forgotten above, is written whole by the next tick.
  for (int i = 0; i < strips_per_unit; ++i) refresh_strip(unit * strips_per_unit + i);
  if (unit == 0) {
    timecode_shown_.fill(-1);
    assignment_shown_.fill(-1);
    update_displays();
    master_.forget();
    send_master_fader();
    send_led(0, note::flip, flip_ ? Led::on : Led::off);
    send_led(0, note::assign_pan, assign_ == Assign::pan ? Led::on : Led::off);
    send_led(0, note::assign_send, assign_ == Assign::send ? Led::on : Led::off);
    send_led(0, note::assign_track, assign_ == Assign::trim ? Led::on : Led::off);
  }
}

}  // namespace routewise::mcu
