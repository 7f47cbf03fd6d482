#include "routewise/surfaces/generic_surface.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "routewise/surfaces/mcu_protocol.hpp"

namespace routewise {
namespace {

bool is_toggle(MappedParameter p) {
  return p == MappedParameter::mute || p == MappedParameter::solo || p == MappedParameter::bypass;
}

int plugin_slot(const std::string& argument) {  // 0 when it is not a slot number
  int slot = 0;
  const auto [end, ec] = std::from_chars(argument.data(), argument.data() + argument.size(), slot);
  return ec == std::errc() && end == argument.data() + argument.size() ? slot : 0;
}

std::uint8_t status(int kind, int channel) {
  return static_cast<std::uint8_t>(kind | ((channel - 1) & 0x0F));
}

}  // namespace

std::optional<MappedParameter> mapped_parameter_named(std::string_view name) {
  for (MappedParameter p : {MappedParameter::fader, MappedParameter::send, MappedParameter::mute,
                            MappedParameter::solo, MappedParameter::pan, MappedParameter::bypass})
    if (to_string(p) == name) return p;
  return std::nullopt;
}

std::string_view to_string(MappedParameter p) {
  switch (p) {
    case MappedParameter::fader:
      return "fader";
    case MappedParameter::send:
      return "send";
    case MappedParameter::mute:
      return "mute";
    case MappedParameter::solo:
      return "solo";
    case MappedParameter::pan:
      return "pan";
    case MappedParameter::bypass:
      return "bypass";
  }
  return "?";
}

std::optional<GenericMapping> mapping_from_row(const SurfaceMapping& row, std::string& error) {
  GenericMapping m;
  const auto control = parse_midi_control(row.control);
  if (!control) {
    error =
        "control '" + row.control + "' is not cc:CH:N, cc14:CH:N, nrpn:CH:N, note:CH:N or pb:CH";
    return std::nullopt;
  }
  const auto parameter = mapped_parameter_named(row.parameter);
  if (!parameter) {
    error = "parameter '" + row.parameter + "' is not fader, send, mute, solo, pan or bypass";
    return std::nullopt;
  }
  if (*parameter == MappedParameter::bypass && plugin_slot(row.argument) < 1) {
    error = "bypass argument '" + row.argument + "' is not a plugin slot (1, 2, ...)";
    return std::nullopt;
  }
  m.control = *control;
  m.strip = row.target_node;
  m.parameter = *parameter;
  m.argument = row.argument;
  m.soft_takeover = row.soft_takeover;
  return m;
}

SurfaceMapping row_from_mapping(const GenericMapping& m, const std::string& profile) {
  SurfaceMapping row;
  row.profile = profile;
  row.control = to_string(m.control);
  row.target_node = m.strip;
  row.parameter = std::string(to_string(m.parameter));
  row.argument = m.argument;
  row.soft_takeover = m.soft_takeover;
  return row;
}

GenericSurface::GenericSurface(LiveMixer& mixer, std::vector<GenericMapping> mappings,
                               Sink feedback, FaderLaw law)
    : mixer_(mixer),
      mappings_(std::move(mappings)),
      pickups_(mappings_.size()),
      bypassed_(mappings_.size(), false),
      feedback_(std::move(feedback)),
      law_(law) {
  std::set<MidiControl> pairs;
  for (const GenericMapping& m : mappings_)
    if (m.control.kind == MidiControlKind::cc14) pairs.insert(m.control);
  decoder_ = MidiControlDecoder(std::move(pairs));
  mixer_.add_listener(*this);
}

GenericSurface::~GenericSurface() {
  mixer_.remove_listener(*this);
}

const LiveStrip* GenericSurface::strip_of(const GenericMapping& m) const {
  for (const auto& [position, s] : mixer_.strips())
    if (s.name == m.strip) return &s;
  return nullptr;
}

std::optional<double> GenericSurface::current(std::size_t index) const {
  const GenericMapping& m = mappings_.at(index);
  const LiveStrip* s = strip_of(m);
  if (!s) return std::nullopt;
  const auto position = [&](double db) { return fader_position_from_db(db, law_); };
  switch (m.parameter) {
    case MappedParameter::fader:
      return position(s->gain_db);
    case MappedParameter::pan:
      return (std::clamp(s->pan, -1.0, 1.0) + 1.0) / 2.0;
    case MappedParameter::mute:
      return s->mute ? 1.0 : 0.0;
    case MappedParameter::solo:
      return s->solo ? 1.0 : 0.0;
    case MappedParameter::bypass:
      return bypassed_[index] ? 1.0 : 0.0;
    case MappedParameter::send:
      for (const LiveSend& send : s->sends)
        if (send.target_name == m.argument) return position(send.level_db);
      return std::nullopt;
  }
  return std::nullopt;
}

void GenericSurface::on_midi(const MidiBytes& message) {
  for (const ControlEvent& e : decoder_.feed(message))
    for (std::size_t i = 0; i < mappings_.size(); ++i)
      if (mappings_[i].control == e.control) apply(i, e.value);
}

void GenericSurface::apply(std::size_t index, double value) {
  const GenericMapping& m = mappings_[index];
  const LiveStrip* s = strip_of(m);
  const auto now = current(index);
  if (!s || !now) return;
  if (is_toggle(m.parameter)) {
    // A note is a momentary button: each press toggles. A CC switch sends its state.
    bool on = value >= 0.5;
    if (m.control.kind == MidiControlKind::note) {
      if (value < 0.5) return;
      on = *now < 0.5;
    }
    if (m.parameter == MappedParameter::bypass) {
      // The DAW sends no bypass feedback: the LED shows what was sent.
      if (mixer_.request(PluginBypassRequest{s->node_id, plugin_slot(m.argument), on}, this))
        bypassed_[index] = on;
      return send_feedback(index);
    }
    mixer_.set(s->node_id,
               m.parameter == MappedParameter::mute ? MixerControl::mute : MixerControl::solo,
               on ? 1.0 : 0.0, this);
    return send_feedback(index);  // the LED shows what the mixer holds now
  }
  if (m.soft_takeover && !pickups_[index].accept(value, *now)) return;
  const double db = fader_db_from_position(value, law_);
  switch (m.parameter) {
    case MappedParameter::fader:
      mixer_.set(s->node_id, MixerControl::gain_db, db, this);
      break;
    case MappedParameter::pan:
      mixer_.set(s->node_id, MixerControl::pan, value * 2.0 - 1.0, this);
      break;
    case MappedParameter::send:
      for (const LiveSend& send : s->sends)
        if (send.target_name == m.argument && !send.target_node_id.empty())
          mixer_.set_send(s->node_id, send.target_node_id, db, this);
      break;
    default:
      break;
  }
}

void GenericSurface::value_changed(const LiveMixer::ValueChange& c) {
  for (std::size_t i = 0; i < mappings_.size(); ++i) {
    const GenericMapping& m = mappings_[i];
    const LiveStrip* s = strip_of(m);
    if (!s || s->node_id != c.node_id) continue;
    const bool same_parameter =
        (m.parameter == MappedParameter::fader && c.control == MixerControl::gain_db) ||
        (m.parameter == MappedParameter::pan && c.control == MixerControl::pan) ||
        (m.parameter == MappedParameter::mute && c.control == MixerControl::mute) ||
        (m.parameter == MappedParameter::solo && c.control == MixerControl::solo) ||
        (m.parameter == MappedParameter::send && c.control == MixerControl::send_level);
    if (!same_parameter) continue;
    // Moved elsewhere (our own moves are not told here): the knob must meet the new value first.
    pickups_[i].release();
    send_feedback(i);
  }
}

void GenericSurface::send_feedback(std::size_t index) {
  const GenericMapping& m = mappings_[index];
  const auto now = current(index);
  if (!feedback_ || !now) return;
  const MidiControl& c = m.control;
  if (c.kind == MidiControlKind::note) {
    if (is_toggle(m.parameter))
      feedback_({status(0x90, c.channel), static_cast<std::uint8_t>(c.number),
                 static_cast<std::uint8_t>(*now >= 0.5 ? 0x7F : 0x00)});
    return;
  }
  if (m.soft_takeover && !is_toggle(m.parameter)) return;  // no motor, no ring: nothing to show
  const int v14 = static_cast<int>(std::lround(*now * 16383.0));
  const auto b = [](int v) { return static_cast<std::uint8_t>(v & 0x7F); };
  switch (c.kind) {
    case MidiControlKind::cc:
      feedback_(
          {status(0xB0, c.channel), b(c.number), b(static_cast<int>(std::lround(*now * 127)))});
      break;
    case MidiControlKind::cc14:
      feedback_({status(0xB0, c.channel), b(c.number), b(v14 >> 7)});
      feedback_({status(0xB0, c.channel), b(c.number + 32), b(v14)});
      break;
    case MidiControlKind::nrpn:
      feedback_({status(0xB0, c.channel), 99, b(c.number >> 7)});
      feedback_({status(0xB0, c.channel), 98, b(c.number)});
      feedback_({status(0xB0, c.channel), 6, b(v14 >> 7)});
      feedback_({status(0xB0, c.channel), 38, b(v14)});
      break;
    case MidiControlKind::pitch_bend:
      feedback_({status(0xE0, c.channel), b(v14), b(v14 >> 7)});
      break;
    default:
      break;
  }
}

}  // namespace routewise
