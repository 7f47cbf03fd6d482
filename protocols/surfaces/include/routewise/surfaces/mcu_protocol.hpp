#pragma once
// Mackie Control Universal on the wire (Logic Control MIDI implementation; Ardour's
// libs/surfaces/mackie): pure encode and decode, no state. Byte values are those of
// ../shared/docs/protocols.md section 3.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "routewise/surfaces/midi_message.hpp"

namespace routewise::mcu {

// The model byte after F0 00 00 66: one per unit type; a unit is answered with its own.
enum class Model : std::uint8_t { logic = 0x10, logic_xt = 0x11, mcu = 0x14, mcu_xt = 0x15 };

constexpr int strips_per_unit = 8;
constexpr int master_fader = 8;  // pitch-bend channel of the master fader
constexpr int fader_max = 0x3FFF;
constexpr int lcd_width = 56;  // characters per row
constexpr int lcd_strip_width = 7;

// Note numbers of buttons (and of their LEDs).
namespace note {
constexpr std::uint8_t rec = 0x00, solo = 0x08, mute = 0x10, select = 0x18, vpot_push = 0x20;
constexpr std::uint8_t assign_track = 0x28, assign_send = 0x29, assign_pan = 0x2A,
                       assign_plugin = 0x2B;
constexpr std::uint8_t bank_left = 0x2E, bank_right = 0x2F, channel_left = 0x30,
                       channel_right = 0x31, flip = 0x32, name_value = 0x34;
constexpr std::uint8_t shift = 0x46;
constexpr std::uint8_t rewind = 0x5B, fast_forward = 0x5C, stop = 0x5D, play = 0x5E, record = 0x5F;
constexpr std::uint8_t fader_touch = 0x68, master_touch = 0x70;
}  // namespace note

enum class Led : std::uint8_t { off = 0x00, flash = 0x01, on = 0x7F };
enum class RingMode : std::uint8_t { dot = 0, boost_cut = 1, wrap = 2, spread = 3 };

// SysEx command bytes.
namespace cmd {
constexpr std::uint8_t device_query = 0x00, host_connection_query = 0x01,
                       host_connection_reply = 0x02, host_connection_confirm = 0x03,
                       host_connection_error = 0x04, timecode = 0x10, assignment = 0x11, lcd = 0x12,
                       version_request = 0x13, version_reply = 0x14, meter_mode = 0x20,
                       global_lcd_meter_mode = 0x21, faders_to_minimum = 0x61, leds_off = 0x62,
                       reset = 0x63;
}  // namespace cmd

MidiBytes sysex(Model model, std::uint8_t command, const MidiBytes& payload = {});
MidiBytes fader(int fader_index, int value_14bit);  // 0..7 strips, 8 master
MidiBytes led(std::uint8_t note_number, Led state);
MidiBytes ring(int pot, RingMode mode, int position_0_11, bool centre);
MidiBytes meter(int strip, int segment_0_12);
MidiBytes meter_overload(int strip, bool set);
// LCD text at an offset (0x00..0x37 upper row, 0x38..0x6F lower row); UTF-8 becomes Latin-1,
// what Latin-1 cannot hold becomes '_'.
MidiBytes lcd(Model model, int offset, std::string_view utf8_text);
// 7-segment character code (upper-case ASCII folded into 0x00..0x3F, +0x40 lights the dot).
std::uint8_t seven_segment(char c, bool dot = false);
MidiBytes timecode_digit(int digit_from_right, char c, bool dot = false);
// The two-character assignment display: CC 0x4B the left character, 0x4A the right.
MidiBytes assignment_digit(bool left, char c);
// The DAW's playhead text ("01:02:03:04") as the ten 7-segment codes of the timecode display,
// right-most first, a separator lighting the dot of the digit before it.
std::array<std::uint8_t, 10> timecode_codes(std::string_view text);
// The Logic Control's challenge response (models 10/11); the MCU (14/15) needs none.
std::array<std::uint8_t, 4> challenge_response(const std::array<std::uint8_t, 4>& challenge);

// The V-Pot ring position Ardour shows for a 0..1 value (0 lights nothing).
int ring_position(double value_0_1, RingMode mode);

// ---- From the unit ----
struct FaderMove {
  int fader;  // 0..7, 8 = master
  int value;  // 0..16383
};
struct Button {
  std::uint8_t note_number;
  bool pressed;
};
struct Rotation {
  int pot;    // 0..7; -1 = jog wheel
  int ticks;  // signed: positive clockwise
};
struct Sysex {
  Model model;
  std::uint8_t command;
  MidiBytes payload;  // between the command byte and F7
};
using Input = std::variant<FaderMove, Button, Rotation, Sysex>;

// Nothing for bytes that are not MCU input (or are malformed).
std::optional<Input> decode(const MidiBytes& message);

}  // namespace routewise::mcu
