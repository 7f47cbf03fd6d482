// The control surface end to end over real JACK MIDI ports (a dummy JACK server of the test's own)
// and real OSC on 127.0.0.1: the software MCU and extender on virtual ports, Routewise's surface
// service finding them by name pattern, the DAW simulator behind the mirror. Unplugging a unit
// and plugging it back in needs no restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "../support/jack_server.hpp"
#include "../support/mirror_rig.hpp"
#include "routewise/protocols/mcu_display.hpp"
#include "routewise/protocols/surface_service.hpp"
#include "routewise/protocols/surface_sim.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using mcu::fader_value_from_db;
using mcu::FaderLaw;
using testing::Clock;

// The software MCU + extender on JACK ports "mcu-1 in/out", "mcu-2 in/out".
struct SimHardware {
  std::vector<std::unique_ptr<VirtualMidiDuplex>> ports;
  mcu::SurfaceSim sim;
  explicit SimHardware(std::vector<mcu::Model> models)
      : sim(models, [this](int u, const MidiBytes& m) {
          ports[static_cast<std::size_t>(u)]->send(m);
        }) {
    for (std::size_t i = 0; i < models.size(); ++i)
      ports.push_back(std::make_unique<VirtualMidiDuplex>(
          MidiApi::jack, "rw-surface-sim", "mcu-" + std::to_string(i + 1)));
  }
  void pump() {
    for (std::size_t u = 0; u < ports.size(); ++u)
      ports[u]->drain([&](const MidiBytes& m) { sim.receive(static_cast<int>(u), m); });
  }
};

struct JackRig {
  testing::JackServer jack;
  testing::Rig osc{20};
  std::unique_ptr<SimHardware> hardware;
  std::unique_ptr<SurfaceService> service;
  std::vector<std::string> events;

  JackRig() {
    if (!jack.ready()) return;
    hardware = std::make_unique<SimHardware>(
        std::vector<mcu::Model>{mcu::Model::mcu, mcu::Model::mcu_xt});
    SurfaceServiceOptions o;
    o.client_name = "rw-test-surface";
    o.unit_patterns = {"mcu-1 ", "mcu-2 "};
    o.hotplug_interval = 100ms;
    service = std::make_unique<SurfaceService>(*osc.mirror, o);
    service->on_event([this](const std::string& e) { events.push_back(e); });
  }
  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds limit) {
    const auto start = Clock::now();
    while (!done() && Clock::now() - start < limit) {
      osc.sim->poll(1ms);
      service->poll(2ms);
      if (hardware) hardware->pump();
    }
    return done();
  }
  const mcu::SimUnit& unit(int u) const { return hardware->sim.unit(u); }
  double daw_gain(int ssid) const {
    return osc.sim->session().nodes.at(static_cast<std::size_t>(ssid)).fader_db;
  }
};

TEST(SurfaceJack, FaderMovesMotorsLcdAndTouchOverRealJackMidi) {
  JackRig rig;
  ASSERT_TRUE(rig.jack.ready()) << "jackd did not start; log: " << rig.jack.log();
  ASSERT_TRUE(rig.run_until(
      [&] { return rig.osc.mirror->complete() && rig.service->surface().online(0) &&
                   rig.service->surface().online(1) && rig.unit(1).cell(0, 7) == "Trck16"; },
      5000ms))
      << (rig.events.empty() ? "no events" : rig.events.back()) << "; "
      << rig.service->port(0).last_error();
  EXPECT_EQ(rig.unit(0).upper_row(),
            mcu::lcd_row({"Trck1", "Trck2", "Trck3", "Trck4", "Trck5", "Trck6", "Trck7", "Trck8"}));

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
      [&] { return rig.service->surface().online(0) && rig.unit(0).cell(0, 0) == "Trck1 "; },
      5000ms));

  rig.hardware.reset();  // both units' ports vanish
  ASSERT_TRUE(rig.run_until([&] { return !rig.service->surface().online(0); }, 2000ms));
  EXPECT_FALSE(rig.service->port(0).is_open());
  const auto said = [&](const std::string& text) {
    return std::any_of(rig.events.begin(), rig.events.end(),
                       [&](const std::string& e) { return e.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(said("unit 1: 'rw-surface-sim")) << "the vanished ports are named";
  EXPECT_TRUE(said("waiting for it to come back"));
  rig.osc.sim->set_gain_db(3, -27.0);  // changed while the surface was away
  rig.run_until([] { return false; }, 200ms);

  rig.hardware = std::make_unique<SimHardware>(
      std::vector<mcu::Model>{mcu::Model::mcu, mcu::Model::mcu_xt});
  ASSERT_TRUE(rig.run_until(
      [&] { return rig.service->surface().online(0) && rig.unit(0).cell(0, 0) == "Trck1 " &&
                   rig.unit(0).fader[2] == fader_value_from_db(-27.0, FaderLaw::ardour); },
      5000ms))
      << rig.service->port(0).last_error();
  EXPECT_TRUE(rig.service->port(0).is_open());
  EXPECT_TRUE(rig.service->surface().online(1));
}

}  // namespace
}  // namespace routewise
