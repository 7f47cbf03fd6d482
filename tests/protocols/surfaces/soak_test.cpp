// Soak (label `slow`): the DAW simulator with moving meters, the mirror, the Mackie Control logic
// and a software MCU with an extender, with session activity from both sides for
// $ROUTEWISE_SOAK_SECONDS (60 by default; `ROUTEWISE_SOAK_SECONDS=600 scripts/test -L slow` runs
// the full ten minutes): memory stays put and nothing is missed — at the end the mirror, the
// faders, the LCD and the LEDs all equal the DAW.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "../../support/surface_rig.hpp"
#include "routewise/surfaces/mcu_display.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using mcu::fader_value_from_db;
using mcu::FaderLaw;
using testing::Clock;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool under_address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool under_address_sanitizer = true;
#else
constexpr bool under_address_sanitizer = false;
#endif
#else
constexpr bool under_address_sanitizer = false;
#endif

long rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

int soak_seconds() {
  const char* text = std::getenv("ROUTEWISE_SOAK_SECONDS");
  const int s = text ? std::atoi(text) : 60;
  return s > 0 ? s : 60;
}

TEST(Soak, MirrorAndSurfaceFollowTheDawForMinutesWithMemoryStable) {
  testing::SurfaceRig rig(40, {mcu::Model::mcu, mcu::Model::mcu_xt}, /*meters_move=*/true);
  rig.start();
  ASSERT_TRUE(rig.surface.online(0) && rig.surface.online(1));
  DawSimulator& daw = *rig.osc.sim;
  std::mt19937 random(20261126);
  const auto pick = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };

  rig.settle(5s);  // warm: every map and buffer at its working size
  const long rss_start = rss_kb();
  const auto seconds = soak_seconds();
  const auto until = Clock::now() + std::chrono::seconds(seconds);
  long daw_changes = 0, surface_moves = 0, renames = 0, banks = 0;
  const auto applied_before = daw.applied_changes();
  auto next_daw = Clock::now(), next_move = Clock::now(), next_bank = Clock::now() + 5s,
       next_rename = Clock::now() + 30s;
  while (Clock::now() < until) {
    const auto now = Clock::now();
    if (now >= next_daw) {  // the engineer in the DAW: gains and mutes anywhere in the session
      const int ssid = pick(1, 40);
      if (pick(0, 4) == 0)
        daw.set_mute(ssid, !daw.session().nodes[static_cast<std::size_t>(ssid)].mute);
      else
        daw.set_gain_db(ssid, -pick(0, 400) / 10.0);
      ++daw_changes;
      next_daw = now + 20ms;
    }
    if (now >= next_move) {  // a hand on the surface: touch, a short move, release
      const int unit = pick(0, 1), fader = pick(0, 7);
      rig.unit.touch(unit, fader, true);
      const int start = rig.unit.unit(unit).fader[static_cast<std::size_t>(fader)];
      for (int step = 1; step <= 5; ++step) {
        rig.unit.move(unit, fader, std::clamp(start + step * pick(-300, 300), 0, mcu::fader_max));
        ++surface_moves;
      }
      rig.unit.touch(unit, fader, false);
      next_move = now + 50ms;
    }
    if (now >= next_bank) {
      rig.unit.press(0, pick(0, 1) ? mcu::note::bank_right : mcu::note::bank_left);
      ++banks;
      next_bank = now + 5s;
    }
    if (now >= next_rename) {
      const int ssid = pick(1, 40);
      daw.rename(ssid, "Take " + std::to_string(renames++) + " " + std::to_string(ssid));
      next_rename = now + 30s;
    }
    rig.osc.sim->poll(1ms);
    rig.osc.mirror->poll(1ms);
    rig.pump();
    // The rig's own logs of every message and change would grow: they are the test's, not ours.
    rig.sent_to_unit.clear();
    rig.osc.changes.clear();
  }
  rig.settle(1500ms);
  const long rss_end = rss_kb();
  std::cout << "soak " << seconds << " s: " << daw_changes << " DAW changes, " << surface_moves
            << " surface moves, " << banks << " bank changes, " << renames << " renames; RSS "
            << rss_start << " kB -> " << rss_end << " kB\n";
  RecordProperty("rss_start_kb", std::to_string(rss_start));
  RecordProperty("rss_end_kb", std::to_string(rss_end));

  // Nothing missed: every move the surface sent was applied by the DAW...
  EXPECT_EQ(static_cast<long>(daw.applied_changes() - applied_before), surface_moves);
  // ...and everything shows what the DAW holds.
  ASSERT_TRUE(rig.osc.mirror->complete());
  const RouteGraph& session = daw.session();
  for (int ssid = 1; ssid <= 40; ++ssid) {
    const Node& n = session.nodes[static_cast<std::size_t>(ssid)];
    const LiveStrip& s = rig.osc.mirror->strips().at(ssid);
    EXPECT_EQ(s.name, n.name) << ssid;
    EXPECT_NEAR(s.gain_db, n.fader_db, 0.01) << ssid;
    EXPECT_EQ(s.mute, n.mute) << ssid;
  }
  const int bank = rig.surface.bank_offset();
  for (int p = 0; p < 16; ++p) {
    const auto& unit = rig.unit.unit(p / 8);
    const auto i = static_cast<std::size_t>(p % 8);
    const Node& n = session.nodes[static_cast<std::size_t>(bank + p + 1)];
    EXPECT_NEAR(unit.fader[i], fader_value_from_db(n.fader_db, FaderLaw::ardour),
                mcu::fader_tolerance)
        << n.name;
    EXPECT_EQ(unit.cell(0, p % 8), (mcu::abbreviate(n.name) + "      ").substr(0, 6)) << n.name;
    const auto mute_led = unit.leds.at(static_cast<std::uint8_t>(mcu::note::mute + i));
    EXPECT_EQ(mute_led == mcu::Led::on, n.mute) << n.name;
    EXPECT_EQ(unit.motor_while_touched, 0u);
  }
  // Memory: the same working set after minutes of traffic (a leak of even a few bytes per message
  // would show as megabytes here). Under AddressSanitizer freed memory sits in its quarantine and
  // RSS climbs by design; LeakSanitizer checks for leaks there instead.
  if (!under_address_sanitizer) {
    EXPECT_LT(rss_end - rss_start, 4096)
        << "RSS grew from " << rss_start << " to " << rss_end << " kB";
  }
}

}  // namespace
}  // namespace routewise
