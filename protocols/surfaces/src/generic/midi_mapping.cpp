#include "routewise/surfaces/midi_mapping.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace routewise {
namespace {

constexpr double max7 = 127.0, max14 = 16383.0;
constexpr int nrpn_msb = 99, nrpn_lsb = 98, data_msb = 6, data_lsb = 38;

std::string_view kind_name(MidiControlKind k) {
  switch (k) {
    case MidiControlKind::cc:
      return "cc";
    case MidiControlKind::cc14:
      return "cc14";
    case MidiControlKind::nrpn:
      return "nrpn";
    case MidiControlKind::note:
      return "note";
    case MidiControlKind::pitch_bend:
      return "pb";
  }
  return "?";
}

std::optional<int> number(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string to_string(const MidiControl& c) {
  if (c.kind == MidiControlKind::pitch_bend) return fmt::format("pb:{}", c.channel);
  return fmt::format("{}:{}:{}", kind_name(c.kind), c.channel, c.number);
}

std::optional<MidiControl> parse_midi_control(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  MidiControl c;
  if (parts[0] == "cc")
    c.kind = MidiControlKind::cc;
  else if (parts[0] == "cc14")
    c.kind = MidiControlKind::cc14;
  else if (parts[0] == "nrpn")
    c.kind = MidiControlKind::nrpn;
  else if (parts[0] == "note")
    c.kind = MidiControlKind::note;
  else if (parts[0] == "pb")
    c.kind = MidiControlKind::pitch_bend;
  else
    return std::nullopt;
  const std::size_t expected = c.kind == MidiControlKind::pitch_bend ? 2 : 3;
  if (parts.size() != expected) return std::nullopt;
  const auto channel = number(parts[1]);
  if (!channel || *channel < 1 || *channel > 16) return std::nullopt;
  c.channel = *channel;
  if (expected == 3) {
    const auto n = number(parts[2]);
    const int limit = c.kind == MidiControlKind::nrpn   ? 16383
                      : c.kind == MidiControlKind::cc14 ? 31
                                                        : 127;
    if (!n || *n < 0 || *n > limit) return std::nullopt;
    c.number = *n;
  }
  return c;
}

std::vector<ControlEvent> MidiControlDecoder::feed(const MidiBytes& m) {
  std::vector<ControlEvent> out;
  if (m.empty() || m[0] < 0x80 || m[0] >= 0xF0) return out;
  const int kind = m[0] & 0xF0, channel = (m[0] & 0x0F) + 1;
  if ((kind == 0x90 || kind == 0x80) && m.size() == 3) {
    out.push_back(
        {{MidiControlKind::note, channel, m[1] & 0x7F}, kind == 0x90 && m[2] > 0 ? 1.0 : 0.0});
  } else if (kind == 0xE0 && m.size() == 3) {
    out.push_back({{MidiControlKind::pitch_bend, channel, 0}, ((m[2] << 7) | m[1]) / max14});
  } else if (kind == 0xB0 && m.size() == 3) {
    const int cc = m[1] & 0x7F, value = m[2] & 0x7F;
    Nrpn& n = nrpn_[channel];
    if (cc == nrpn_msb) {
      n.param_msb = value;
    } else if (cc == nrpn_lsb) {
      n.param_lsb = value;
    } else if ((cc == data_msb || cc == data_lsb) && n.param_msb >= 0 && n.param_lsb >= 0) {
      if (cc == data_msb) n.data_msb = value;
      const int combined = (n.data_msb << 7) | (cc == data_lsb ? value : 0);
      out.push_back(
          {{MidiControlKind::nrpn, channel, (n.param_msb << 7) | n.param_lsb}, combined / max14});
    } else if (cc < 32 && cc14_.contains({MidiControlKind::cc14, channel, cc})) {
      msb_[{channel, cc}] = value;  // the LSB usually follows; the MSB alone is a coarse step
      out.push_back({{MidiControlKind::cc14, channel, cc}, (value << 7) / max14});
    } else if (cc >= 32 && cc < 64 && cc14_.contains({MidiControlKind::cc14, channel, cc - 32})) {
      const int msb = msb_[{channel, cc - 32}];
      out.push_back({{MidiControlKind::cc14, channel, cc - 32}, ((msb << 7) | value) / max14});
    } else {
      out.push_back({{MidiControlKind::cc, channel, cc}, value / max7});
    }
  }
  return out;
}

void MidiLearn::feed(const MidiBytes& m) {
  if (learned_) return;
  if (m.size() == 3 && (m[0] & 0xF0) == 0xB0) ccs_seen_.insert({(m[0] & 0x0F) + 1, m[1] & 0x7F});
  for (const ControlEvent& e : decoder_.feed(m)) {
    if (e.control.kind == MidiControlKind::note) {
      if (e.value > 0) learned_ = e.control;  // a press names a button at once
      continue;
    }
    if (++counts_[e.control] < moves_) continue;
    MidiControl c = e.control;
    if (c.kind == MidiControlKind::cc) {
      const int ch = c.channel;
      if (c.number < 32 && ccs_seen_.contains({ch, c.number + 32}))
        c = {MidiControlKind::cc14, ch, c.number};
      else if (c.number >= 32 && c.number < 64 && ccs_seen_.contains({ch, c.number - 32}))
        c = {MidiControlKind::cc14, ch, c.number - 32};
    }
    learned_ = c;
    return;
  }
}

bool Pickup::accept(double control, double current) {
  if (!engaged_) {
    const bool near = std::fabs(control - current) <= catch_;
    const bool crossed = last_ && ((*last_ - current) * (control - current) <= 0);
    engaged_ = near || crossed;
  }
  last_ = control;
  return engaged_;
}

}  // namespace routewise
