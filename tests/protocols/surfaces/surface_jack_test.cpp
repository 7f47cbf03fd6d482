// The control surface end to end over real JACK MIDI ports (a dummy JACK server of the test's own)
// and real OSC on 127.0.0.1: the software MCU and extender on virtual ports, Routewise's surface
// service finding them by name pattern, the DAW simulator behind the mirror. Unplugging a unit
// and plugging it back in needs no restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "../../support/jack_server.hpp"
#include "../../support/mirror_rig.hpp"
#include "../../support/sim_hardware.hpp"
#include "routewise/daw/daw_simulator.hpp"
#include "routewise/surfaces/mcu_display.hpp"
#include "routewise/surfaces/surface_host.hpp"
#include "routewise/surfaces/surface_sim.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using testing::SimHardware;
// Ports found and a first sync: generous, because under ThreadSanitizer (scripts/test --tsan) JACK
// start-up and the first sync take several times longer; the limit ends the wait, not the check.
constexpr std::chrono::milliseconds setup_limit = 20s;
using mcu::fader_value_from_db;
using mcu::FaderLaw;
using testing::Clock;

struct JackRig {
  testing::JackServer jack;
  testing::Rig osc;
  std::unique_ptr<SimHardware> hardware;
  std::unique_ptr<SurfaceHost> service;
  std::vector<std::string> events;

  explicit JackRig(int tracks = 20) : osc(tracks) {
    if (!jack.ready()) return;
    hardware =
        std::make_unique<SimHardware>(std::vector<mcu::Model>{mcu::Model::mcu, mcu::Model::mcu_xt});
    McuHostOptions o;
    o.client_name = "rw-test-surface";
    o.unit_patterns = {"mcu-1 ", "mcu-2 "};
    service = std::make_unique<SurfaceHost>(osc.mirror->mixer(), 100ms);
    service->on_event([this](const std::string& e) { events.push_back(e); });
    service->add(o);
  }
  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds limit) {
    const auto start = Clock::now();
    while (!done() && Clock::now() - start < limit) {
      osc.sim->poll(1ms);
      service->poll(2ms, osc.mirror->link().socket_fd(), [this] { osc.mirror->poll(0ms); });
      if (hardware) hardware->pump();
    }
    return done();
  }
  const mcu::SimUnit& unit(int u) const { return hardware->sim.unit(u); }
  // What the surface said and what each unit received, for a failure message.
  std::string story() const {
    std::string text = "mirror " + std::string(to_string(osc.mirror->state())) + ", complete " +
                       std::to_string(osc.mirror->complete()) + "; LCDs '" + unit(0).upper_row() +
                       "' / '" + unit(1).upper_row() + "'\n";
    for (const std::string& e : events) text += "event: " + e + "\n";
    for (const auto& [u, m] : hardware->received) {
      text += "unit " + std::to_string(u + 1) + " got";
      for (std::size_t i = 0; i < std::min<std::size_t>(m.size(), 8); ++i)
        text += " " + std::to_string(m[i]);
      text += m.size() > 8 ? " ... (" + std::to_string(m.size()) + " bytes)\n" : "\n";
    }
    return text;
  }
  double daw_gain(int ssid) const {
    return osc.sim->session().nodes.at(static_cast<std::size_t>(ssid)).fader_db;
  }
};

TEST(SurfaceJack, FaderMovesMotorsLcdAndTouchOverRealJackMidi) {
  JackRig rig;
  ASSERT_TRUE(rig.jack.ready()) << "jackd did not start; log: " << rig.jack.log();
  ASSERT_TRUE(rig.run_until(
      [&] {
        // Both units' LCDs: a unit that came online a moment ago has not yet been sent to.
        return rig.osc.mirror->complete() && rig.unit(0).cell(0, 0) == "Track1" &&
               rig.unit(1).cell(0, 7) == "Trck16";
      },
      setup_limit))
      << rig.service->port(0, 0).last_error() << "\n"
      << rig.story();
  EXPECT_EQ(rig.unit(0).upper_row(), mcu::lcd_row({"Track1", "Track2", "Track3", "Track4", "Track5",
                                                   "Track6", "Track7", "Track8"}))
      << rig.story();

  // Surface -> DAW: the extender's first fader is track 9.
  auto& sim = rig.hardware->sim;
  sim.touch(1, 0, true);
  sim.move(1, 0, fader_value_from_db(-9.5, FaderLaw::ardour));
  sim.touch(1, 0, false);
  EXPECT_TRUE(rig.run_until([&] { return std::fabs(rig.daw_gain(9) + 9.5) < 0.02; }, 2000ms))
      << rig.daw_gain(9);

  // DAW -> motor.
  rig.osc.sim->set_gain_db(2, -18.0);
  EXPECT_TRUE(rig.run_until(
      [&] { return rig.unit(0).fader[1] == fader_value_from_db(-18.0, FaderLaw::ardour); },
      2000ms));

  // Touched: the DAW's changes wait; nothing reaches the motor until release.
  sim.touch(0, 1, true);
  rig.run_until([] { return false; }, 100ms);
  rig.osc.sim->set_gain_db(2, -40.0);
  rig.run_until([] { return false; }, 200ms);
  EXPECT_EQ(rig.unit(0).motor_while_touched, 0u);
  sim.touch(0, 1, false);
  EXPECT_TRUE(rig.run_until(
      [&] { return rig.unit(0).fader[1] == fader_value_from_db(-40.0, FaderLaw::ardour); },
      2000ms));
}

TEST(SurfaceJack, AUnitUnpluggedAndPluggedBackIsFoundAndBroughtUpToDate) {
  JackRig rig;
  ASSERT_TRUE(rig.jack.ready()) << "jackd did not start; log: " << rig.jack.log();
  ASSERT_TRUE(rig.run_until(
      [&] { return rig.service->mcu()->online(0) && rig.unit(0).cell(0, 0) == "Track1"; },
      setup_limit));

  rig.hardware.reset();  // both units' ports vanish
  ASSERT_TRUE(rig.run_until([&] { return !rig.service->mcu()->online(0); }, 2000ms));
  EXPECT_FALSE(rig.service->port(0, 0).is_open());
  const auto said = [&](const std::string& text) {
    return std::any_of(rig.events.begin(), rig.events.end(),
                       [&](const std::string& e) { return e.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(said("unit 1: 'rw-surface-sim")) << "the vanished ports are named";
  EXPECT_TRUE(said("waiting for it to come back"));
  rig.osc.sim->set_gain_db(3, -27.0);  // changed while the surface was away
  rig.run_until([] { return false; }, 200ms);

  rig.hardware =
      std::make_unique<SimHardware>(std::vector<mcu::Model>{mcu::Model::mcu, mcu::Model::mcu_xt});
  ASSERT_TRUE(rig.run_until(
      [&] {
        return rig.service->mcu()->online(0) && rig.service->mcu()->online(1) &&
               rig.unit(0).cell(0, 0) == "Track1" &&
               rig.unit(0).fader[2] == fader_value_from_db(-27.0, FaderLaw::ardour);
      },
      setup_limit))
      << rig.service->port(0, 0).last_error()
      << "; unit 2 online: " << rig.service->mcu()->online(1);
  EXPECT_TRUE(rig.service->port(0, 0).is_open());
}

TEST(SurfaceJack, BankingAcrossFortyTracksMetersAndExactLcdBytesOverRealJackMidi) {
  JackRig rig(40);
  ASSERT_TRUE(rig.jack.ready()) << "jackd did not start; log: " << rig.jack.log();
  ASSERT_TRUE(rig.run_until(
      [&] { return rig.service->mcu()->online(1) && rig.unit(1).cell(0, 7) == "Trck16"; },
      setup_limit));
  auto& sim = rig.hardware->sim;
  // One bank first, waited for, so that its LCD update is known byte for byte (presses in quick
  // succession may be coalesced into one update or not, depending on timing).
  sim.press(0, mcu::note::bank_right);
  ASSERT_TRUE(rig.run_until([&] { return rig.unit(1).cell(0, 0) == "Trck17"; }, 3000ms))
      << rig.unit(1).upper_row();
  for (int i = 0; i < 3; ++i) sim.press(0, mcu::note::bank_right);
  // 40 strips on 16: the window stops at 24..39.
  ASSERT_TRUE(rig.run_until(
      [&] { return rig.unit(0).cell(0, 0) == "Trck25" && rig.unit(1).cell(0, 7) == "Trck40"; },
      3000ms))
      << rig.unit(0).upper_row();
  EXPECT_EQ(rig.service->mcu()->bank_offset(), 24);
  for (int i = 0; i < 8; ++i)
    EXPECT_NEAR(rig.unit(1).fader[static_cast<std::size_t>(i)],
                fader_value_from_db(rig.daw_gain(33 + i), FaderLaw::ardour), 1);
  // The extender's LCD, byte for byte as it crossed JACK: first its whole upper row (header with
  // the extender's model byte 0x15, LCD command, offset 0), then after banking only the characters
  // that changed ("Track9" became "Trck17": four characters at offset 2).
  const auto& got = rig.hardware->received;
  const auto sent = [&](const MidiBytes& prefix) {
    return std::any_of(got.begin(), got.end(), [&](const auto& r) {
      return r.first == 1 && r.second.size() >= prefix.size() &&
             std::equal(prefix.begin(), prefix.end(), r.second.begin());
    });
  };
  EXPECT_TRUE(sent({0xF0, 0x00, 0x00, 0x66, 0x15, 0x12, 0x00, 'T', 'r', 'a',
                    'c',  'k',  '9',  ' ',  'T',  'r',  'c',  'k', '1', '0'}));
  EXPECT_TRUE(sent({0xF0, 0x00, 0x00, 0x66, 0x15, 0x12, 0x02, 'c', 'k', '1', '7', 0xF7}));
  // Meters: what the DAW meters, on the segment scale, and refreshed while lit. Waited for: just
  // after banking the unit may still show the previous bank's level (under ThreadSanitizer a check
  // at the first lit meter found another segment).
  ASSERT_TRUE(rig.run_until([&] { return rig.unit(0).meter[0] > 0; }, 2000ms));
  const auto& strip = rig.osc.mirror->strips().at(25);
  ASSERT_TRUE(strip.meter_db);
  EXPECT_TRUE(rig.run_until(
      [&] { return rig.unit(0).meter[0] == mcu::meter_segment(*strip.meter_db); }, 2000ms))
      << "the unit shows segment " << int(rig.unit(0).meter[0]) << ", the DAW meters "
      << *strip.meter_db << " dB (segment " << int(mcu::meter_segment(*strip.meter_db)) << ")";
}

// A session with a send and a plugin, for the generic controller's targets.
RouteGraph controller_session() {
  RouteGraph g = testing::session_with(4);
  Node plate;
  plate.id = "plate";
  plate.name = "Plate";
  plate.kind = NodeKind::aux_return;
  g.nodes.push_back(plate);
  Edge send;
  send.kind = EdgeKind::send;
  send.from = "t1";
  send.to = "plate";
  send.level_db = -12;
  g.edges.push_back(send);
  Edge ret;
  ret.from = "plate";
  ret.to = "master";
  g.edges.push_back(ret);
  g.nodes[1].plugins.push_back(Plugin{"EQ", 0, 0, false, false});
  return g;
}

TEST(ControllerJack, LearnedMappingsDriveTheDawWithSoftTakeoverAndFeedback) {
  testing::JackServer jack;
  ASSERT_TRUE(jack.ready()) << "jackd did not start; log: " << jack.log();
  DawSimulator daw(controller_session(), testing::Rig::sim_options(0));
  DawLinkOptions mo;
  mo.daw_port = daw.port();
  testing::LiveLink mirror(controller_session(), mo);
  VirtualMidiDuplex controller(MidiApi::jack, "rw-controller-sim", "nanoctl");

  GenericHostOptions o;
  o.port_pattern = "nanoctl";
  for (const SurfaceMapping& row :
       {SurfaceMapping{0, "p", "cc14:1:7", "Track 2", "fader", "", true, ""},
        SurfaceMapping{0, "p", "note:1:60", "Track 3", "mute", "", false, ""},
        SurfaceMapping{0, "p", "cc:1:20", "Track 1", "send", "Plate", true, ""},
        SurfaceMapping{0, "p", "note:1:61", "Track 1", "bypass", "1", false, ""}}) {
    std::string error;
    o.mappings.push_back(*mapping_from_row(row, error));
  }
  SurfaceHost service(mirror.mixer(), 100ms);
  service.add(o);
  std::vector<MidiBytes> feedback;
  const auto run = [&](std::chrono::milliseconds how_long, auto done) {
    const auto start = Clock::now();
    while (!done() && Clock::now() - start < how_long) {
      daw.poll(1ms);
      service.poll(2ms, mirror.link().socket_fd(), [&] { mirror.poll(0ms); });
      controller.drain([&](const MidiBytes& m) { feedback.push_back(m); });
    }
    return done();
  };
  ASSERT_TRUE(run(setup_limit, [&] { return mirror.complete() && service.port(0, 0).is_open(); }));
  const auto gain = [&](int i) {
    return daw.session().nodes[static_cast<std::size_t>(i)].fader_db;
  };
  const auto fader = [&](double position) {
    const int v = static_cast<int>(std::lround(position * 16383));
    controller.send({0xB0, 7, static_cast<std::uint8_t>(v >> 7)});
    controller.send({0xB0, 39, static_cast<std::uint8_t>(v & 0x7F)});
    run(30ms, [] { return false; });
  };
  // Track 2 sits at -2 dB (about 0.73 of the travel); the fader starts at the bottom: nothing
  // jumps while it climbs towards the value...
  const double at = *service.generic()->current(0);
  for (double p = 0.0; p < at - 0.1; p += 0.1) fader(p);
  EXPECT_DOUBLE_EQ(gain(2), -2.0);
  EXPECT_FALSE(service.generic()->engaged(0));
  // ...it takes over once it passes the value, then follows.
  fader(at + 0.05);
  fader(0.5);
  EXPECT_TRUE(run(1000ms, [&] {
    return std::fabs(gain(2) - mcu::fader_db_from_value(8192, FaderLaw::ardour)) < 0.05;
  })) << gain(2);
  // A change in the DAW releases it again.
  daw.set_gain_db(2, -20);
  run(300ms, [&] { return !service.generic()->engaged(0); });
  EXPECT_FALSE(service.generic()->engaged(0));
  fader(0.9);
  run(100ms, [] { return false; });
  EXPECT_DOUBLE_EQ(gain(2), -20.0);

  // A button toggles mute; its LED is told.
  feedback.clear();
  controller.send({0x90, 60, 127});
  controller.send({0x90, 60, 0});
  EXPECT_TRUE(run(1000ms, [&] { return daw.session().nodes[3].mute; }));
  EXPECT_TRUE(run(1000ms, [&] {
    return std::find(feedback.begin(), feedback.end(), MidiBytes{0x90, 60, 0x7F}) != feedback.end();
  }));
  // Plugin bypass by slot, and a send level (soft takeover from the send's -12 dB).
  controller.send({0x90, 61, 127});
  EXPECT_TRUE(run(1000ms, [&] { return daw.session().nodes[1].plugins[0].bypassed; }));
  ASSERT_TRUE(run(3000ms, [&] { return service.generic()->current(2).has_value(); }));
  const double send_at = *service.generic()->current(2);
  controller.send({0xB0, 20, static_cast<std::uint8_t>(std::lround(send_at * 127))});
  controller.send({0xB0, 20, 127});
  EXPECT_TRUE(run(1000ms, [&] { return daw.session().edges[4].level_db > 5.9; }))
      << daw.session().edges[4].level_db;
}

}  // namespace
}  // namespace routewise
