// The hand on the surface: fader moves (through the touch rule), buttons (strip buttons, banking,
// flip, assignment, transport) and V-Pot turns.

#include "routewise/surfaces/mcu_surface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mcu/mcu_assignment.hpp"
#include "routewise/surfaces/mcu_bank.hpp"
#include "routewise/surfaces/mcu_device.hpp"
#include "routewise/surfaces/mcu_display.hpp"

namespace routewise::mcu {

void Surface::handle_fader(int unit, const FaderMove& f, Clock::time_point now) {
  if (f.fader == master_fader) {
    if (unit != 0) return;
    const auto move = master_.moved(f.value);
    mixer_.set(mixer_.master_node_id(), MixerControl::gain_db,
               fader_db_from_value(move.to_daw, options_.law), this);
    if (move.echo) send(0, fader(master_fader, *move.echo));
    return;
  }
  const int p = unit * strips_per_unit + f.fader;
  MotorFader& mf = units_[static_cast<std::size_t>(unit)].faders[static_cast<std::size_t>(f.fader)];
  const auto move = mf.moved(f.value);
  if (const LiveStrip* s = strip_at(p)) {
    set_normalized(*s, true, move.to_daw / static_cast<double>(fader_max));
    // What the DAW will hold, shown at once rather than after its echo.
    LiveStrip shown = *s;
    if (!flip_) shown.gain_db = fader_db_from_value(move.to_daw, options_.law);
    value_display_[p] = {flip_ ? value_text(*s, true) : db_cell(shown.gain_db),
                         now + options_.value_display, true};
  }
  if (move.echo) send(unit, fader(f.fader, *move.echo));
}

void Surface::handle_button(int unit, const Button& b, Clock::time_point now) {
  const std::uint8_t n = b.note_number;
  if (n >= note::fader_touch && n < note::fader_touch + strips_per_unit) {
    const int i = n - note::fader_touch;
    MotorFader& mf = units_[static_cast<std::size_t>(unit)].faders[static_cast<std::size_t>(i)];
    if (b.pressed) return mf.touch();
    if (const auto motor = mf.release()) send(unit, fader(i, *motor));
    if (!strip_at(unit * strips_per_unit + i)) {  // nothing there: back to the bottom
      mf.forget();
      send_fader(unit * strips_per_unit + i);
    }
    return;
  }
  if (n == note::master_touch) {
    if (unit != 0) return;
    if (b.pressed) return master_.touch();
    if (const auto motor = master_.release()) send(0, fader(master_fader, *motor));
    return;
  }
  if (n == note::shift) {
    shift_ = b.pressed;
    return;
  }
  if (!b.pressed) return;
  const int session = static_cast<int>(order_.size());
  if (n < note::vpot_push + strips_per_unit) {  // per-strip buttons
    const int i = n % strips_per_unit;
    const int p = unit * strips_per_unit + i;
    const LiveStrip* s = strip_at(p);
    if (!s) return;
    switch (n & 0xF8) {
      case note::solo:
        return apply(*s, MixerControl::solo, s->solo ? 0.0 : 1.0);
      case note::mute:
        return apply(*s, MixerControl::mute, s->mute ? 0.0 : 1.0);
      case note::rec:
        return apply(*s, MixerControl::recenable, 1.0);
      case note::select: {
        const int previous = surface_strip_of(selected_);
        selected_ = selected_ == s->node_id ? std::string() : s->node_id;
        if (previous >= 0) refresh_strip(previous);
        return refresh_strip(p);
      }
      case note::vpot_push: {  // back to the parameter's default: centre, 0 dB
        const Param param = controlled(false, flip_, assign_);
        const double centre = param == Param::pan || param == Param::trim ? 0.5 : -1.0;
        if (centre >= 0)
          set_normalized(*s, false, centre);
        else if (param == Param::gain)
          apply(*s, MixerControl::gain_db, 0.0);
        value_display_[p] = {value_text(*s, false), now + options_.value_display, false};
        return;
      }
      default:
        return;
    }
  }
  switch (n) {
    case note::bank_left:
      return rebank(shifted_bank(bank_, -strips_per_unit, session, surface_strips()));
    case note::bank_right:
      return rebank(shifted_bank(bank_, strips_per_unit, session, surface_strips()));
    case note::channel_left:
      return rebank(shifted_bank(bank_, -1, session, surface_strips()));
    case note::channel_right:
      return rebank(shifted_bank(bank_, 1, session, surface_strips()));
    case note::flip:
      flip_ = !flip_;
      send_led(0, note::flip, flip_ ? Led::on : Led::off);
      return rebank(bank_);
    case note::assign_pan:
    case note::assign_send:
    case note::assign_track:
      assign_ = n == note::assign_pan    ? Assign::pan
                : n == note::assign_send ? Assign::send
                                         : Assign::trim;
      send_led(0, note::assign_pan, assign_ == Assign::pan ? Led::on : Led::off);
      send_led(0, note::assign_send, assign_ == Assign::send ? Led::on : Led::off);
      send_led(0, note::assign_track, assign_ == Assign::trim ? Led::on : Led::off);
      return rebank(bank_);
    case note::play:
      mixer_.request(TransportRequest{TransportControl::play}, this);
      return;
    case note::stop:
      mixer_.request(TransportRequest{TransportControl::stop}, this);
      return;
    case note::record:
      mixer_.request(TransportRequest{TransportControl::record}, this);
      return;
    case note::rewind:
      mixer_.request(TransportRequest{TransportControl::rewind}, this);
      return;
    case note::fast_forward:
      mixer_.request(TransportRequest{TransportControl::fast_forward}, this);
      return;
    default:
      return;  // the rest has nothing to act on in the mirror
  }
}

void Surface::handle_rotation(int unit, const Rotation& r, Clock::time_point now) {
  if (r.pot < 0) return;  // the jog wheel moves time, which the mirror does not follow
  const int p = unit * strips_per_unit + r.pot;
  const LiveStrip* s = strip_at(p);
  if (!s) return;
  // Ardour's scale: a tick is 1/63 of the range, 1/255 with Shift held (fine adjustment).
  const double step = r.ticks / (shift_ ? 255.0 : 63.0);
  set_normalized(*s, false, normalized(*s, false) + step);
  value_display_[p] = {value_text(*s, false), now + options_.value_display, false};
}

}  // namespace routewise::mcu
