// routewise surface learn / generic / mappings: a generic MIDI controller mapped to the mixer by
// moving a control and naming its target; the mappings live in the database.
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "commands.hpp"
#include "daw_options.hpp"
#include "routewise/session/live_session.hpp"
#include "stop_signal.hpp"
#include "store_access.hpp"

#include <poll.h>

namespace routewise::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string ask(const std::string& question) {
  std::cerr << question << std::flush;
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

void add_learn(CLI::App* parent, int& exit_code) {
  struct Options {
    std::string midi, strip, parameter, argument, profile = "default", db, api = "jack";
    bool no_soft_takeover = false;
    double timeout = 30;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = parent->add_subcommand(
      "learn",
      "Map a control of a generic MIDI controller: move it, name the target, and the mapping is\n"
      "saved in the database (the strip by its name on the DAW's mixer). Without --strip and\n"
      "--parameter the target is asked for after the move.");
  cmd->add_option("--midi", o->midi, "the controller's MIDI port name pattern")->required();
  cmd->add_option("--strip", o->strip, "the strip's name, as the DAW shows it");
  cmd->add_option("--parameter", o->parameter, "what the control moves")
      ->check(CLI::IsMember({"fader", "send", "mute", "solo", "pan", "bypass"}));
  cmd->add_option("--argument", o->argument,
                  "send: the bus the send feeds; bypass: the plugin's slot (1, 2, ...)");
  cmd->add_option("--profile", o->profile, "the controller's set of mappings")
      ->capture_default_str();
  cmd->add_flag("--no-soft-takeover", o->no_soft_takeover,
                "the control has a motor or an LED ring: apply at once and send feedback");
  cmd->add_option("--timeout", o->timeout, "give up when nothing moved for this many seconds")
      ->capture_default_str();
  cmd->add_option("--db", o->db, db_option_help());
  add_midi_api_option(cmd, o->api);
  cmd->callback([o, &exit_code] {
    exit_code = exit_input_error;
    auto store = open_store(o->db);
    if (!store) return;
    try {
      MidiDuplex port(*midi_api_named(o->api), "routewise-learn", o->midi, 0, false);
      install_stop_handlers();
      const auto until =
          Clock::now() + std::chrono::milliseconds(static_cast<long>(o->timeout * 1000));
      bool announced = false;
      MidiLearn learn;
      while (!learn.learned() && !stop_requested() && Clock::now() < until) {
        if (!port.is_open() && port.check() == MidiDuplex::Change::opened) {
          std::cerr << fmt::format("listening on '{}': move the control to map\n",
                                   port.source_name());
          announced = true;
        }
        pollfd p{port.wake_fd(), POLLIN, 0};
        ::poll(&p, 1, 100);
        port.drain([&](const MidiBytes& m, auto) { learn.feed(m); });
      }
      if (!learn.learned()) {
        std::cerr << (announced ? "learn: nothing was moved\n"
                                : fmt::format("learn: {}\n", port.last_error()));
        return;
      }
      const MidiControl control = *learn.learned();
      std::cerr << "learned " << to_string(control) << "\n";
      if (o->strip.empty()) o->strip = ask("strip (its name on the mixer): ");
      if (o->parameter.empty()) {
        o->parameter = ask("parameter (fader, send, mute, solo, pan, bypass) [fader]: ");
        if (o->parameter.empty()) o->parameter = "fader";
      }
      if ((o->parameter == "send" || o->parameter == "bypass") && o->argument.empty())
        o->argument = ask(o->parameter == "send" ? "the bus the send feeds: "
                                                 : "the plugin's slot (1, 2, ...): ");
      SurfaceMapping row;
      row.profile = o->profile;
      row.control = to_string(control);
      row.target_node = o->strip;
      row.parameter = o->parameter;
      row.argument = o->argument;
      // A button has nothing to take over; a continuous control without a motor does.
      row.soft_takeover = !o->no_soft_takeover && control.kind != MidiControlKind::note;
      std::string error;
      if (!mapping_from_row(row, error)) {
        std::cerr << "learn: " << error << "\n";
        return;
      }
      store->put_surface_mapping(row);
      std::cout << fmt::format("saved {} -> '{}' {}{} (profile '{}'{})\n", row.control,
                               row.target_node, row.parameter,
                               row.argument.empty() ? "" : " " + row.argument, row.profile,
                               row.soft_takeover ? ", soft takeover" : "");
      exit_code = exit_ok;
    } catch (const MidiError& e) {
      std::cerr << "learn: " << e.what() << "\n";
    } catch (const StoreError& e) {
      std::cerr << e.what() << "\n";
    }
  });
}

void add_mappings(CLI::App* parent, int& exit_code) {
  struct Options {
    std::string profile, db, remove;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = parent->add_subcommand(
      "mappings", "List the learned mappings (all profiles, or one), or remove one.");
  cmd->add_option("--profile", o->profile, "only this profile");
  cmd->add_option("--remove", o->remove, "remove the mapping of this control (with --profile)");
  cmd->add_flag("--json", o->json, "as JSON (the form `db export` and `db import` carry)");
  cmd->add_option("--db", o->db, db_option_help());
  cmd->callback([o, &exit_code] {
    exit_code = exit_input_error;
    auto store = open_store(o->db);
    if (!store) return;
    if (!o->remove.empty()) {
      if (!store->remove_surface_mapping(o->profile.empty() ? "default" : o->profile, o->remove)) {
        std::cerr << fmt::format("no mapping of '{}' in profile '{}'\n", o->remove,
                                 o->profile.empty() ? "default" : o->profile);
        return;
      }
      exit_code = exit_ok;
      return;
    }
    if (o->json) {
      std::cout << store->surface_mappings_json(o->profile);
      exit_code = exit_ok;
      return;
    }
    for (const SurfaceMapping& m : store->surface_mappings(o->profile))
      std::cout << fmt::format("{:<12} {:<14} {:<20} {:<7} {:<10} {}\n", m.profile, m.control,
                               m.target_node, m.parameter, m.argument,
                               m.soft_takeover ? "soft takeover" : "direct");
    exit_code = exit_ok;
  });
}

void add_generic(CLI::App* parent, int& exit_code) {
  struct Options {
    std::string midi, profile = "default", db, api = "jack";
    double duration = 0;
    DawOptions daw;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = parent->add_subcommand(
      "generic", "Drive the DAW from a generic MIDI controller with its learned mappings.");
  cmd->add_option("--midi", o->midi, "the controller's MIDI port name pattern")->required();
  cmd->add_option("--profile", o->profile, "which learned mappings")->capture_default_str();
  cmd->add_option("--db", o->db, db_option_help());
  add_daw_options(cmd, o->daw);
  add_midi_api_option(cmd, o->api);
  cmd->add_option("--duration", o->duration,
                  "stop after this many seconds (default: until SIGINT/SIGTERM)");
  cmd->callback([o, cmd, &exit_code] {
    exit_code = exit_input_error;
    auto store = open_store(o->db, Store::Access::read_only);
    if (!store) return;
    GenericHostOptions options;
    for (const SurfaceMapping& row : store->surface_mappings(o->profile)) {
      std::string error;
      const auto m = mapping_from_row(row, error);
      if (!m) {
        std::cerr << fmt::format("{}: mapping {}: {}\n", store->path().string(), row.id, error);
        return;
      }
      options.mappings.push_back(*m);
    }
    if (options.mappings.empty()) {
      std::cerr << fmt::format(
          "no mappings in profile '{}' (learn some with `routewise surface "
          "learn`)\n",
          o->profile);
      return;
    }
    const auto link_options = daw_link_options(cmd, o->daw);
    if (!link_options) return;
    try {
      LiveSessionOptions session_options;
      session_options.daw = *link_options;
      LiveSession session(RouteGraph{}, session_options);
      options.api = *midi_api_named(o->api);
      options.port_pattern = o->midi;
      options.law = session.link().dialect().fader_law;
      const std::size_t count = options.mappings.size();
      session.surfaces().on_event(
          [](const std::string& e) { std::cerr << "controller: " << e << "\n"; });
      session.surfaces().add(std::move(options));
      std::cerr << fmt::format("controller: {} mappings from profile '{}'\n", count, o->profile);
      install_stop_handlers();
      const auto until = run_deadline(o->duration);
      while (!stop_requested() && Clock::now() < until)
        session.poll(std::chrono::milliseconds(100));
      exit_code = exit_ok;
    } catch (const MidiError& e) {
      std::cerr << "controller: " << e.what() << "\n";
    } catch (const OscError& e) {
      std::cerr << "controller: " << e.what() << "\n";
    }
  });
}

}  // namespace

void add_controller_commands(CLI::App* surface, int& exit_code) {
  add_learn(surface, exit_code);
  add_generic(surface, exit_code);
  add_mappings(surface, exit_code);
}

}  // namespace routewise::cli
