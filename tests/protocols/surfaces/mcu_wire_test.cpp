// The MCU wire, byte for byte, against the Logic Control MIDI implementation and Ardour's mackie
// surface (../shared/docs/protocols.md section 3); the stream parser; the LCD layout, meter scale
// and fader law; the touch rule of one motor fader.
#include <gtest/gtest.h>

#include <cmath>

#include "routewise/surfaces/mcu_display.hpp"
#include "routewise/surfaces/mcu_fader.hpp"
#include "routewise/surfaces/mcu_protocol.hpp"
#include "routewise/surfaces/midi_message.hpp"

namespace routewise::mcu {
namespace {

using B = MidiBytes;

TEST(McuWire, ChannelMessagesAsTheManualGivesThem) {
  EXPECT_EQ(fader(0, fader_max), (B{0xE0, 0x7F, 0x7F}));
  EXPECT_EQ(fader(master_fader, 0x2000), (B{0xE8, 0x00, 0x40}));
  EXPECT_EQ(fader(3, 99999), (B{0xE3, 0x7F, 0x7F}));  // clamped, never a status byte in data
  EXPECT_EQ(led(note::mute + 2, Led::on), (B{0x90, 0x12, 0x7F}));
  EXPECT_EQ(led(note::solo, Led::flash), (B{0x90, 0x08, 0x01}));
  EXPECT_EQ(led(note::flip, Led::off), (B{0x90, 0x32, 0x00}));
  EXPECT_EQ(ring(3, RingMode::boost_cut, 6, true), (B{0xB0, 0x33, 0x56}));
  EXPECT_EQ(ring(0, RingMode::dot, 0, false), (B{0xB0, 0x30, 0x00}));
  EXPECT_EQ(meter(2, 12), (B{0xD0, 0x2C}));
  EXPECT_EQ(meter_overload(2, true), (B{0xD0, 0x2E}));
  EXPECT_EQ(meter_overload(7, false), (B{0xD0, 0x7F}));
  EXPECT_EQ(timecode_digit(0, '5', true), (B{0xB0, 0x40, 0x75}));
}

TEST(McuWire, SysexHeaderLcdAndSevenSegmentCodes) {
  EXPECT_EQ(sysex(Model::mcu, cmd::device_query), (B{0xF0, 0x00, 0x00, 0x66, 0x14, 0x00, 0xF7}));
  EXPECT_EQ(lcd(Model::mcu_xt, 0x38, "Kick"),
            (B{0xF0, 0x00, 0x00, 0x66, 0x15, 0x12, 0x38, 'K', 'i', 'c', 'k', 0xF7}));
  // UTF-8 beyond 7-bit ASCII cannot travel in SysEx data: one '_' per character, not per byte.
  EXPECT_EQ(lcd(Model::mcu, 0, "B\xC3\xA4ss"),
            (B{0xF0, 0x00, 0x00, 0x66, 0x14, 0x12, 0x00, 'B', '_', 's', 's', 0xF7}));
  EXPECT_EQ(seven_segment('A'), 0x01);
  EXPECT_EQ(seven_segment('a'), 0x01);
  EXPECT_EQ(seven_segment('5'), 0x35);
  EXPECT_EQ(seven_segment(' '), 0x20);
  EXPECT_EQ(seven_segment('~'), 0x20);
  EXPECT_EQ(seven_segment('0', true), 0x70);
}

TEST(McuWire, DecodesWhatAUnitSends) {
  const auto f = decode({0xE1, 0x00, 0x40});
  ASSERT_TRUE(f && std::holds_alternative<FaderMove>(*f));
  EXPECT_EQ(std::get<FaderMove>(*f).fader, 1);
  EXPECT_EQ(std::get<FaderMove>(*f).value, 0x2000);
  const auto touch = decode({0x90, 0x68, 0x7F});
  ASSERT_TRUE(touch);
  EXPECT_TRUE(std::get<Button>(*touch).pressed);
  EXPECT_FALSE(std::get<Button>(*decode({0x90, 0x68, 0x00})).pressed);  // velocity 0
  EXPECT_FALSE(std::get<Button>(*decode({0x80, 0x68, 0x40})).pressed);  // a real note off
  EXPECT_EQ(std::get<Rotation>(*decode({0xB0, 0x17, 0x47})).ticks, -7);
  EXPECT_EQ(std::get<Rotation>(*decode({0xB0, 0x17, 0x47})).pot, 7);
  EXPECT_EQ(std::get<Rotation>(*decode({0xB0, 0x10, 0x01})).ticks, 1);
  EXPECT_EQ(std::get<Rotation>(*decode({0xB0, 0x10, 0x00})).ticks, 1);  // units that send 0
  EXPECT_EQ(std::get<Rotation>(*decode({0xB0, 0x3C, 0x41})).pot, -1);   // jog wheel
  const auto q = decode(
      {0xF0, 0x00, 0x00, 0x66, 0x15, 0x01, 'A', 'B', 'C', 'D', 'E', 'F', 'G', 1, 2, 3, 4, 0xF7});
  ASSERT_TRUE(q);
  EXPECT_EQ(std::get<Sysex>(*q).model, Model::mcu_xt);
  EXPECT_EQ(std::get<Sysex>(*q).command, cmd::host_connection_query);
  EXPECT_EQ(std::get<Sysex>(*q).payload.size(), 11u);
  // Not MCU input: nothing, never a wrong control.
  EXPECT_FALSE(decode({}));
  EXPECT_FALSE(decode({0xE9, 0x00, 0x40}));                          // no fader 10
  EXPECT_FALSE(decode({0xB0, 0x07, 0x40}));                          // a volume CC
  EXPECT_FALSE(decode({0xF0, 0x00, 0x20, 0x32, 0x14, 0x01, 0xF7}));  // someone else's SysEx
  EXPECT_FALSE(decode({0xF0, 0x00, 0x00, 0x66, 0x14, 0x01}));        // unterminated
  EXPECT_FALSE(decode({0xE0, 0x80, 0x00}));                          // a status byte as data
}

TEST(McuWire, TimecodeAndAssignmentDisplays) {
  const auto codes = timecode_codes("01:02:03:04");
  EXPECT_EQ(codes[0], 0x34);  // right-most digit first
  EXPECT_EQ(codes[1], 0x30);
  EXPECT_EQ(codes[2], 0x73);  // '3' with its dot: a separator follows it
  EXPECT_EQ(codes[6], 0x71);  // the hours' "1", dotted
  EXPECT_EQ(codes[7], 0x30);
  EXPECT_EQ(codes[8], 0x20);  // unused digits blank
  EXPECT_EQ(codes[9], 0x20);
  EXPECT_EQ(assignment_digit(true, 'P'), (B{0xB0, 0x4B, 0x10}));
  EXPECT_EQ(assignment_digit(false, 'N'), (B{0xB0, 0x4A, 0x0E}));
}

TEST(McuWire, RingPositionsAsArdourShowsThem) {
  EXPECT_EQ(ring_position(0.0, RingMode::dot), 1);
  EXPECT_EQ(ring_position(0.5, RingMode::dot), 6);
  EXPECT_EQ(ring_position(1.0, RingMode::wrap), 11);
  EXPECT_EQ(ring_position(1.0, RingMode::spread), 6);
  EXPECT_EQ(ring_position(7.0, RingMode::boost_cut), 11);  // clamped
}

TEST(McuMeter, ArdourDeflectionOnThirteenSegments) {
  EXPECT_EQ(meter_segment(-INFINITY), 0);
  EXPECT_EQ(meter_segment(-80), 0);
  EXPECT_DOUBLE_EQ(meter_deflection(-20), 50.0);
  EXPECT_EQ(meter_segment(-20), 5);  // 50/115 of 12
  EXPECT_EQ(meter_segment(0), 10);   // 100/115 of 12
  EXPECT_EQ(meter_segment(6), 12);   // the top, never beyond 0x0C
  EXPECT_EQ(meter_segment(40), 12);
  EXPECT_FALSE(meter_overloads(-0.1));
  EXPECT_TRUE(meter_overloads(0.1));
  EXPECT_FALSE(meter_overloads(NAN));
}

TEST(McuDisplay, NamesAbbreviatedToSixCharacters) {
  EXPECT_EQ(abbreviate("Kick"), "Kick");
  EXPECT_EQ(abbreviate("  Bass  "), "Bass");
  EXPECT_EQ(abbreviate("Tom 10"), "Tom 10");
  // As Ardour's Mackie surface shows them (PBD::short_version; seen on its LCD in the peer test).
  EXPECT_EQ(abbreviate("Lead Vox"), "LeadVx");
  EXPECT_EQ(abbreviate("Drum Bus"), "DrumBs");
  EXPECT_EQ(abbreviate("Lead Vox 2"), "LedVx2");
  EXPECT_EQ(abbreviate("Overheads"), "Ovrhds");
  EXPECT_EQ(abbreviate("Snare Top"), "SnarTp");
  EXPECT_EQ(abbreviate("Guitar Solo 12"), "GtrS12");
  EXPECT_EQ(abbreviate("Backing Vocals"), "BcknVs");  // 's' is never dropped
  EXPECT_EQ(abbreviate("Track 1"), "Track1");
  EXPECT_EQ(abbreviate("Track 33"), "Trck33");
  EXPECT_EQ(abbreviate("Track 1234567"), "123456");
  EXPECT_EQ(abbreviate(""), "");
  for (const char* name : {"Room Mic Left", "Drum Bus (parallel)", "FX Return: Plate"})
    EXPECT_LE(abbreviate(name).size(), 6u) << name;
}

TEST(McuDisplay, RowsCellsAndMinimalUpdates) {
  const std::string row = lcd_row({"Kick", "Snare", "Overheads"});
  ASSERT_EQ(row.size(), 56u);
  EXPECT_EQ(row.substr(0, 14), "Kick   Snare  ");
  EXPECT_EQ(row.substr(14, 7), "Overhe ");
  EXPECT_EQ(db_cell(-12.46), "-12.5");
  EXPECT_EQ(db_cell(0), "+0.0");
  EXPECT_EQ(db_cell(-INFINITY), "-inf");
  EXPECT_EQ(pan_cell(0), "  C");
  EXPECT_EQ(pan_cell(-0.5), "<50");
  EXPECT_EQ(pan_cell(1), "100>");

  const std::string a(112, ' ');
  EXPECT_TRUE(lcd_update(Model::mcu, a, a).empty());
  std::string b = a;
  b[0x38 + 7] = 'X';
  const auto one = lcd_update(Model::mcu, a, b);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], (B{0xF0, 0x00, 0x00, 0x66, 0x14, 0x12, 0x3F, 'X', 0xF7}));
  // From unknown: everything, in messages the unit accepts (at most one row each).
  const auto all = lcd_update(Model::mcu, "", b);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0][6], 0x00);
  EXPECT_EQ(all[1][6], 0x38);
  EXPECT_EQ(all[0].size(), 8u + 56u);  // header and command, offset, text, F7
}

TEST(McuFaderLaw, EndsAndUnityUnderEachDawsLaw) {
  EXPECT_EQ(fader_value_from_db(-INFINITY, FaderLaw::ardour), 0);
  EXPECT_EQ(fader_value_from_db(6.0206, FaderLaw::ardour), fader_max);
  EXPECT_EQ(fader_value_from_db(20, FaderLaw::ardour), fader_max);
  EXPECT_TRUE(std::isinf(fader_db_from_value(0, FaderLaw::ardour)));
  // Ardour: unity sits at ((192/198)^8) of the travel.
  EXPECT_NEAR(fader_value_from_db(0, FaderLaw::ardour) / double(fader_max),
              std::pow(192.0 / 198.0, 8.0), 1e-4);
  EXPECT_NEAR(fader_db_from_value(fader_value_from_db(0, FaderLaw::ardour), FaderLaw::ardour), 0,
              0.01);
  EXPECT_NEAR(fader_db_from_value(fader_max, FaderLaw::ardour), 6.02, 0.01);
  EXPECT_EQ(fader_value_from_db(12, FaderLaw::reaper), fader_max);
  EXPECT_NEAR(fader_db_from_value(fader_max, FaderLaw::reaper), 12, 0.01);
  EXPECT_NEAR(fader_db_from_value(fader_value_from_db(0, FaderLaw::reaper), FaderLaw::reaper), 0,
              0.01);
  EXPECT_EQ(fader_value_from_db(-INFINITY, FaderLaw::reaper), 0);
  // Monotonic over the whole travel, both laws.
  for (FaderLaw law : {FaderLaw::ardour, FaderLaw::reaper})
    for (int v = 1; v < fader_max; v += 97)
      EXPECT_LT(fader_db_from_value(v, law), fader_db_from_value(v + 97, law)) << v;
}

TEST(McuMotorFader, TouchHoldsTheDawBackAndReleaseLeavesItWhereTheHandDid) {
  MotorFader f;
  EXPECT_EQ(f.from_daw(8000), 8000);
  EXPECT_EQ(f.from_daw(8003), std::nullopt);  // within the unit's resolution: no motor noise
  f.touch();
  EXPECT_EQ(f.moved(9000).to_daw, 9000);
  EXPECT_EQ(f.moved(9100).echo, std::nullopt);  // never echoed to a touched fader
  EXPECT_EQ(f.from_daw(9000), std::nullopt);    // the DAW's (late) echo: held back
  EXPECT_EQ(f.release(), 9100);                 // stays where the hand left it
  EXPECT_EQ(f.from_daw(9101), std::nullopt);    // the DAW confirming: no second move
  EXPECT_EQ(f.from_daw(7000), 7000);            // a real change in the DAW moves it

  f.touch();  // touched, not moved, while automation moved it
  EXPECT_EQ(f.from_daw(6000), std::nullopt);
  EXPECT_EQ(f.release(), 6000);  // then the DAW's value, once
  EXPECT_EQ(f.release(), std::nullopt);

  const auto untouched = f.moved(5000);  // a touchless unit: echoed so it stays there
  EXPECT_EQ(untouched.echo, 5000);
}

TEST(MidiParser, RunningStatusRealTimeSysexAndJunk) {
  MidiParser parser(16);
  std::vector<B> got;
  const auto feed = [&](const B& bytes) {
    parser.feed(bytes.data(), bytes.size(), [&](const B& m) { got.push_back(m); });
  };
  feed({0x90, 0x3C, 0x7F, 0x3E, 0x7F});  // running status
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], (B{0x90, 0x3E, 0x7F}));
  got.clear();
  feed({0xE0, 0xF8, 0x00, 0x40});  // a clock tick inside a pitch bend
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (B{0xF8}));
  EXPECT_EQ(got[1], (B{0xE0, 0x00, 0x40}));
  got.clear();
  feed({0xF0, 0x00, 0x00, 0x66, 0x14, 0x00});
  feed({0xF7});  // a SysEx split across reads
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].size(), 7u);
  got.clear();
  feed({0x12, 0x34});  // data with nothing to run on (the SysEx cancelled running status)
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(parser.stats().stray_data_bytes, 2u);
  feed({0x90, 0x3C, 0xB0, 0x10, 0x01});  // a note cut short by a new status
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], (B{0xB0, 0x10, 0x01}));
  EXPECT_EQ(parser.stats().truncated, 1u);
  got.clear();
  B big{0xF0};
  big.resize(40, 0x01);
  big.push_back(0xF7);
  feed(big);  // over the limit: dropped whole, counted
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(parser.stats().oversized_sysex, 1u);
  feed({0xD0, 0x2C});
  ASSERT_EQ(got.size(), 1u);
}

}  // namespace
}  // namespace routewise::mcu
