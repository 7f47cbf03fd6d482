// Mackie Control differential test: real Ardour 7's own Mackie surface and Routewise's drive two
// software MCUs side by side, over a JACK server of the test's own, for the same session (the one
// Ardour built and runs; Routewise mirrors it over OSC). Names on the LCD, fader positions for the
// same gains (to 1 LSB of 14 bits, master included) and the mute and solo LEDs must agree, before
// and after a change made in Ardour. Deliberate differences are in docs/simulator-fidelity.md.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "../../support/ardour_peer.hpp"
#include "../../support/jack_server.hpp"
#include "routewise/sessions/session_import.hpp"
#include "routewise/surfaces/surface_host.hpp"
#include "routewise/surfaces/surface_sim.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A software MCU wired straight to Ardour's Mackie ports (found by name, as a surface is).
struct ArdoursUnit {
  MidiDuplex port{MidiApi::jack, "rw-unit-of-ardour", "^ardour:mackie control"};
  mcu::SurfaceSim sim{{mcu::Model::mcu}, [this](int, const MidiBytes& m) { port.send(m); }};
  void pump() {
    port.drain([&](const MidiBytes& m, auto) { sim.receive(0, m); });
  }
  const mcu::SimUnit& state() const { return sim.unit(0); }
};

// A software MCU on its own virtual JACK ports.
struct Unit {
  std::unique_ptr<VirtualMidiDuplex> port;
  mcu::SurfaceSim sim;
  explicit Unit(const std::string& client)
      : sim({mcu::Model::mcu}, [this](int, const MidiBytes& m) { port->send(m); }) {
    port = std::make_unique<VirtualMidiDuplex>(MidiApi::jack, client, "mcu-1");
  }
  void pump() {
    port->drain([&](const MidiBytes& m) { sim.receive(0, m); });
  }
  const mcu::SimUnit& state() const { return sim.unit(0); }
};

// One run of the comparison. `peer_lost_jack` is set (and nothing asserted) when hardour loses its
// JACK server on the way (see RunningArdour::lost_jack), which with the Mackie surface on, whose
// ports are registered as the session loads, happened here in 5 of 14 runs under ASan, at times 3
// in a row, and 3 of 3 in CI.
void compare_with_ardour(bool& peer_lost_jack) {
  peer_lost_jack = false;
  // The default JACK server (hardour under a named server of ours lost it far more often), started
  // here rather than by start-osc, verbose, so that a loss is explained in its log.
  testing::JackServerOptions jack_options;
  jack_options.name = "default";
  jack_options.verbose = true;
  testing::JackServer jack(jack_options);
  ASSERT_TRUE(jack.ready()) << testing::read_bytes(jack.log());
  testing::TempDir dir;
  const auto session = testing::make_session(dir);
  ASSERT_TRUE(std::filesystem::exists(session));
  std::string text = testing::read_bytes(session);
  const std::string off = R"(<Protocol name="Mackie" active="0"/>)";
  ASSERT_NE(text.find(off), std::string::npos) << "no Mackie entry in " << session;
  text.replace(text.find(off), off.size(), R"(<Protocol name="Mackie" active="1"/>)");
  { std::ofstream(session) << text; }
  const ImportResult imported = import_session_file(session);
  ASSERT_TRUE(imported.graph);

  testing::RunningArdour ardour(dir / "S", dir / "hardour.log", /*jack_started_by_caller=*/true);
  DawLinkOptions mirror_options;
  mirror_options.daw_port = ardour::default_port;
  testing::LiveLink mirror(*imported.graph, mirror_options);
  // JACK is up once Ardour answers over OSC: only then the MIDI clients.
  const auto mirror_start = Clock::now();
  while (!mirror.complete() && Clock::now() - mirror_start < 40s) mirror.poll(10ms);
  const auto give_up_on_this_ardour = [&] {
    peer_lost_jack = true;
    const auto tail = [](const std::string& text) {
      return text.substr(text.size() > 3000 ? text.size() - 3000 : 0);
    };
    // jackd's verbose log is long: the lines that tell what it made of hardour's requests.
    std::istringstream jack_log(testing::read_bytes(jack.log()));
    std::string jack_says;
    int kept = 0;
    for (std::string line; std::getline(jack_log, line) && kept < 12;) {
      const bool telling = line.find("Check") == 0 || line.find("Unknown request") == 0 ||
                           line.find("JackRequest::SetTimebase") != std::string::npos;
      if (!telling) continue;
      jack_says += line + '\n';
      ++kept;
    }
    std::cerr << "hardour's log ends: " << tail(testing::read_bytes(dir / "hardour.log"))
              << "\njackd said: " << jack_says;
  };
  if (ardour.lost_jack()) return give_up_on_this_ardour();
  ASSERT_TRUE(mirror.complete()) << "Ardour never answered over OSC: "
                                 << testing::read_bytes(dir / "hardour.log");
  ArdoursUnit by_ardour;
  Unit by_routewise("rw-unit-of-routewise");
  McuHostOptions options;
  options.client_name = "rw-surface-under-test";
  options.unit_patterns = {"rw-unit-of-routewise.*mcu-1 "};
  SurfaceHost service(mirror.mixer(), 200ms);
  service.add(options);
  auto next_hello = Clock::now();
  bool joined = false;
  const auto run_until = [&](auto done, std::chrono::milliseconds limit) {
    const auto start = Clock::now();
    while (!done() && Clock::now() - start < limit) {
      service.poll(5ms, mirror.link().socket_fd(), [&] { mirror.poll(0ms); });
      by_ardour.pump();
      by_routewise.pump();
      // A unit says hello at power-on; Ardour may miss the first one, so it says it again until
      // Ardour has written to its LCD.
      if (joined && by_ardour.state().cell(0, 0) == "      " && Clock::now() >= next_hello) {
        by_ardour.sim.power_on(0);
        next_hello = Clock::now() + 1s;
      }
    }
    return done();
  };
  // Ardour's Mackie ports are joined to the first unit once Ardour has loaded the session (it
  // answers over OSC): joining them while it is still starting crashed hardour 7.3 once here.
  ASSERT_TRUE(run_until([&] { return mirror.complete(); }, 40s))
      << "Ardour never answered over OSC: " << testing::read_bytes(dir / "hardour.log");
  // Ardour is still making its session's JACK connections when OSC answers: its Mackie ports are
  // joined after that. (The losses once blamed on joining early were the start-up race above.)
  run_until([] { return false; }, 3s);
  // One long-lived client looks for the ports (clients opened and closed in a tight loop upset
  // JACK2's server while Ardour was attached to it).
  for (int i = 0; i < 50 && !joined; ++i) {
    joined = by_ardour.port.check() == MidiDuplex::Change::opened;
    if (!joined) run_until([] { return false; }, 200ms);
  }
  if (!joined && ardour.lost_jack()) return give_up_on_this_ardour();
  ASSERT_TRUE(joined) << "Ardour's Mackie ports never appeared: "
                      << testing::read_bytes(dir / "hardour.log");
  const auto& a = by_ardour.state();
  const auto& r = by_routewise.state();
  const auto shown = [](const mcu::SimUnit& u) { return u.cell(0, 0) != "      "; };
  ASSERT_TRUE(run_until([&] { return mirror.complete() && shown(a) && shown(r); }, 40s))
      << "Ardour's unit: '" << a.upper_row() << "', ours: '" << r.upper_row() << "', mirror "
      << to_string(mirror.state()) << "; " << testing::read_bytes(dir / "hardour.log");
  run_until([] { return false; }, 1500ms);  // both settle

  const auto compare = [&](const std::string& when) {
    for (int i = 0; i < 8; ++i) {
      const auto k = static_cast<std::size_t>(i);
      EXPECT_EQ(a.cell(0, i), r.cell(0, i)) << when << ": name on strip " << i + 1;
      EXPECT_LE(std::abs(a.fader[k] - r.fader[k]), 1)
          << when << ": fader " << i + 1 << " ('" << r.cell(0, i) << "'): Ardour " << a.fader[k]
          << ", Routewise " << r.fader[k];
      for (std::uint8_t note : {mcu::note::mute, mcu::note::solo}) {
        const auto n = static_cast<std::uint8_t>(note + i);
        const auto led = [&](const mcu::SimUnit& u) {
          const auto it = u.leds.find(n);
          return it == u.leds.end() ? mcu::Led::off : it->second;
        };
        EXPECT_EQ(led(a), led(r)) << when << ": LED " << int(n) << " on strip " << i + 1;
      }
    }
    EXPECT_LE(std::abs(a.fader[8] - r.fader[8]), 1)
        << when << ": master fader: Ardour " << a.fader[8] << ", Routewise " << r.fader[8];
  };
  compare("after connecting");

  // A change made in Ardour (through the mirror's OSC): both motors and both LEDs follow.
  const std::string kick = [&] {
    for (const auto& [ssid, s] : mirror.strips())
      if (s.name == "Kick") return s.node_id;
    return std::string();
  }();
  ASSERT_FALSE(kick.empty());
  const auto kick_state = [&]() -> const LiveStrip& {
    for (const auto& [ssid, s] : mirror.strips())
      if (s.node_id == kick) return s;
    return mirror.strips().begin()->second;
  };
  ASSERT_TRUE(mirror.set(kick, MixerControl::gain_db, -10.0));
  const int target = mcu::fader_value_from_db(-10.0, mcu::FaderLaw::ardour);
  EXPECT_TRUE(run_until(
      [&] { return std::abs(a.fader[0] - target) <= 1 && std::abs(r.fader[0] - target) <= 1; }, 5s))
      << "Ardour's fader " << a.fader[0] << ", ours " << r.fader[0] << ", expected " << target
      << "; the mirror reads " << kick_state().gain_db << " dB";
  ASSERT_TRUE(mirror.set(kick, MixerControl::mute, 1.0));
  EXPECT_TRUE(run_until([&] { return kick_state().mute; }, 5s));
  run_until([] { return false; }, 500ms);
  compare("after a change in Ardour");
}

}  // namespace

TEST(ArdourMackie, ArdoursMackieSurfaceAndRoutewiseShowTheSameSessionAlike) {
  ROUTEWISE_SKIP_WITHOUT_ARDOUR();
  // A lost server shows as soon as Ardour answers over OSC (about 6 s), so more tries are cheap.
  constexpr int attempts = 6;
  bool peer_lost_jack = true;
  for (int attempt = 1; attempt <= attempts && peer_lost_jack; ++attempt) {
    compare_with_ardour(peer_lost_jack);
    if (peer_lost_jack) std::cerr << "attempt " << attempt << ": hardour lost its JACK server\n";
  }
  EXPECT_FALSE(peer_lost_jack) << "hardour lost its JACK server in " << attempts << " runs of "
                               << attempts;
}

}  // namespace routewise
