#pragma once
// A software Mackie Control (a main unit and extenders) for tests and demos: it keeps its own
// faders, LEDs, LCD, V-Pot rings and meters from the MIDI it receives, answers the handshake as a
// unit does, and sends touches, moves, presses and turns like a hand on the hardware.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "routewise/surfaces/mcu_protocol.hpp"

namespace routewise::mcu {

struct SimUnit {
  Model model = Model::mcu;
  bool online = false;         // the host answered the handshake (or started talking)
  std::array<int, 9> fader{};  // where each motor put it (or the hand left it); [8] master
  std::array<bool, 9> touched{};
  std::array<int, 9> motor_target{};  // the last position received (the unit goes there)
  std::map<std::uint8_t, Led> leds;
  std::string lcd = std::string(std::size_t{2} * lcd_width, ' ');
  std::array<std::uint8_t, 8> ring{};  // the last ring byte (mode, centre, position)
  std::array<int, 8> meter{};          // 0..12
  std::array<bool, 8> overload{};
  std::array<std::uint8_t, 10> timecode{};   // 7-segment codes, right-most digit first
  std::array<std::uint8_t, 2> assignment{};  // left, right
  // The timecode display as text, left to right, '.' after a digit whose dot is lit.
  std::string timecode_text() const;
  std::string assignment_text() const;
  // Messages that arrived for a touched fader: a host that fights the hand (should stay 0).
  std::uint64_t motor_while_touched = 0;
  std::uint64_t received = 0, malformed = 0;
  std::string upper_row() const { return lcd.substr(0, lcd_width); }
  std::string lower_row() const { return lcd.substr(lcd_width, lcd_width); }
  std::string cell(int row, int strip) const {  // 6 characters of one strip's LCD cell
    const int at = row * lcd_width + strip * lcd_strip_width;
    return lcd.substr(static_cast<std::size_t>(at), 6);
  }
};

class SurfaceSim {
 public:
  using Sink = std::function<void(int unit, const MidiBytes& message)>;
  // units: the main unit's model first, then the extenders'.
  SurfaceSim(const std::vector<Model>& units, Sink sink);

  void receive(int unit, const MidiBytes& message);
  // What a unit sends at power-on: a Host Connection Query.
  void power_on(int unit);

  void touch(int unit, int fader_index, bool down);
  void move(int unit, int fader_index, int value_14bit);
  void press(int unit, std::uint8_t note_number);  // press and release
  void hold(int unit, std::uint8_t note_number, bool down);
  void turn(int unit, int pot, int ticks);

  const SimUnit& unit(int index) const { return units_.at(static_cast<std::size_t>(index)); }
  std::size_t units() const { return units_.size(); }

 private:
  void handle_sysex(SimUnit& u, int unit, const MidiBytes& m);
  std::vector<SimUnit> units_;
  Sink sink_;
};

}  // namespace routewise::mcu
