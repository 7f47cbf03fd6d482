// The MCU coordinator between a software MCU (and extenders) and the DAW simulator over real OSC
// on 127.0.0.1: fader moves reach the DAW in dB, DAW changes move the motors, touch holds the DAW
// back without an echo fight, banking, extenders, LCD bytes, meters, V-Pots, buttons.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../../support/surface_rig.hpp"
#include "routewise/surfaces/mcu_display.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using mcu::fader_db_from_value;
using mcu::fader_value_from_db;
using mcu::FaderLaw;
using testing::SurfaceRig;

double daw_gain(SurfaceRig& rig, int ssid) {
  return rig.osc.sim->session().nodes.at(static_cast<std::size_t>(ssid)).fader_db;
}

TEST(McuSurface, HandshakeThenNamesValuesAndFadersFollowTheDaw) {
  SurfaceRig rig(12);
  rig.start();
  const auto& u = rig.unit.unit(0);
  EXPECT_TRUE(u.online);
  EXPECT_EQ(u.upper_row(), mcu::lcd_row({"Track1", "Track2", "Track3", "Track4", "Track5", "Track6",
                                         "Track7", "Track8"}));
  EXPECT_EQ(u.cell(1, 0), "  C   ");  // the V-Pots control pan by default
  for (int i = 0; i < 8; ++i)
    EXPECT_NEAR(u.fader[static_cast<std::size_t>(i)],
                fader_value_from_db(daw_gain(rig, i + 1), FaderLaw::ardour), 1)
        << i;
  EXPECT_EQ(u.leds.at(mcu::note::assign_pan), mcu::Led::on);

  // A DAW change moves the motor.
  rig.osc.sim->set_gain_db(4, -20.0);
  rig.run_until([&] { return u.fader[3] == fader_value_from_db(-20.0, FaderLaw::ardour); }, 1000ms);
  EXPECT_EQ(u.fader[3], fader_value_from_db(-20.0, FaderLaw::ardour));

  // A rename in the DAW: exactly one SysEx for the changed characters ("Track2" to "SnarTp": the
  // unchanged 'a' in the middle travels with its neighbours rather than split the message).
  rig.sent_to_unit.clear();
  rig.osc.sim->rename(2, "Snare Top");
  rig.run_until([&] { return u.cell(0, 1) == "SnarTp"; }, 1000ms);
  std::vector<MidiBytes> lcd;
  for (const auto& [unit, m] : rig.sent_to_unit)
    if (m.size() > 6 && m[5] == mcu::cmd::lcd) lcd.push_back(m);
  ASSERT_EQ(lcd.size(), 1u);
  EXPECT_EQ(lcd[0], (MidiBytes{0xF0, 0x00, 0x00, 0x66, 0x14, 0x12, 0x07, 'S', 'n', 'a', 'r', 'T',
                               'p', 0xF7}));
}

TEST(McuSurface, AUnitThatMissedTheDeviceQueryIsAskedAgainAndComesOnline) {
  SurfaceRig rig(4);
  std::vector<std::string> events;
  rig.surface.on_event([&](const std::string& e) { events.push_back(e); });
  rig.run_until([&] { return rig.osc.mirror->complete(); });
  rig.surface.connected(0);
  ASSERT_EQ(rig.to_unit.size(), 1u);
  rig.to_unit.clear();  // lost on the way, as on a port connection still being made
  rig.settle(300ms);
  EXPECT_FALSE(rig.surface.online(0));
  EXPECT_EQ(rig.unit.unit(0).cell(0, 0), "      ");
  rig.run_until([&] { return rig.surface.online(0); });
  ASSERT_TRUE(rig.surface.online(0)) << "never asked again";
  rig.settle();
  EXPECT_EQ(rig.unit.unit(0).cell(0, 0), "Track1");
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const std::string& e) {
    return e == "unit 1: no answer to the device query yet; asking again every 1000 ms";
  }));
  // Online, it is not asked again.
  rig.sent_to_unit.clear();
  rig.settle(1500ms);
  for (const auto& [unit, m] : rig.sent_to_unit)
    EXPECT_FALSE(m.size() > 5 && m[0] == 0xF0 && m[5] == mcu::cmd::device_query);
}

TEST(McuSurface, WhatALostMessageLeftWrongIsPutRightByTheNextRepaint) {
  SurfaceRig rig(12, {mcu::Model::mcu}, false, 500ms);
  rig.start();
  const auto& u = rig.unit.unit(0);
  ASSERT_EQ(u.cell(0, 1), "Track2");
  // A rename and a gain change whose messages never reach the unit.
  rig.lose_to_unit = true;
  rig.osc.sim->rename(2, "Snare Top");
  rig.osc.sim->set_gain_db(3, -30.0);
  rig.run_until([&] { return rig.osc.mirror->strips().at(2).name == "Snare Top"; }, 1000ms);
  rig.settle(50ms);
  rig.lose_to_unit = false;
  ASSERT_EQ(u.cell(0, 1), "Track2");
  const auto right = [&] {
    return u.cell(0, 1) == "SnarTp" && u.fader[2] == fader_value_from_db(-30.0, FaderLaw::ardour);
  };
  const auto took = rig.run_until(right, 2000ms);
  EXPECT_TRUE(right()) << "'" << u.cell(0, 1) << "', fader " << u.fader[2];
  EXPECT_LE(took, 700ms);
  // A repaint sends no more than what is shown: about 300 bytes for one unit.
  rig.sent_to_unit.clear();
  rig.settle(600ms);
  std::size_t bytes = 0;
  for (const auto& [unit, m] : rig.sent_to_unit)
    if (m[0] != 0xD0) bytes += m.size();  // meters are sent anyway
  EXPECT_GT(bytes, 100u);
  EXPECT_LT(bytes, 400u);
}

TEST(McuSurface, AFaderMoveReachesTheDawInDbUnderItsLaw) {
  SurfaceRig rig(8);
  rig.start();
  const int target = fader_value_from_db(-10.0, FaderLaw::ardour);
  rig.unit.touch(0, 2, true);
  for (int v = rig.unit.unit(0).fader[2]; v != target;
       v += (target > v ? 1 : -1) * std::min(200, std::abs(target - v)))
    rig.unit.move(0, 2, v);
  rig.unit.move(0, 2, target);
  rig.unit.touch(0, 2, false);
  rig.run_until([&] { return std::fabs(daw_gain(rig, 3) + 10.0) < 0.02; }, 1000ms);
  EXPECT_NEAR(daw_gain(rig, 3), -10.0, 0.02);
  rig.settle();
  EXPECT_EQ(rig.unit.unit(0).fader[2], target);  // where the hand left it, no jump back
  // While the value moves, the lower row shows it; the DAW's value stays there afterwards.
  EXPECT_EQ(rig.unit.unit(0).cell(1, 2), "-10.0 ");
}

TEST(McuSurface, TouchHoldsTheDawBackWithNoEchoFightAndOneEchoAfterRelease) {
  SurfaceRig rig(8);
  rig.start();
  const auto& u = rig.unit.unit(0);
  rig.unit.touch(0, 0, true);
  rig.settle(50ms);
  rig.osc.sim->set_gain_db(1, -30.0);  // the engineer's automation, or another surface
  rig.settle(100ms);
  EXPECT_EQ(u.motor_while_touched, 0u);
  const int hand = fader_value_from_db(-3.0, FaderLaw::ardour);
  for (int i = 0; i < 50; ++i) {  // the hand keeps moving while the DAW echoes each move
    rig.unit.move(0, 0, hand - 50 + i);
    rig.settle(2ms);
  }
  rig.unit.move(0, 0, hand);
  rig.settle(100ms);
  EXPECT_EQ(u.motor_while_touched, 0u) << "motor commands reached a touched fader";
  rig.sent_to_unit.clear();
  rig.unit.touch(0, 0, false);
  rig.settle(200ms);
  int motor_messages = 0;
  for (const auto& [unit, m] : rig.sent_to_unit)
    if (unit == 0 && m[0] == 0xE0) ++motor_messages;
  EXPECT_EQ(motor_messages, 1);  // the final position once: no jump, no echo of the DAW's echo
  EXPECT_EQ(u.fader[0], hand);
  EXPECT_NEAR(daw_gain(rig, 1), fader_db_from_value(hand, FaderLaw::ardour), 0.01);
  // The DAW's own changes move it again afterwards.
  rig.osc.sim->set_gain_db(1, -12.0);
  rig.run_until([&] { return u.fader[0] == fader_value_from_db(-12.0, FaderLaw::ardour); }, 1000ms);
  EXPECT_EQ(u.fader[0], fader_value_from_db(-12.0, FaderLaw::ardour));
}

TEST(McuSurface, BankingAcrossFortyTracks) {
  SurfaceRig rig(40);
  rig.start();
  const auto& u = rig.unit.unit(0);
  for (int i = 0; i < 4; ++i) rig.unit.press(0, mcu::note::bank_right);
  rig.settle();
  EXPECT_EQ(rig.surface.bank_offset(), 32);  // the last full bank: tracks 33..40
  EXPECT_EQ(u.cell(0, 0), "Trck33");
  EXPECT_EQ(u.cell(0, 7), "Trck40");
  for (int i = 0; i < 8; ++i)
    EXPECT_NEAR(u.fader[static_cast<std::size_t>(i)],
                fader_value_from_db(daw_gain(rig, 33 + i), FaderLaw::ardour), 1);
  rig.unit.press(0, mcu::note::bank_left);
  rig.unit.press(0, mcu::note::channel_left);
  rig.settle();
  EXPECT_EQ(rig.surface.bank_offset(), 23);
  EXPECT_EQ(u.cell(0, 0), "Trck24");
  // A move now reaches track 24, not track 1.
  rig.unit.touch(0, 0, true);
  rig.unit.move(0, 0, fader_value_from_db(-7.0, FaderLaw::ardour));
  rig.unit.touch(0, 0, false);
  rig.run_until([&] { return std::fabs(daw_gain(rig, 24) + 7.0) < 0.02; }, 1000ms);
  EXPECT_NEAR(daw_gain(rig, 24), -7.0, 0.02);
  EXPECT_NEAR(daw_gain(rig, 1), -1.0, 1e-9);
  for (int i = 0; i < 10; ++i) rig.unit.press(0, mcu::note::bank_left);
  rig.settle();
  EXPECT_EQ(rig.surface.bank_offset(), 0);
}

TEST(McuSurface, AnExtenderShowsAndDrivesTheNextEightStrips) {
  SurfaceRig rig(20, {mcu::Model::mcu, mcu::Model::mcu_xt});
  rig.start();
  const auto& ext = rig.unit.unit(1);
  EXPECT_TRUE(ext.online);
  EXPECT_EQ(ext.cell(0, 0), "Track9");
  EXPECT_EQ(ext.cell(0, 7), "Trck16");
  rig.unit.touch(1, 0, true);
  rig.unit.move(1, 0, fader_value_from_db(-15.0, FaderLaw::ardour));
  rig.unit.touch(1, 0, false);
  rig.run_until([&] { return std::fabs(daw_gain(rig, 9) + 15.0) < 0.02; }, 1000ms);
  EXPECT_NEAR(daw_gain(rig, 9), -15.0, 0.02);
  // The extender's LCD SysEx carries its own model byte.
  bool saw_xt_lcd = false;
  for (const auto& [unit, m] : rig.sent_to_unit)
    if (unit == 1 && m.size() > 6 && m[5] == mcu::cmd::lcd) saw_xt_lcd = saw_xt_lcd || m[4] == 0x15;
  EXPECT_TRUE(saw_xt_lcd);
  // Banking moves both units together.
  rig.unit.press(0, mcu::note::bank_right);
  rig.settle();
  EXPECT_EQ(rig.unit.unit(0).cell(0, 0), "Track5");  // 20 strips, 16 shown: offset 4 at most
  EXPECT_EQ(ext.cell(0, 7), "Trck20");
}

TEST(McuSurface, TimecodeTransportAndTheAssignmentOnTheSevenSegmentDisplays) {
  SurfaceRig rig(8);
  rig.start();
  const auto& u = rig.unit.unit(0);
  rig.run_until([&] { return !rig.osc.mirror->timecode().empty(); }, 1000ms);
  rig.settle(50ms);
  const std::string tc = rig.osc.mirror->timecode();  // "00:00:SS:FF" from the simulator
  ASSERT_EQ(tc.size(), 11u) << tc;
  std::string expected = "  ";  // ten digits: two unused, then HH.MM.SS.FF
  for (char c : tc) {
    if (c == ':')
      expected.push_back('.');
    else
      expected.push_back(c);
  }
  EXPECT_EQ(u.timecode_text(), expected);
  EXPECT_EQ(u.assignment_text(), "PN");
  rig.unit.press(0, mcu::note::assign_send);
  rig.settle();
  EXPECT_EQ(u.assignment_text(), "SE");

  // Transport: the simulator's transport rolls; Stop stops it and the timecode with it.
  EXPECT_EQ(u.leds.at(mcu::note::play), mcu::Led::on);
  rig.unit.press(0, mcu::note::stop);
  rig.run_until([&] { return !rig.osc.sim->playing(); }, 1000ms);
  rig.settle(300ms);
  EXPECT_FALSE(rig.osc.sim->playing());
  EXPECT_EQ(u.leds.at(mcu::note::play), mcu::Led::off);
  EXPECT_EQ(u.leds.at(mcu::note::stop), mcu::Led::on);
  const std::string stopped_at = u.timecode_text();
  rig.settle(300ms);
  EXPECT_EQ(u.timecode_text(), stopped_at);
  rig.unit.press(0, mcu::note::record);  // armed while stopped: flashing
  rig.settle();
  EXPECT_EQ(u.leds.at(mcu::note::record), mcu::Led::flash);
  rig.unit.press(0, mcu::note::play);  // recording: lit
  rig.settle();
  EXPECT_EQ(u.leds.at(mcu::note::record), mcu::Led::on);
  EXPECT_TRUE(rig.osc.sim->playing());
  EXPECT_TRUE(rig.osc.sim->recording());
}

TEST(McuSurface, MetersFollowTheDawAndOverloadFollowsFindings) {
  SurfaceRig rig(8);
  rig.start();
  rig.settle(300ms);
  const auto& u = rig.unit.unit(0);
  for (int i = 0; i < 8; ++i) {
    const auto& s = rig.osc.mirror->strips().at(i + 1);
    ASSERT_TRUE(s.meter_db) << i;
    EXPECT_EQ(u.meter[static_cast<std::size_t>(i)], mcu::meter_segment(*s.meter_db)) << i;
  }
  EXPECT_GT(u.meter[0], 0);
  EXPECT_FALSE(u.overload[1]);
  rig.surface.set_overloads({"t2"});
  rig.settle();
  EXPECT_TRUE(u.overload[1]);
  EXPECT_FALSE(u.overload[0]);
  rig.surface.set_overloads({});
  rig.settle();
  EXPECT_FALSE(u.overload[1]);
  // A lit meter is sent again before the unit lets it fall (about 300 ms per segment).
  std::size_t count = 0;
  rig.sent_to_unit.clear();
  rig.settle(600ms);
  for (const auto& [unit, m] : rig.sent_to_unit)
    if (m[0] == 0xD0 && (m[1] >> 4) == 0) ++count;
  EXPECT_GE(count, 2u);
}

TEST(McuSurface, VPotsButtonsFlipAndTheMasterFader) {
  SurfaceRig rig(8);
  rig.start();
  const auto& u = rig.unit.unit(0);
  rig.unit.turn(0, 0, 10);  // pan right by 10 ticks of 63
  rig.run_until([&] { return std::fabs(rig.osc.sim->session().nodes[1].pan - 20.0 / 63.0) < 0.01; },
                1000ms);
  EXPECT_NEAR(rig.osc.sim->session().nodes[1].pan, 20.0 / 63.0, 0.01);
  rig.settle();
  EXPECT_EQ(u.ring[0] & 0x0F, mcu::ring_position((1 + 20.0 / 63.0) / 2, mcu::RingMode::dot));
  EXPECT_EQ(u.ring[0] & 0x40, 0);           // off centre
  rig.unit.press(0, mcu::note::vpot_push);  // back to centre
  rig.run_until([&] { return std::fabs(rig.osc.sim->session().nodes[1].pan) < 1e-3; }, 1000ms);
  EXPECT_NEAR(rig.osc.sim->session().nodes[1].pan, 0.0, 1e-3);

  rig.unit.press(0, mcu::note::mute + 1);
  rig.run_until([&] { return rig.osc.sim->session().nodes[2].mute; }, 1000ms);
  EXPECT_TRUE(rig.osc.sim->session().nodes[2].mute);
  rig.settle();
  EXPECT_EQ(u.leds.at(mcu::note::mute + 1), mcu::Led::on);
  rig.unit.press(0, mcu::note::solo + 3);
  rig.run_until([&] { return rig.osc.sim->session().nodes[4].solo; }, 1000ms);
  rig.settle();
  EXPECT_EQ(u.leds.at(mcu::note::solo + 3), mcu::Led::on);
  EXPECT_EQ(u.leds.at(mcu::note::mute + 1), mcu::Led::on);     // muted itself
  EXPECT_EQ(u.leds.at(mcu::note::mute + 0), mcu::Led::flash);  // silenced by the solo
  EXPECT_EQ(u.leds.at(mcu::note::mute + 3), mcu::Led::off);    // the soloed strip

  // Trim mode, then flip: the faders control trim, the V-Pots gain.
  rig.unit.press(0, mcu::note::assign_track);
  rig.unit.press(0, mcu::note::flip);
  rig.settle();
  EXPECT_TRUE(rig.surface.flipped());
  EXPECT_EQ(u.leds.at(mcu::note::flip), mcu::Led::on);
  EXPECT_EQ(u.fader[4], 8192);  // trim 0 dB: mid travel
  rig.unit.touch(0, 4, true);
  rig.unit.move(0, 4, mcu::fader_max);
  rig.unit.touch(0, 4, false);
  rig.run_until([&] { return rig.osc.sim->session().nodes[5].trim_db > 19.9; }, 1000ms);
  EXPECT_NEAR(rig.osc.sim->session().nodes[5].trim_db, 20.0, 0.01);

  // The master fader.
  rig.unit.touch(0, mcu::master_fader, true);
  rig.unit.move(0, mcu::master_fader, fader_value_from_db(-4.0, FaderLaw::ardour));
  rig.unit.touch(0, mcu::master_fader, false);
  rig.run_until([&] { return std::fabs(rig.osc.sim->session().nodes[0].fader_db + 4.0) < 0.02; },
                1000ms);
  EXPECT_NEAR(rig.osc.sim->session().nodes[0].fader_db, -4.0, 0.02);
}

}  // namespace
}  // namespace routewise
