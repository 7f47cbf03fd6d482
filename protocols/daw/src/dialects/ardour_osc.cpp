#include "routewise/daw/ardour_osc.hpp"
#include "routewise/model/fader_law.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace routewise::ardour {
namespace {

constexpr std::array<std::pair<Control, std::string_view>, 11> names{{
    {Control::name, "name"},
    {Control::gain_db, "gain"},
    {Control::fader_position, "fader"},
    {Control::trim_db, "trimdB"},
    {Control::mute, "mute"},
    {Control::solo, "solo"},
    {Control::polarity, "polarity"},
    {Control::pan, "pan_stereo_position"},
    {Control::meter_db, "meter"},
    {Control::select, "select"},
    {Control::recenable, "recenable"},
}};

std::optional<int> as_int(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_toggle(Control c) {
  return c == Control::mute || c == Control::solo || c == Control::polarity ||
         c == Control::select || c == Control::recenable;
}

OscArg value_arg(Control c, double v) {
  if (is_toggle(c)) return static_cast<std::int32_t>(v > 0.5 ? 1 : 0);
  return static_cast<float>(v);
}

// Gain feedback of -inf travels as -200 (failure echo) or -193 (blank strip); both mean silence.
double from_wire(Control c, double v) {
  if ((c == Control::gain_db || c == Control::meter_db) && v <= -192.0) return -INFINITY;
  return v;
}
double to_wire(Control c, double v) {
  if ((c == Control::gain_db || c == Control::meter_db) && std::isinf(v) && v < 0) return -193.0;
  return v;
}

std::optional<Event> strip_event(int ssid, Control c, const OscMessage& m,
                                 std::size_t value_index) {
  if (ssid < 1) return std::nullopt;
  if (c == Control::name) {
    const auto name = m.text(value_index);
    if (!name) return std::nullopt;
    return StripEvent{ssid, c, 0, *name};
  }
  const auto v = m.number(value_index);
  if (!v || !std::isfinite(*v)) return std::nullopt;
  if (c == Control::pan)
    return StripEvent{ssid, c, pan_from_position(std::clamp(*v, 0.0, 1.0)), {}};
  // Gain modes 1-3 report the fader as a position: the mirror's model is in dB.
  if (c == Control::fader_position)
    return StripEvent{ssid, Control::gain_db, ardour_position_to_db(*v), {}};
  return StripEvent{ssid, c, from_wire(c, *v), {}};
}

}  // namespace

std::optional<Control> control_from_name(std::string_view name) {
  for (const auto& [c, n] : names)
    if (n == name) return c;
  return std::nullopt;
}

std::string_view control_name(Control c) {
  for (const auto& [k, n] : names)
    if (k == c) return n;
  return "?";
}

std::optional<Event> decode(const OscMessage& m) {
  const std::string_view path = m.path;
  if (path == "/heartbeat") return Heartbeat{m.number(0).value_or(0)};
  // The answer to a /transport_frame query (the playhead in samples): alive.
  if (path == "/transport_frame") return Heartbeat{0};
  for (TransportControl c :
       {TransportControl::play, TransportControl::stop, TransportControl::record,
        TransportControl::rewind, TransportControl::fast_forward})
    if (path == transport(c).path) {
      const auto v = m.number(0);
      if (!v) return std::nullopt;
      return TransportEvent{c, *v > 0.5};
    }
  if (path == "/position/smpte") {
    const auto text = m.text(0);
    if (!text) return std::nullopt;
    return Timecode{*text};
  }
  if (path == "#reply" || path == "/reply") {
    if (m.text(0) == std::optional<std::string>("end_route_list"))
      return ListEnd{m.whole(1).value_or(0)};
    if (m.args.size() < 7 || !m.text(0) || !m.text(1)) return std::nullopt;
    ListEntry e{*m.text(0),
                *m.text(1),
                m.whole(2).value_or(0),
                m.whole(3).value_or(0),
                m.number(4).value_or(0) > 0.5,
                m.number(5).value_or(0) > 0.5,
                m.whole(6).value_or(0)};
    return e;
  }
  if (path == "/strip/list" && m.args.empty()) return StripsChanged{};
  if (path ==
      "/strip/sends") {  // ssid, then per aux send: target ssid, name, index, position, active
    const auto ssid = m.whole(0);
    if (!ssid || *ssid < 1 || (m.args.size() - 1) % 5 != 0) return std::nullopt;
    SendList list{*ssid, {}};
    for (std::size_t i = 1; i + 5 <= m.args.size(); i += 5) {
      const auto target = m.whole(i), index = m.whole(i + 2);
      const auto position = m.number(i + 3), active = m.number(i + 4);
      const auto name = m.text(i + 1);
      if (!target || !name || !index || !position || !active || !std::isfinite(*position))
        return std::nullopt;
      list.sends.push_back(
          {*target, *name, *index, ardour_position_to_db(*position), *active > 0.5});
    }
    return list;
  }
  if (path.starts_with("/master/")) {
    const auto c = control_from_name(path.substr(8));
    if (!c) return std::nullopt;
    if (*c == Control::name) return MasterEvent{*c, 0, m.text(0).value_or("")};
    const auto v = m.number(0);
    if (!v || !std::isfinite(*v)) return std::nullopt;
    return MasterEvent{*c, from_wire(*c, *v), {}};
  }
  if (!path.starts_with("/strip/")) return std::nullopt;
  const std::string_view rest = path.substr(7);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) {  // "/strip/gain ssid value"
    const auto c = control_from_name(rest);
    const auto ssid = m.whole(0);
    if (!c || !ssid) return std::nullopt;
    return strip_event(*ssid, *c, m, 1);
  }
  const std::string_view a = rest.substr(0, slash), b = rest.substr(slash + 1);
  if (const auto ssid = as_int(b); ssid && control_from_name(a))  // "/strip/gain/3 value"
    return strip_event(*ssid, *control_from_name(a), m, 0);
  if (const auto ssid = as_int(a); ssid && control_from_name(b))  // "/strip/3/gain value"
    return strip_event(*ssid, *control_from_name(b), m, 0);
  return std::nullopt;
}

OscMessage set_surface(const SurfaceSettings& s) {
  return {"/set_surface",
          {std::int32_t{s.bank_size}, std::int32_t{s.strip_types}, std::int32_t{s.feedback},
           std::int32_t{s.gainmode}, std::int32_t{s.send_page_size},
           std::int32_t{s.plugin_page_size}, std::int32_t{s.reply_port}}};
}

OscMessage strip_list() {
  return {"/strip/list", {}};
}

OscMessage strip_control(int ssid, Control c, double value) {
  if (c == Control::pan) value = position_from_pan(value);
  return {"/strip/" + std::string(control_name(c)),
          {std::int32_t{ssid}, value_arg(c, to_wire(c, value))}};
}

OscMessage strip_rename(int ssid, const std::string& name) {
  return {"/strip/name", {std::int32_t{ssid}, name}};
}

OscMessage strip_sends_query(int ssid) {
  return {"/strip/sends", {std::int32_t{ssid}}};
}

OscMessage send_gain(int ssid, int send_index, double gain_db) {
  return {"/strip/send/gain",
          {std::int32_t{ssid}, std::int32_t{send_index},
           static_cast<float>(to_wire(Control::gain_db, gain_db))}};
}

OscMessage master_control(Control c, double value) {
  return {"/master/" + std::string(control_name(c)), {value_arg(c, to_wire(c, value))}};
}

OscMessage transport(TransportControl control) {
  switch (control) {
    case TransportControl::play:
      return {"/transport_play", {}};
    case TransportControl::stop:
      return {"/transport_stop", {}};
    case TransportControl::record:
      return {"/rec_enable_toggle", {}};
    case TransportControl::rewind:
      return {"/rewind", {}};
    case TransportControl::fast_forward:
      return {"/ffwd", {}};
  }
  return {"/transport_stop", {}};
}

OscMessage transport_feedback(TransportControl control, bool on) {
  OscMessage m = transport(control);
  m.args.emplace_back(on ? 1.0f : 0.0f);
  return m;
}

OscMessage strip_feedback(int ssid, Control c, double value, bool ssid_in_path) {
  // Ardour sends most feedback as floats, toggles included.
  const OscArg v = static_cast<float>(to_wire(c, value));
  if (ssid_in_path)
    return {"/strip/" + std::string(control_name(c)) + "/" + std::to_string(ssid), {v}};
  return {"/strip/" + std::string(control_name(c)), {std::int32_t{ssid}, v}};
}

OscMessage strip_name_feedback(int ssid, const std::string& name, bool ssid_in_path) {
  if (ssid_in_path) return {"/strip/name/" + std::to_string(ssid), {name}};
  return {"/strip/name", {std::int32_t{ssid}, name}};
}

OscMessage master_feedback(Control c, double value) {
  return {"/master/" + std::string(control_name(c)), {static_cast<float>(to_wire(c, value))}};
}

}  // namespace routewise::ardour
