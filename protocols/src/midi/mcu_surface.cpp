#include "routewise/protocols/mcu_surface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "routewise/protocols/mcu_bank.hpp"
#include "routewise/protocols/mcu_display.hpp"

namespace routewise::mcu {
namespace {

constexpr double trim_range_db = 20.0;  // Ardour's trim: -20..+20 dB

enum class Param { gain, pan, send, trim };

Param param_of(Assign a) {
  switch (a) {
    case Assign::pan:
      return Param::pan;
    case Assign::send:
      return Param::send;
    case Assign::trim:
      return Param::trim;
  }
  return Param::pan;
}

// What a fader (or, with `fader_control` false, a V-Pot) controls: gain, or the assignment's
// parameter; flip swaps the two.
Param controlled(bool fader_control, bool flip, Assign assign) {
  return fader_control != flip ? Param::gain : param_of(assign);
}

RingMode ring_mode(Param p) {
  switch (p) {
    case Param::pan:
      return RingMode::dot;
    case Param::trim:
      return RingMode::boost_cut;
    default:
      return RingMode::wrap;
  }
}

}  // namespace

Surface::Surface(Mirror& mirror, Sink sink, SurfaceOptions options)
    : mirror_(mirror), sink_(std::move(sink)), options_(std::move(options)) {
  if (options_.units.empty()) options_.units.push_back(Model::mcu);
  for (Model m : options_.units) {
    Unit u;
    u.model = m;
    units_.push_back(std::move(u));
  }
}

const StripState* Surface::strip_at(int surface_strip) const {
  const int position = bank_ + surface_strip;
  if (surface_strip < 0 || position < 0) return nullptr;
  const auto index = static_cast<std::size_t>(position);
  if (index >= order_.size()) return nullptr;
  const auto it = mirror_.strips().find(order_[index]);
  return it == mirror_.strips().end() ? nullptr : &it->second;
}

int Surface::surface_strip_of(const std::string& node_id) const {
  for (int p = 0; p < surface_strips(); ++p)
    if (const StripState* s = strip_at(p); s && s->node_id == node_id) return p;
  return -1;
}

void Surface::connected(int unit) {
  Unit& u = units_.at(static_cast<std::size_t>(unit));
  u.online = false;
  u.port_open = true;
  u.queries_unanswered = 0;
  query(unit, Clock::now());
}

void Surface::query(int unit, Clock::time_point now) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  if (u.queries_unanswered == 1)
    say(fmt::format("unit {}: no answer to the device query yet; asking again every {} ms",
                    unit + 1, options_.query_interval.count()));
  ++u.queries_unanswered;
  u.next_query = now + options_.query_interval;
  send(unit, sysex(u.model, cmd::device_query));
}

void Surface::disconnected(int unit) {
  Unit& u = units_.at(static_cast<std::size_t>(unit));
  if (u.online) say(fmt::format("unit {} offline", unit + 1));
  u.online = false;
  u.port_open = false;
}

void Surface::go_online(int unit) {
  units_[static_cast<std::size_t>(unit)].online = true;
  units_[static_cast<std::size_t>(unit)].queries_unanswered = 0;
  say(fmt::format("unit {} online", unit + 1));
  refresh_unit(unit);
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
  const StripState* s = strip_at(p);
  send_fader(p);
  send_ring(p);
  const auto lit = [&](bool on) { return on ? Led::on : Led::off; };
  send_led(unit, note::solo + i, lit(s && s->solo));
  // A strip silenced by another's solo flashes its mute LED, as a DAW shows an implicit mute.
  const bool soloing = std::any_of(mirror_.strips().begin(), mirror_.strips().end(),
                                   [](const auto& e) { return e.second.solo; });
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
  const StripState* s = strip_at(p);
  const int value = s ? static_cast<int>(std::lround(normalized(*s, true) * fader_max)) : 0;
  if (const auto motor =
          units_[static_cast<std::size_t>(unit)].faders[static_cast<std::size_t>(i)].from_daw(
              value))
    send(unit, fader(i, *motor));
}

void Surface::send_master_fader() {
  if (!units_[0].online) return;
  const auto db = mirror_.master_gain_db();
  if (!db) return;
  if (const auto motor = master_.from_daw(fader_value_from_db(*db, options_.law)))
    send(0, fader(master_fader, *motor));
}

void Surface::send_ring(int p) {
  Unit& u = units_[static_cast<std::size_t>(p / strips_per_unit)];
  const int i = p % strips_per_unit;
  const StripState* s = strip_at(p);
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

double Surface::normalized(const StripState& s, bool fader_control) const {
  const Param param = controlled(fader_control, flip_, assign_);
  switch (param) {
    case Param::gain:
      return fader_value_from_db(s.gain_db, options_.law) / static_cast<double>(fader_max);
    case Param::pan:
      return (std::clamp(s.pan, -1.0, 1.0) + 1.0) / 2.0;
    case Param::trim:
      return (std::clamp(s.trim_db, -trim_range_db, trim_range_db) + trim_range_db) /
             (2 * trim_range_db);
    case Param::send:
      if (s.sends.empty()) return 0.0;
      return fader_value_from_db(s.sends.front().level_db, options_.law) /
             static_cast<double>(fader_max);
  }
  return 0.0;
}

void Surface::set_normalized(const StripState& s, bool fader_control, double v) {
  v = std::clamp(v, 0.0, 1.0);
  const Param param = controlled(fader_control, flip_, assign_);
  const int value = static_cast<int>(std::lround(v * fader_max));
  switch (param) {
    case Param::gain:
      return apply(s, MixerControl::gain_db, fader_db_from_value(value, options_.law));
    case Param::pan:
      return apply(s, MixerControl::pan, v * 2.0 - 1.0);
    case Param::trim:
      return apply(s, MixerControl::trim_db, v * 2 * trim_range_db - trim_range_db);
    case Param::send: {
      if (s.sends.empty()) return;
      const SendState& send = s.sends.front();
      for (const auto& [ssid, target] : mirror_.strips())
        if (target.name == send.target_name) {
          applying_ = true;
          mirror_.set_send(s.node_id, target.node_id, fader_db_from_value(value, options_.law));
          applying_ = false;
          return;
        }
      return;
    }
  }
}

std::string Surface::value_text(const StripState& s, bool fader_control) const {
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

void Surface::apply(const StripState& s, MixerControl control, double value) {
  applying_ = true;
  mirror_.set(s.node_id, control, value);
  applying_ = false;
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

void Surface::handle_sysex(int unit, const Sysex& s) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  u.model = s.model;  // answer a unit in its own model byte
  switch (s.command) {
    case cmd::host_connection_query:
      if ((s.model == Model::logic || s.model == Model::logic_xt) && s.payload.size() >= 11) {
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

void Surface::handle_fader(int unit, const FaderMove& f, Clock::time_point now) {
  if (f.fader == master_fader) {
    if (unit != 0) return;
    const auto move = master_.moved(f.value);
    applying_ = true;
    mirror_.set(mirror_.master_node_id(), MixerControl::gain_db,
                fader_db_from_value(move.to_daw, options_.law));
    applying_ = false;
    if (move.echo) send(0, fader(master_fader, *move.echo));
    return;
  }
  const int p = unit * strips_per_unit + f.fader;
  MotorFader& mf = units_[static_cast<std::size_t>(unit)].faders[static_cast<std::size_t>(f.fader)];
  const auto move = mf.moved(f.value);
  if (const StripState* s = strip_at(p)) {
    set_normalized(*s, true, move.to_daw / static_cast<double>(fader_max));
    // What the DAW will hold, shown at once rather than after its echo.
    StripState shown = *s;
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
    const StripState* s = strip_at(p);
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
      mirror_.transport(TransportControl::play);
      return;
    case note::stop:
      mirror_.transport(TransportControl::stop);
      return;
    case note::record:
      mirror_.transport(TransportControl::record);
      return;
    case note::rewind:
      mirror_.transport(TransportControl::rewind);
      return;
    case note::fast_forward:
      mirror_.transport(TransportControl::fast_forward);
      return;
    default:
      return;  // the rest has nothing to act on in the mirror
  }
}

void Surface::handle_rotation(int unit, const Rotation& r, Clock::time_point now) {
  if (r.pot < 0) return;  // the jog wheel moves time, which the mirror does not follow
  const int p = unit * strips_per_unit + r.pot;
  const StripState* s = strip_at(p);
  if (!s) return;
  // Ardour's scale: a tick is 1/63 of the range, 1/255 with Shift held (fine adjustment).
  const double step = r.ticks / (shift_ ? 255.0 : 63.0);
  set_normalized(*s, false, normalized(*s, false) + step);
  value_display_[p] = {value_text(*s, false), now + options_.value_display, false};
}

void Surface::rebank(int offset) {
  bank_ = offset;
  for (int p = 0; p < surface_strips(); ++p) refresh_strip(p);
}

void Surface::on_change(const MirrorChange& change) {
  if (applying_) return;
  if (change.node_id == mirror_.master_node_id()) {
    if (change.control == MixerControl::gain_db) send_master_fader();
    return;
  }
  if (change.control == MixerControl::solo) return rebank(bank_);  // every mute LED may change
  const int p = surface_strip_of(change.node_id);
  if (p < 0) return;
  refresh_strip(p);
  const auto it = value_display_.find(p);
  if (it != value_display_.end() && change.origin != Origin::daw) {
    // The DAW's confirmation of a move made here: show what it holds.
    if (const StripState* s = strip_at(p)) it->second.text = value_text(*s, it->second.fader);
  }
}

void Surface::set_overloads(std::set<std::string> node_ids) {
  overloads_ = std::move(node_ids);
}

void Surface::set_markers(std::map<std::string, std::string> marker_by_node) {
  markers_ = std::move(marker_by_node);
}

void Surface::update_lcd(int unit, Clock::time_point now) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  std::vector<std::string> upper, lower;
  for (int i = 0; i < strips_per_unit; ++i) {
    const int p = unit * strips_per_unit + i;
    const StripState* s = strip_at(p);
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
    const StripState* s = strip_at(unit * strips_per_unit + i);
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
  const auto codes = timecode_codes(mirror_.timecode());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (timecode_shown_[i] == codes[i]) continue;
    timecode_shown_[i] = codes[i];
    send(0, {0xB0, static_cast<std::uint8_t>(0x40 + i), codes[i]});
  }
  send_led(0, note::play, mirror_.playing() ? Led::on : Led::off);
  send_led(0, note::stop, mirror_.playing() ? Led::off : Led::on);
  // Armed but stopped flashes, as a DAW's record button does; recording is lit.
  send_led(0, note::record,
           mirror_.recording() ? (mirror_.playing() ? Led::on : Led::flash) : Led::off);
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

void Surface::tick(Clock::time_point now) {
  if (mirror_.structure_version() != structure_version_) {
    structure_version_ = mirror_.structure_version();
    order_.clear();
    for (const auto& [ssid, s] : mirror_.strips())
      if (!s.name.empty()) order_.push_back(ssid);
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
