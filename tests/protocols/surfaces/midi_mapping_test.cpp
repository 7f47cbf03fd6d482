// Generic MIDI: control names, decoding 7/14-bit CC, NRPN, notes and pitch bend, learning a
// control from a few moves, and soft takeover.
#include <gtest/gtest.h>

#include "routewise/surfaces/generic_surface.hpp"
#include "routewise/surfaces/midi_mapping.hpp"

namespace routewise {
namespace {

using B = MidiBytes;

TEST(MidiControlNames, RoundTripAndRefuseNonsense) {
  for (const char* text : {"cc:1:7", "cc14:16:31", "nrpn:2:1234", "note:10:36", "pb:3"}) {
    const auto c = parse_midi_control(text);
    ASSERT_TRUE(c) << text;
    EXPECT_EQ(to_string(*c), text);
  }
  for (const char* text : {"", "cc", "cc:0:7", "cc:17:7", "cc:1:128", "cc14:1:32", "pb:1:3",
                           "note:1:-1", "cc:1:7:1", "xx:1:1", "cc:1:7x", "nrpn:1:16384"})
    EXPECT_FALSE(parse_midi_control(text)) << text;
}

TEST(MidiControlDecoder, SevenAndFourteenBitNrpnNotesAndPitchBend) {
  MidiControlDecoder d({MidiControl{MidiControlKind::cc14, 1, 7}});
  auto e = d.feed({0xB0, 0x07, 0x40});  // MSB of the pair: a coarse step at once
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].control, (MidiControl{MidiControlKind::cc14, 1, 7}));
  EXPECT_NEAR(e[0].value, (0x40 << 7) / 16383.0, 1e-12);
  e = d.feed({0xB0, 39, 0x7F});  // then its LSB
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NEAR(e[0].value, ((0x40 << 7) | 0x7F) / 16383.0, 1e-12);
  e = d.feed({0xB1, 0x07, 127});  // the same CC on another channel is a plain 7-bit control
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].control, (MidiControl{MidiControlKind::cc, 2, 7}));
  EXPECT_DOUBLE_EQ(e[0].value, 1.0);
  EXPECT_TRUE(d.feed({0xB0, 99, 0x09}).empty());  // NRPN parameter 0x09 0x52
  EXPECT_TRUE(d.feed({0xB0, 98, 0x52}).empty());
  e = d.feed({0xB0, 6, 0x7F});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].control, (MidiControl{MidiControlKind::nrpn, 1, (0x09 << 7) | 0x52}));
  e = d.feed({0xB0, 38, 0x7F});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_DOUBLE_EQ(e[0].value, 1.0);
  e = d.feed({0x99, 36, 100});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(to_string(e[0].control), "note:10:36");
  EXPECT_DOUBLE_EQ(e[0].value, 1.0);
  EXPECT_DOUBLE_EQ(d.feed({0x89, 36, 64})[0].value, 0.0);
  EXPECT_DOUBLE_EQ(d.feed({0x99, 36, 0})[0].value, 0.0);
  e = d.feed({0xE2, 0x7F, 0x7F});
  EXPECT_EQ(to_string(e[0].control), "pb:3");
  EXPECT_DOUBLE_EQ(e[0].value, 1.0);
  EXPECT_TRUE(d.feed({}).empty());
  EXPECT_TRUE(d.feed({0xF8}).empty());
  EXPECT_TRUE(d.feed({0xB0, 0x07}).empty());  // truncated
}

TEST(MidiLearn, NamesTheControlMovedNotTheNoise) {
  MidiLearn fader;
  fader.feed({0xB0, 1, 3});  // one stray touch of a knob
  for (int v = 0; v < 3; ++v) {
    EXPECT_FALSE(fader.learned());
    fader.feed({0xB0, 0x07, static_cast<std::uint8_t>(60 + v)});
    fader.feed({0xB0, 39, static_cast<std::uint8_t>(v * 10)});
  }
  ASSERT_TRUE(fader.learned());
  EXPECT_EQ(to_string(*fader.learned()), "cc14:1:7");

  MidiLearn knob;
  for (int v = 0; v < 5; ++v) knob.feed({0xB3, 74, static_cast<std::uint8_t>(v)});
  EXPECT_EQ(to_string(*knob.learned()), "cc:4:74");

  MidiLearn button;
  button.feed({0x90, 60, 0});  // a release says nothing
  EXPECT_FALSE(button.learned());
  button.feed({0x90, 60, 127});
  EXPECT_EQ(to_string(*button.learned()), "note:1:60");

  MidiLearn nrpn;
  for (int v = 0; v < 3; ++v)
    for (const B& m : {B{0xB0, 99, 1}, B{0xB0, 98, 2}, B{0xB0, 6, static_cast<std::uint8_t>(v)}})
      nrpn.feed(m);
  EXPECT_EQ(to_string(*nrpn.learned()), "nrpn:1:130");
}

TEST(Pickup, WaitsUntilTheControlMeetsTheValue) {
  Pickup p;
  EXPECT_FALSE(p.accept(0.9, 0.3));  // the knob is far from the fader: nothing jumps
  EXPECT_FALSE(p.accept(0.8, 0.3));
  EXPECT_TRUE(p.accept(0.29, 0.3));  // crossed it
  EXPECT_TRUE(p.accept(0.9, 0.3));   // engaged: follows from here
  p.release();                       // changed elsewhere
  EXPECT_FALSE(p.accept(0.5, 0.2));
  EXPECT_TRUE(p.accept(0.21, 0.2));  // close enough
  Pickup q;
  EXPECT_TRUE(q.accept(0.4, 0.41));
}

TEST(GenericMappingRows, ReadBackWithErrorsNamingTheField) {
  std::string error;
  const auto m =
      mapping_from_row({0, "p", "cc14:1:7", "Lead Vox", "send", "Plate", false, ""}, error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->parameter, MappedParameter::send);
  EXPECT_EQ(row_from_mapping(*m, "p").control, "cc14:1:7");
  EXPECT_FALSE(mapping_from_row({0, "p", "cc:1", "Kick", "fader", "", true, ""}, error));
  EXPECT_NE(error.find("control 'cc:1'"), std::string::npos);
  EXPECT_FALSE(mapping_from_row({0, "p", "cc:1:1", "Kick", "bypass", "first", true, ""}, error));
  EXPECT_NE(error.find("plugin slot"), std::string::npos);
}

}  // namespace
}  // namespace routewise
