// routewise surface (list) and routewise surface-sim: a Mackie Control unit with extenders
// driven from the live mirror, the MIDI ports there are, and a software MCU on virtual ports.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <map>
#include <set>

#include <poll.h>

#include "commands.hpp"
#include "daw_options.hpp"
#include "load_input.hpp"
#include "routewise/session/live_session.hpp"
#include "routewise/surfaces/mcu_display.hpp"
#include "routewise/surfaces/surface_sim.hpp"
#include "stop_signal.hpp"

namespace routewise::cli {
namespace {

using Clock = std::chrono::steady_clock;

void add_list(CLI::App* parent, int& exit_code) {
  auto api = std::make_shared<std::string>("jack");
  auto* cmd = parent->add_subcommand("list", "List the MIDI ports a surface could be found on.");
  add_midi_api_option(cmd, *api);
  cmd->callback([api, &exit_code] {
    const MidiPortList ports = list_midi_ports(*midi_api_named(*api));
    if (!ports.error.empty()) {  // no server, no sequencer: say why, not just "nothing"
      std::cerr << fmt::format("MIDI ({}): {}\n", *api, ports.error);
      exit_code = exit_input_error;
      return;
    }
    std::cout << "sources (a surface's output; what --mcu reads from):\n";
    for (const auto& p : ports.sources) std::cout << "  " << p << "\n";
    std::cout << "sinks (a surface's input; what --mcu writes to):\n";
    for (const auto& p : ports.sinks) std::cout << "  " << p << "\n";
    exit_code = exit_ok;
  });
}

void add_surface(CLI::App& app, int& exit_code) {
  struct Options {
    std::string mcu, session, api = "jack";
    std::vector<std::string> extenders;
    double duration = 0;
    DawOptions daw;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "surface",
      "Drive a Mackie Control unit (and extenders) from the live mirror of a DAW: motor faders,\n"
      "V-Pots, buttons, scribble strips and meters follow the DAW; moves go to the DAW. Ports are\n"
      "found by name pattern (see `surface list`) and re-opened when a unit comes back.");
  cmd->require_subcommand(0, 1);
  add_list(cmd, exit_code);
  add_controller_commands(cmd, exit_code);
  cmd->add_option("--mcu", o->mcu,
                  "the main unit's MIDI port name pattern (regex, case-insensitive)");
  cmd->add_option("--extender", o->extenders,
                  "an extender's port pattern, left to right (repeat; the same pattern twice is "
                  "the next port of that name)");
  add_daw_options(cmd, o->daw);  // the dialect also picks the fader law
  cmd->add_option("--session", o->session,
                  "session file or route map (routing for the findings shown on the LCD)");
  add_midi_api_option(cmd, o->api);
  cmd->add_option("--duration", o->duration,
                  "stop after this many seconds (default: until SIGINT/SIGTERM)");
  cmd->callback([o, cmd, &exit_code] {
    if (!cmd->get_subcommands().empty()) return;  // list, learn, generic or mappings ran
    exit_code = exit_input_error;
    if (o->mcu.empty()) {
      std::cerr << "surface: --mcu PATTERN is required (find the port with `routewise surface "
                   "list`)\n";
      return;
    }
    RouteGraph topology;
    if (!o->session.empty()) {
      auto loaded = load_input(o->session, std::cerr);
      if (!loaded) return;
      topology = std::move(*loaded);
    }
    const auto link_options = daw_link_options(cmd, o->daw);
    if (!link_options) return;
    try {
      LiveSessionOptions session_options;
      session_options.daw = *link_options;
      // Findings on the LCD and overload LEDs: after changes, and every few seconds for levels.
      session_options.analysis_refresh = std::chrono::seconds(2);
      LiveSession session(topology, session_options);
      McuHostOptions options;
      options.api = *midi_api_named(o->api);
      options.unit_patterns.push_back(o->mcu);
      for (const auto& e : o->extenders) options.unit_patterns.push_back(e);
      options.surface.law = session.link().dialect().fader_law;
      session.surfaces().on_event(
          [](const std::string& e) { std::cerr << "surface: " << e << "\n"; });
      session.surfaces().add(options);
      session.on_link([&](LinkState state) {
        if (state == LinkState::live)
          std::cerr << fmt::format("surface: mirroring {}:{} ({} strips)\n", o->daw.host,
                                   o->daw.port, session.mixer().strips().size());
        if (state == LinkState::lost) std::cerr << "surface: lost the DAW; reconnecting\n";
      });
      install_stop_handlers();
      const auto until = run_deadline(o->duration);
      while (!stop_requested() && Clock::now() < until)
        session.poll(std::chrono::milliseconds(100));
      exit_code = exit_ok;
    } catch (const MidiError& e) {
      std::cerr << "surface: " << e.what() << "\n";
    } catch (const OscError& e) {
      std::cerr << "surface: " << e.what() << "\n";
    }
  });
}

void add_surface_sim(CLI::App& app, int& exit_code) {
  struct Options {
    int extenders = 0;
    std::string api = "jack", name = "routewise-surface-sim";
    double duration = 0;
    bool logic = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "surface-sim",
      "A software Mackie Control (plus extenders) on virtual MIDI ports 'mcu-1 in/out',\n"
      "'mcu-2 in/out', ...: it answers the handshake and prints its LCD whenever it changes.\n"
      "Point `routewise surface --mcu 'mcu-1 ' --extender 'mcu-2 '` at it.");
  cmd->add_option("--extenders", o->extenders, "extender units after the main unit")
      ->check(CLI::Range(0, 3))
      ->capture_default_str();
  add_midi_api_option(cmd, o->api);
  cmd->add_option("--name", o->name, "MIDI client name")->capture_default_str();
  cmd->add_flag("--logic", o->logic,
                "answer as a Logic Control (model 10/11: challenge-response handshake)");
  cmd->add_option("--duration", o->duration,
                  "stop after this many seconds (default: until SIGINT/SIGTERM)");
  cmd->callback([o, &exit_code] {
    exit_code = exit_input_error;
    try {
      std::vector<std::unique_ptr<VirtualMidiDuplex>> ports;
      std::vector<mcu::Model> models;
      for (int i = 0; i <= o->extenders; ++i) {
        models.push_back(i == 0 ? (o->logic ? mcu::Model::logic : mcu::Model::mcu)
                                : (o->logic ? mcu::Model::logic_xt : mcu::Model::mcu_xt));
        ports.push_back(std::make_unique<VirtualMidiDuplex>(*midi_api_named(o->api), o->name,
                                                            fmt::format("mcu-{}", i + 1)));
      }
      mcu::SurfaceSim sim(
          models, [&](int u, const MidiBytes& m) { ports[static_cast<std::size_t>(u)]->send(m); });
      for (std::size_t u = 0; u < ports.size(); ++u) sim.power_on(static_cast<int>(u));
      std::cerr << fmt::format("surface-sim: {} unit(s) on {} ports '{}:mcu-N in/out'\n",
                               ports.size(), o->api, o->name);
      install_stop_handlers();
      const auto until = run_deadline(o->duration);
      std::vector<std::string> shown(ports.size());
      while (!stop_requested() && Clock::now() < until) {
        std::vector<pollfd> fds;
        for (const auto& p : ports) fds.push_back({p->wake_fd(), POLLIN, 0});
        ::poll(fds.data(), fds.size(), 100);
        for (std::size_t u = 0; u < ports.size(); ++u)
          ports[u]->drain([&](const MidiBytes& m) { sim.receive(static_cast<int>(u), m); });
        for (std::size_t u = 0; u < ports.size(); ++u) {
          const auto& unit = sim.unit(static_cast<int>(u));
          if (unit.lcd == shown[u]) continue;
          shown[u] = unit.lcd;
          std::cout << fmt::format("unit {} |{}|\n       |{}|\n", u + 1, unit.upper_row(),
                                   unit.lower_row())
                    << std::flush;
        }
      }
      exit_code = exit_ok;
    } catch (const MidiError& e) {
      std::cerr << "surface-sim: " << e.what() << "\n";
    }
  });
}

}  // namespace

void add_surface_commands(CLI::App& app, int& exit_code) {
  add_surface(app, exit_code);
  add_surface_sim(app, exit_code);
}

}  // namespace routewise::cli
