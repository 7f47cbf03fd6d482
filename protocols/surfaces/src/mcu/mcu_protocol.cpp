#include "routewise/surfaces/mcu_protocol.hpp"

#include <algorithm>
#include <cmath>

namespace routewise::mcu {
namespace {

constexpr std::uint8_t manufacturer[] = {0x00, 0x00, 0x66};

bool is_model(std::uint8_t b) {
  return b == 0x10 || b == 0x11 || b == 0x14 || b == 0x15;
}

std::uint8_t data7(int v) {
  return static_cast<std::uint8_t>(std::clamp(v, 0, 0x7F));
}

}  // namespace

MidiBytes sysex(Model model, std::uint8_t command, const MidiBytes& payload) {
  MidiBytes out{
      0xF0,   manufacturer[0], manufacturer[1], manufacturer[2], static_cast<std::uint8_t>(model),
      command};
  for (std::uint8_t b : payload) out.push_back(b & 0x7F);
  out.push_back(0xF7);
  return out;
}

MidiBytes fader(int fader_index, int value_14bit) {
  const int v = std::clamp(value_14bit, 0, fader_max);
  return {static_cast<std::uint8_t>(0xE0 | (std::clamp(fader_index, 0, 8) & 0x0F)),
          static_cast<std::uint8_t>(v & 0x7F), static_cast<std::uint8_t>(v >> 7)};
}

MidiBytes led(std::uint8_t note_number, Led state) {
  return {0x90, static_cast<std::uint8_t>(note_number & 0x7F), static_cast<std::uint8_t>(state)};
}

MidiBytes ring(int pot, RingMode mode, int position_0_11, bool centre) {
  const int value =
      (centre ? 0x40 : 0) | (static_cast<int>(mode) << 4) | std::clamp(position_0_11, 0, 11);
  return {0xB0, static_cast<std::uint8_t>(0x30 + std::clamp(pot, 0, 7)), data7(value)};
}

MidiBytes meter(int strip, int segment_0_12) {
  return {0xD0, static_cast<std::uint8_t>((std::clamp(strip, 0, 7) << 4) |
                                          std::clamp(segment_0_12, 0, 12))};
}

MidiBytes meter_overload(int strip, bool set) {
  return {0xD0, static_cast<std::uint8_t>((std::clamp(strip, 0, 7) << 4) | (set ? 0x0E : 0x0F))};
}

MidiBytes lcd(Model model, int offset, std::string_view utf8_text) {
  MidiBytes payload{data7(offset)};
  for (std::size_t i = 0; i < utf8_text.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8_text[i]);
    std::uint32_t code = c;
    if (c >= 0x80) {  // decode one UTF-8 sequence; only Latin-1 survives the display
      int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
      code = extra == 0 ? 0xFFFF : c & (0x3F >> extra);
      for (; extra > 0 && i + 1 < utf8_text.size(); --extra)
        code = (code << 6) | (static_cast<unsigned char>(utf8_text[++i]) & 0x3F);
    }
    // The LCD takes 7-bit data: Latin-1 letters above 0x7F have no place in a SysEx byte.
    payload.push_back(code >= 0x20 && code < 0x7F ? static_cast<std::uint8_t>(code) : '_');
  }
  return sysex(model, cmd::lcd, payload);
}

std::uint8_t seven_segment(char c, bool dot) {
  const auto u = static_cast<unsigned char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  std::uint8_t code = 0x20;
  if (u >= 0x40 && u <= 0x5F)
    code = static_cast<std::uint8_t>(u - 0x40);
  else if (u >= 0x20 && u <= 0x3F)
    code = u;
  return static_cast<std::uint8_t>(code | (dot ? 0x40 : 0));
}

MidiBytes timecode_digit(int digit_from_right, char c, bool dot) {
  return {0xB0, static_cast<std::uint8_t>(0x40 + std::clamp(digit_from_right, 0, 9)),
          seven_segment(c, dot)};
}

MidiBytes assignment_digit(bool left, char c) {
  return {0xB0, static_cast<std::uint8_t>(left ? 0x4B : 0x4A), seven_segment(c)};
}

std::array<std::uint8_t, 10> timecode_codes(std::string_view text) {
  std::array<std::uint8_t, 10> codes;
  codes.fill(seven_segment(' '));
  std::size_t digit = 0;
  bool dot = false;
  for (auto it = text.rbegin(); it != text.rend() && digit < codes.size(); ++it) {
    if (*it == ':' || *it == '.' || *it == '|') {
      dot = true;  // lights the dot of the digit to its left
      continue;
    }
    codes[digit++] = seven_segment(*it, dot);
    dot = false;
  }
  return codes;
}

std::array<std::uint8_t, 4> challenge_response(const std::array<std::uint8_t, 4>& l) {
  const int l1 = l[0], l2 = l[1], l3 = l[2], l4 = l[3];
  // The Logic Control manual's formula ([LC] p. 240; Ardour shifts r2 by l4 instead of 4).
  return {static_cast<std::uint8_t>(0x7F & (l1 + (l2 ^ 0x0A) - l4)),
          static_cast<std::uint8_t>(0x7F & ((l3 >> 4) ^ (l1 + l4))),
          static_cast<std::uint8_t>(0x7F & ((l4 - (l3 << 2)) ^ (l1 | l2))),
          static_cast<std::uint8_t>(0x7F & (l2 - l3 + (0xF0 ^ (l4 << 4))))};
}

int ring_position(double value_0_1, RingMode mode) {
  const double v = std::clamp(value_0_1, 0.0, 1.0);
  if (mode == RingMode::spread) return static_cast<int>(std::lround(v * 6.0));
  return static_cast<int>(std::lround(v * 10.0)) + 1;
}

std::optional<Input> decode(const MidiBytes& m) {
  if (m.empty()) return std::nullopt;
  const std::uint8_t status = m[0];
  if (status == 0xF0) {
    if (m.size() < 7 || m.back() != 0xF7 || m[1] != 0 || m[2] != 0 || m[3] != 0x66 ||
        !is_model(m[4]))
      return std::nullopt;
    return Sysex{static_cast<Model>(m[4]), m[5], MidiBytes(m.begin() + 6, m.end() - 1)};
  }
  const std::uint8_t kind = status & 0xF0, channel = status & 0x0F;
  if (m.size() == 3 && kind == 0xE0 && channel <= 8 && m[1] < 0x80 && m[2] < 0x80)
    return FaderMove{channel, m[1] | (m[2] << 7)};
  if (m.size() == 3 && (kind == 0x90 || kind == 0x80) && m[1] < 0x80 && m[2] < 0x80)
    return Button{m[1], kind == 0x90 && m[2] > 0};  // note off, or velocity 0: released
  if (m.size() == 3 && kind == 0xB0 && m[2] < 0x80) {
    const int cc = m[1];
    int pot = 0;
    if (cc >= 0x10 && cc <= 0x17)
      pot = cc - 0x10;
    else if (cc == 0x3C)
      pot = -1;
    else
      return std::nullopt;
    const int magnitude = std::max(1, m[2] & 0x3F);  // some units send 0 for one tick
    return Rotation{pot, (m[2] & 0x40) ? -magnitude : magnitude};
  }
  return std::nullopt;
}

}  // namespace routewise::mcu
