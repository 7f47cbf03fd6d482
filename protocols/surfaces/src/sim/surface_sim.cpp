#include "routewise/surfaces/surface_sim.hpp"

#include <algorithm>

namespace routewise::mcu {
namespace {

const MidiBytes serial = {'R', 'W', 'S', 'I', 'M', '0', '1'};
const MidiBytes challenge = {0x11, 0x22, 0x33, 0x44};

}  // namespace

SurfaceSim::SurfaceSim(const std::vector<Model>& units, Sink sink) : sink_(std::move(sink)) {
  for (Model m : units) {
    SimUnit u;
    u.model = m;
    units_.push_back(u);
  }
}

void SurfaceSim::power_on(int unit) {
  MidiBytes payload = serial;
  payload.insert(payload.end(), challenge.begin(), challenge.end());
  sink_(unit, sysex(units_.at(static_cast<std::size_t>(unit)).model, cmd::host_connection_query,
                    payload));
}

void SurfaceSim::handle_sysex(SimUnit& u, int unit, const MidiBytes& m) {
  if (m.size() < 7 || m[1] != 0 || m[2] != 0 || m[3] != 0x66) {
    ++u.malformed;
    return;
  }
  const std::uint8_t command = m[5];
  const MidiBytes payload(m.begin() + 6, m.end() - 1);
  switch (command) {
    case cmd::device_query:
      return power_on(unit);
    case cmd::host_connection_reply: {
      if (payload.size() < 11) return;
      const auto expected =
          challenge_response({challenge[0], challenge[1], challenge[2], challenge[3]});
      const bool right = std::equal(expected.begin(), expected.end(), payload.begin() + 7);
      u.online = right;
      sink_(unit, sysex(u.model, right ? cmd::host_connection_confirm : cmd::host_connection_error,
                        serial));
      return;
    }
    case cmd::lcd: {
      if (payload.empty()) return;
      std::size_t offset = payload[0];
      for (std::size_t i = 1; i < payload.size() && offset < u.lcd.size(); ++i, ++offset)
        u.lcd[offset] = static_cast<char>(payload[i]);
      return;
    }
    case cmd::version_request:
      sink_(unit, sysex(u.model, cmd::version_reply, {'V', '1', '.', '0', '2'}));
      return;
    default:
      return;
  }
}

void SurfaceSim::receive(int unit, const MidiBytes& m) {
  if (unit < 0 || unit >= static_cast<int>(units_.size()) || m.empty()) return;
  SimUnit& u = units_[static_cast<std::size_t>(unit)];
  ++u.received;
  if (m[0] == 0xF0) return handle_sysex(u, unit, m);
  // An MCU answered with a 14/15 model byte is online once the host talks to it.
  u.online = u.online || u.model == Model::mcu || u.model == Model::mcu_xt;
  const std::uint8_t kind = m[0] & 0xF0;
  if (kind == 0xE0 && m.size() == 3) {
    const auto i = static_cast<std::size_t>(m[0] & 0x0F);
    if (i > 8) return;
    u.motor_target[i] = m[1] | (m[2] << 7);
    if (u.touched[i])
      ++u.motor_while_touched;  // the motor is cut: applied on release
    else
      u.fader[i] = u.motor_target[i];
    return;
  }
  if (kind == 0x90 && m.size() == 3) {
    u.leds[m[1]] = static_cast<Led>(m[2]);
    return;
  }
  if (kind == 0xB0 && m.size() == 3 && m[1] >= 0x30 && m[1] <= 0x37) {
    u.ring[m[1] - 0x30] = m[2];
    return;
  }
  if (kind == 0xB0 && m.size() == 3 && m[1] >= 0x40 && m[1] <= 0x49) {
    u.timecode[m[1] - 0x40] = m[2];
    return;
  }
  if (kind == 0xB0 && m.size() == 3 && (m[1] == 0x4A || m[1] == 0x4B)) {
    u.assignment[m[1] == 0x4B ? 0 : 1] = m[2];
    return;
  }
  if (kind == 0xD0 && m.size() == 2) {
    const std::size_t strip = m[1] >> 4;
    const int low = m[1] & 0x0F;
    if (strip > 7) return;
    if (low == 0x0E)
      u.overload[strip] = true;
    else if (low == 0x0F)
      u.overload[strip] = false;
    else
      u.meter[strip] = std::min(low, 12);
    return;
  }
  ++u.malformed;
}

namespace {
char from_seven_segment(std::uint8_t code) {
  const int c = code & 0x3F;
  return static_cast<char>(c < 0x20 ? c + 0x40 : c);
}
}  // namespace

std::string SimUnit::timecode_text() const {
  std::string out;
  // The unit numbers its digits from the right.
  for (std::size_t i = timecode.size(); i-- > 0;) {
    out.push_back(from_seven_segment(timecode[i]));
    if (timecode[i] & 0x40) out.push_back('.');
  }
  return out;
}

std::string SimUnit::assignment_text() const {
  return {from_seven_segment(assignment[0]), from_seven_segment(assignment[1])};
}

void SurfaceSim::touch(int unit, int i, bool down) {
  SimUnit& u = units_.at(static_cast<std::size_t>(unit));
  const auto k = static_cast<std::size_t>(i);
  u.touched.at(k) = down;
  if (!down) u.fader[k] = u.motor_target[k];  // the motor takes it to the last position sent
  const auto touch_note =
      static_cast<std::uint8_t>(i == master_fader ? note::master_touch : note::fader_touch + i);
  sink_(unit, {0x90, touch_note, static_cast<std::uint8_t>(down ? 0x7F : 0x00)});
}

void SurfaceSim::move(int unit, int i, int value) {
  SimUnit& u = units_.at(static_cast<std::size_t>(unit));
  u.fader.at(static_cast<std::size_t>(i)) = std::clamp(value, 0, fader_max);
  sink_(unit, fader(i, value));
}

void SurfaceSim::hold(int unit, std::uint8_t n, bool down) {
  sink_(unit, {0x90, n, static_cast<std::uint8_t>(down ? 0x7F : 0x00)});
}

void SurfaceSim::press(int unit, std::uint8_t n) {
  hold(unit, n, true);
  hold(unit, n, false);
}

void SurfaceSim::turn(int unit, int pot, int ticks) {
  const int magnitude = std::min(std::abs(ticks), 63);
  sink_(unit, {0xB0, static_cast<std::uint8_t>(0x10 + pot),
               static_cast<std::uint8_t>((ticks < 0 ? 0x40 : 0) | magnitude)});
}

}  // namespace routewise::mcu
