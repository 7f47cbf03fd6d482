// routewise sim and routewise mirror: the built-in DAW simulator and the live OSC mirror.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

#include "analysis_options.hpp"
#include "commands.hpp"
#include "daw_options.hpp"
#include "load_input.hpp"
#include "network_options.hpp"
#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/report.hpp"
#include "routewise/daw/daw_simulator.hpp"
#include "routewise/daw/osc_dialect.hpp"
#include "routewise/daw/reaper_simulator.hpp"
#include "routewise/session/live_session.hpp"
#include "stop_signal.hpp"
#include "store_access.hpp"
#include "terminal_text.hpp"

namespace routewise::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string level(double db) {
  return std::isinf(db) ? "-inf" : fmt::format("{:+.1f}", db);
}

// `strangers`: messages from a port or host that is not the DAW's (the mirror only).
void print_stats(const OscStats& s, std::uint64_t unknown, std::uint64_t strangers = 0) {
  std::cerr << fmt::format(
      "osc: {} datagrams, {} messages, {} sent; dropped: {} not allowed, {} oversized, {} "
      "malformed, {} rate-limited, {} not from the DAW; "
      "{} not understood\n",
      s.datagrams, s.messages, s.sent, s.not_allowed, s.oversized, s.malformed, s.rate_limited,
      strangers, unknown);
}

template <typename Simulator>
void serve(Simulator& sim, double duration) {
  install_stop_handlers();
  const auto until = run_deadline(duration);
  while (!stop_requested() && Clock::now() < until) sim.poll(std::chrono::milliseconds(100));
  print_stats(sim.stats(), sim.unknown_messages());
}

void add_sim(CLI::App& app, int& exit_code) {
  struct Options {
    std::string dialect = "ardour", session;
    std::uint16_t port = ardour::default_port, device_port = 9000;
    double duration = 0;
    NetworkOptions net;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "sim",
      "Serve a session over OSC as the DAW would (the built-in DAW simulator): Ardour's surface\n"
      "protocol, or REAPER's default pattern file sending feedback to a device port.");
  cmd->add_option("--dialect", o->dialect, "DAW to imitate")
      ->check(CLI::IsMember({"ardour", "reaper"}))
      ->capture_default_str();
  cmd->add_option("--session", o->session, "route map or session file to serve")->required();
  cmd->add_option("--port,-p", o->port,
                  "UDP port to listen on (default: 3819 for Ardour, 8000 for REAPER)");
  cmd->add_option("--device-port", o->device_port, "REAPER: the device port feedback goes to")
      ->capture_default_str();
  cmd->add_option("--duration", o->duration,
                  "stop after this many seconds (default: until SIGINT/SIGTERM)");
  add_network_options(cmd, o->net, false);
  cmd->callback([o, cmd, &exit_code] {
    exit_code = exit_input_error;
    if (cmd->count("--port") == 0) o->port = dialect_named(o->dialect)->default_daw_port;
    auto graph = load_input(o->session, std::cerr);
    if (!graph) return;
    const auto endpoint = endpoint_options(o->net, o->port);
    if (!endpoint) return;
    try {
      if (o->dialect == "reaper") {
        ReaperSimulatorOptions options;
        options.endpoint = *endpoint;
        options.device_port = o->device_port;
        ReaperSimulator sim(*graph, options);
        std::cerr << fmt::format(
            "serving '{}' ({} tracks) as REAPER OSC on {}:{}, feedback to port {}\n",
            graph->session.name, sim.track_count(), o->net.listen, sim.port(), o->device_port);
        serve(sim, o->duration);
      } else {
        SimulatorOptions options;
        options.endpoint = *endpoint;
        DawSimulator sim(*graph, options);
        std::cerr << fmt::format("serving '{}' ({} strips) as Ardour OSC on {}:{}\n",
                                 graph->session.name, sim.strip_count(), o->net.listen, sim.port());
        serve(sim, o->duration);
      }
      exit_code = exit_ok;
    } catch (const OscError& e) {
      std::cerr << "sim: " << e.what() << "\n";
    }
  });
}

// One line per strip, redrawn in place on a terminal.
void live_view(const LiveSession& session, std::size_t findings) {
  const LiveMixer& m = session.mixer();
  std::string out = "\033[H\033[2J";
  out += fmt::format("mirror {}  strips {}  findings {}  resyncs {}\n\n",
                     to_string(session.link().state()), m.strips().size(), findings,
                     session.link().resyncs());
  for (const auto& [position, s] : m.strips()) {
    const double meter = s.meter_db.value_or(-INFINITY);
    const int bar =
        std::isfinite(meter) ? std::clamp(static_cast<int>((meter + 60) / 3), 0, 20) : 0;
    out += fmt::format("{:>3} {:<20.20} {:>6} dB {}{} |{:<20}| {}\n", position, printable(s.name),
                       level(s.gain_db), s.mute ? "M" : " ", s.solo ? "S" : " ",
                       std::string(static_cast<std::size_t>(bar), '#'), level(meter));
  }
  std::cout << out << std::flush;
}

void add_mirror(CLI::App& app, int& exit_code) {
  struct Options {
    std::string session, db, fail_on = "never";
    double duration = 0, connect_timeout = 5;
    bool no_store = false, stats = false;
    DawOptions daw;
    AnalysisOptions analysis;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "mirror",
      "Connect to a running DAW over OSC and keep a live mirror of its mixer: routing from the\n"
      "session file, live names, levels, mutes and meters from the DAW. Analyzes and stores a\n"
      "snapshot on connect, after structural changes and on exit (SIGINT/SIGTERM).");
  add_daw_options(cmd, o->daw);
  cmd->add_option("--session", o->session,
                  "session file or route map with the routing the OSC protocol cannot tell");
  cmd->add_option("--duration", o->duration,
                  "stop after this many seconds (default: until SIGINT/SIGTERM)");
  cmd->add_option("--connect-timeout", o->connect_timeout,
                  "give up when the DAW has not answered after this many seconds")
      ->capture_default_str();
  cmd->add_option("--db", o->db, db_option_help());
  cmd->add_flag("--no-store", o->no_store, "do not store snapshots");
  cmd->add_flag("--stats", o->stats, "print OSC counters (accepted, dropped by reason) at the end");
  add_analysis_options(cmd, o->analysis);
  cmd->add_option("--fail-on", o->fail_on,
                  "exit 1 when the final analysis has findings at or above this")
      ->check(CLI::IsMember({"info", "warning", "error", "never"}))
      ->capture_default_str();
  cmd->callback([o, cmd, &exit_code] {
    exit_code = exit_input_error;
    const auto config = analysis_config(o->analysis, std::cerr);
    if (!config) return;
    RouteGraph topology;
    if (!o->session.empty()) {
      auto loaded = load_input(o->session, std::cerr);
      if (!loaded || !declare_configured_stems(*loaded, *config, o->session, std::cerr)) return;
      topology = std::move(*loaded);
    } else if (!config->stems.empty()) {
      std::cerr << "mirror: stems need --session (the routing comes from the session file)\n";
      return;
    }
    const auto link_options = daw_link_options(cmd, o->daw);
    if (!link_options) return;
    std::unique_ptr<Store> store;
    if (!o->no_store && !(store = open_store(o->db))) return;
    try {
      LiveSessionOptions options;
      options.daw = *link_options;
      options.analysis = *config;
      LiveSession session(topology, options);
      const DawLink& link = session.link();
      const std::string daw_name(link.dialect().product);
      // The live graph and its latest findings, stored under `why` (connect, resync, structure
      // change, final).
      const auto store_snapshot = [&](const std::string& why) {
        if (!store) return;
        try {
          const auto added = store->add_snapshot(
              session.mixer().graph(),
              {"mirror", why,
               o->session.empty() ? std::string() : std::filesystem::absolute(o->session).string(),
               ""},
              to_records(session.findings()));
          std::cerr << (added.created ? "stored snapshot " : "unchanged; latest snapshot ")
                    << added.id << " (" << why << ")\n";
        } catch (const StoreError& e) {
          // A full disk or a value the store refuses loses this snapshot, not the mirror.
          std::cerr << "note: snapshot (" << why << ") not stored: " << printable(e.what()) << "\n";
        }
      };
      session.on_settled([&](const std::string& why) {
        if (why != "structure change") {
          std::cerr << fmt::format("connected to {}:{}: {} strips{}\n", o->daw.host, o->daw.port,
                                   session.mixer().strips().size(),
                                   why == "resync" ? " (resynced)" : "");
          for (const std::string& m : link.mismatches()) std::cerr << "note: " << m << "\n";
        }
        store_snapshot(why);
      });
      session.on_link([&](LinkState state) {
        if (state == LinkState::lost) std::cerr << "mirror: lost the DAW; reconnecting\n";
      });
      install_stop_handlers();
      const bool tty = stdout_is_terminal();
      const auto start = Clock::now();
      const auto until = run_deadline(o->duration);
      Clock::time_point next_view{}, next_wait_note{};
      bool ever_live = false;
      while (!stop_requested() && Clock::now() < until) {
        session.poll(std::chrono::milliseconds(100));
        const auto now = Clock::now();
        ever_live = ever_live || link.synced();
        if (!ever_live &&
            now - start > std::chrono::milliseconds(static_cast<long>(o->connect_timeout * 1000))) {
          std::cerr << fmt::format(
              "mirror: no answer from {} {} OSC at {}:{} after {:g} s{}\n",
              daw_name.starts_with('A') ? "an" : "a", daw_name, o->daw.host, o->daw.port,
              o->connect_timeout,
              link.dialect().default_listen_port != 0
                  ? fmt::format(" ({} must send to port {} here)", daw_name, o->daw.net.listen_port)
                  : "");
          return;
        }
        if (!link.synced() && now >= next_wait_note) {
          if (next_wait_note != Clock::time_point{})
            std::cerr << fmt::format("mirror: waiting for {}:{} ({}, {} strips, {} messages in)\n",
                                     o->daw.host, o->daw.port, to_string(link.state()),
                                     session.mixer().strips().size(), link.stats().messages);
          next_wait_note = now + std::chrono::seconds(5);
        }
        if (link.synced()) next_wait_note = Clock::time_point{};
        if (tty && link.synced() && now >= next_view) {
          live_view(session, session.findings().size());
          next_view = now + std::chrono::milliseconds(500);
        }
      }
      if (!ever_live) {
        std::cerr << fmt::format("mirror: no answer from {}:{}\n", o->daw.host, o->daw.port);
        return;
      }
      session.analyze_now();
      store_snapshot("final");
      std::cout << text_report(session.mixer().graph(), session.findings(), {tty});
      if (o->stats) print_stats(link.stats(), link.unknown_messages(), link.not_from_daw());
      exit_code = exit_ok;
      if (const auto threshold = severity_from_string(o->fail_on))
        for (const Finding& f : session.findings())
          if (f.severity >= *threshold) exit_code = exit_findings;
    } catch (const OscError& e) {
      std::cerr << "mirror: " << e.what() << "\n";
    } catch (const StoreError& e) {
      std::cerr << e.what() << "\n";
    }
  });
}

}  // namespace

void add_osc_commands(CLI::App& app, int& exit_code) {
  add_sim(app, exit_code);
  add_mirror(app, exit_code);
}

}  // namespace routewise::cli
