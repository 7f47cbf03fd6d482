// routewise measure --out PORT --in PORT: round-trip latency of a hardware insert or audio path,
// measured (MLS and/or sweep, repeated), cross-checked by a sine null, stored.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "load_input.hpp"
#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/latency_from_store.hpp"
#include "routewise/analysis/latency_measurement.hpp"
#include "store_access.hpp"
#include "table.hpp"

namespace routewise::cli {
namespace {

struct MeasureOptions {
  std::string out, in, method = "mls", api = "jack", insert, session, db, format = "text";
  int repeats = 3;
  int mls_order = 16;
  std::size_t max_latency = 96000;
  bool no_store = false, no_sine = false, list = false;
};

struct Stats {
  double mean = 0.0, spread = 0.0, stddev = 0.0;
};

Stats stats_of(const std::vector<double>& values) {
  Stats s;
  if (values.empty()) return s;
  for (double v : values) s.mean += v;
  s.mean /= static_cast<double>(values.size());
  double low = values.front(), high = values.front(), squares = 0.0;
  for (double v : values) {
    low = std::min(low, v);
    high = std::max(high, v);
    squares += (v - s.mean) * (v - s.mean);
  }
  s.spread = high - low;
  s.stddev = values.size() > 1 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) : 0.0;
  return s;
}

}  // namespace

void add_measure_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "measure",
      "Measure the round-trip latency of a hardware insert or audio path: play an MLS or an\n"
      "exponential sweep out of --out, record --in, deconvolve, find the impulse to 1/1000 "
      "sample;\n"
      "repeat, cross-check with a sine null, and store every take (see `latency list/trend`).\n"
      "JACK ports are CLIENT:PORT names (`routewise measure --list` shows them).");
  auto opts = std::make_shared<MeasureOptions>();
  cmd->add_option("--out", opts->out, "port the test signal is played into (the insert's send)");
  cmd->add_option("--in", opts->in, "port the return is recorded from (the insert's return)");
  cmd->add_option("--method", opts->method, "test signal")
      ->check(CLI::IsMember({"mls", "sweep", "both"}))
      ->capture_default_str();
  cmd->add_option("--repeats", opts->repeats, "takes per method")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--max-latency", opts->max_latency, "longest round trip to look for, in samples")
      ->check(CLI::Range(std::size_t{16}, std::size_t{10'000'000}))
      ->capture_default_str();
  cmd->add_option(
         "--mls-order", opts->mls_order,
         "MLS length 2^N−1: 14 is 0.34 s at 48 kHz, 16 is 1.4 s (3 dB less noise per step)")
      ->check(CLI::Range(10, 20))
      ->capture_default_str();
  cmd->add_option("--api", opts->api, "audio API")
      ->check(CLI::IsMember({"jack", "alsa"}))
      ->capture_default_str();
  cmd->add_option("--insert", opts->insert,
                  "the hardware insert measured: its node id or name, or FROM>TO, in --session");
  cmd->add_option("--session", opts->session, "session file the insert belongs to");
  cmd->add_option("--db", opts->db, db_option_help());
  cmd->add_flag("--no-store", opts->no_store, "do not store the takes");
  cmd->add_flag("--no-sine-check", opts->no_sine, "skip the sine null cross-check");
  cmd->add_flag("--list", opts->list, "list the ports and exit");
  cmd->add_option("--format", opts->format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([opts, &exit_code] {
    exit_code = exit_input_error;
    const AudioBackend backend = opts->api == "jack" ? AudioBackend::jack : AudioBackend::alsa;
    if (opts->list) {
      try {
        std::cout << "play into (--out):\n";
        for (const auto& p : audio_ports(backend, true)) std::cout << "  " << p << "\n";
        std::cout << "record from (--in):\n";
        for (const auto& p : audio_ports(backend, false)) std::cout << "  " << p << "\n";
        exit_code = exit_ok;
      } catch (const std::exception& e) {
        std::cerr << "measure: " << e.what() << "\n";
      }
      return;
    }
    if (opts->out.empty() || opts->in.empty()) {
      std::cerr << "measure: --out and --in are required (see --list)\n";
      return;
    }
    // The target the takes are stored under: the insert edge "FROM>TO" of the session, or the
    // path itself.
    std::string target = opts->out + " -> " + opts->in;
    std::optional<std::string> session_name;
    std::optional<RouteGraph> session_graph;
    if (!opts->insert.empty()) {
      if (opts->session.empty()) {
        std::cerr << "measure: --insert needs --session (the session the insert belongs to)\n";
        return;
      }
      auto graph = load_input(opts->session, std::cerr);
      if (!graph) return;
      const auto resolved = insert_target(*graph, opts->insert);
      if (!resolved) {
        std::cerr << opts->session << ": no hardware insert '" << opts->insert
                  << "' (give its node id or name, or FROM>TO)\n";
        return;
      }
      target = *resolved;
      session_name = graph->session.name;
      session_graph = std::move(graph);
    }
    std::unique_ptr<Store> store;
    if (!opts->no_store) {
      store = open_store(opts->db);
      if (!store) return;
      // A measurement belongs to a stored session: the session's current state is snapshotted
      // (nothing new is written when it is unchanged since its last snapshot).
      if (session_graph) {
        try {
          const auto added =
              store->add_snapshot(*session_graph,
                                  {"manual", "measuring " + target,
                                   std::filesystem::absolute(opts->session).string(), ""},
                                  to_records(analyze(*session_graph)));
          // Measurements are kept under the session's id: names need not be unique.
          session_name = std::to_string(store->snapshot(added.id)->session_id);
        } catch (const StoreError& e) {
          std::cerr << e.what() << "\n";
          return;
        }
      }
    }

    std::vector<LatencyMethod> methods;
    if (opts->method != "sweep") methods.push_back(LatencyMethod::mls);
    if (opts->method != "mls") methods.push_back(LatencyMethod::sweep);
    Table table({"take", "method", "samples", "ms", "SNR dB", "polarity", "confidence", "seconds"});
    nlohmann::json json = {{"target", target}, {"takes", nlohmann::json::array()}};
    std::vector<double> all;
    double rate = 0.0, first_take_s = 0.0;
    unsigned buffer = 0;
    bool inverted = false;
    try {
      for (LatencyMethod method : methods) {
        std::vector<double> values;
        for (int r = 0; r < opts->repeats; ++r) {
          std::cerr << fmt::format("measure: {} take {}/{}\r", to_string(method), r + 1,
                                   opts->repeats)
                    << std::flush;
          LatencyRequest request{backend, opts->out,         opts->in,
                                 method,  opts->max_latency, opts->mls_order};
          const LatencyTake take = measure_latency(request);
          if (all.empty()) first_take_s = take.seconds;
          const LatencyEstimate& e = take.estimate;
          rate = take.sample_rate_hz;
          buffer = take.buffer_frames;
          inverted = e.inverted;
          values.push_back(e.latency_samples);
          all.push_back(e.latency_samples);
          table.add({std::to_string(all.size()), std::string(to_string(method)),
                     fmt::format("{:.3f}", e.latency_samples),
                     fmt::format("{:.4f}", e.latency_samples * 1000.0 / rate),
                     fmt::format("{:.1f}", e.snr_db), e.inverted ? "inverted" : "normal",
                     fmt::format("{:.2f}", e.confidence), fmt::format("{:.2f}", take.seconds)});
          json["takes"].push_back({{"method", to_string(method)},
                                   {"latency_samples", e.latency_samples},
                                   {"snr_db", e.snr_db},
                                   {"inverted", e.inverted},
                                   {"confidence", e.confidence},
                                   {"seconds", take.seconds}});
          if (store) {
            LatencyMeasurement m;
            m.session = session_name;
            m.target = target;
            m.latency_samples = e.latency_samples;
            m.sample_rate_hz = rate;
            m.buffer_size = buffer;
            m.method = std::string(to_string(method));
            m.confidence = e.confidence;
            m.device = take.device;
            store->add_latency(m);
          }
        }
      }
      std::cerr << std::string(40, ' ') << "\r";
      const Stats s = stats_of(all);
      json["rate_hz"] = rate;
      json["buffer_frames"] = buffer;
      json["mean_samples"] = s.mean;
      json["spread_samples"] = s.spread;
      json["stddev_samples"] = s.stddev;
      json["first_take_seconds"] = first_take_s;
      std::optional<double> sine;
      if (!opts->no_sine) {
        sine = sine_null_check(
            {backend, opts->out, opts->in, LatencyMethod::mls, opts->max_latency}, s.mean);
        json["sine_null_residual_db"] = *sine;
      }
      if (opts->format == "json") {
        std::cout << json.dump(2) << "\n";
      } else {
        std::cout << "Round trip of " << target << " at " << fmt::format("{:g}", rate) << " Hz, "
                  << buffer << "-frame buffers\n\n"
                  << table.render()
                  << fmt::format(
                         "\nlatency {:.3f} samples ({:.4f} ms), spread {:.3f} samples over "
                         "{} takes (σ {:.4f}), polarity {}\n",
                         s.mean, s.mean * 1000.0 / rate, s.spread, all.size(), s.stddev,
                         inverted ? "INVERTED" : "normal");
        if (sine)
          std::cout << fmt::format("sine null at that latency: residual {:.1f} dB{}\n", *sine,
                                   *sine < -40.0 ? " (confirms it)" : " (does NOT confirm it)");
        if (store) std::cout << "stored " << all.size() << " take(s) under '" << target << "'\n";
      }
      exit_code = exit_ok;
    } catch (const std::exception& e) {
      std::cerr << "\nmeasure: " << e.what() << "\n";
    }
  });
}

}  // namespace routewise::cli
