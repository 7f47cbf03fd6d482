// routewise latency list|add|trend: stored latency measurements of inserts and paths.
#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "commands.hpp"
#include "store_access.hpp"
#include "table.hpp"

namespace routewise::cli {
namespace {

std::string optional_text(const std::optional<double>& v, const char* format) {
  return v ? fmt::format(fmt::runtime(format), *v) : "";
}

void print_list(const std::vector<LatencyMeasurement>& rows) {
  Table table({"id", "time (UTC)", "session", "target", "samples", "ms", "rate", "buffer", "method",
               "confidence", "device"});
  for (const auto& m : rows)
    table.add({std::to_string(m.id), m.measured_at, m.session.value_or(""), m.target,
               fmt::format("{:.3f}", m.latency_samples), fmt::format("{:.3f}", m.latency_ms()),
               fmt::format("{:g}", m.sample_rate_hz),
               m.buffer_size ? std::to_string(*m.buffer_size) : "", m.method,
               optional_text(m.confidence, "{:.2f}"), m.device});
  std::cout << (rows.empty() ? "No latency measurements.\n" : table.render());
}

// Oldest to newest with the change against the first measurement, then the spread.
void print_trend(const std::string& target, std::vector<LatencyMeasurement> rows) {
  if (rows.empty()) {
    std::cout << "No latency measurements for '" << target << "'.\n";
    return;
  }
  std::reverse(rows.begin(), rows.end());
  const double first_ms = rows.front().latency_ms();
  double low = first_ms, high = first_ms, sum = 0;
  Table table(
      {"time (UTC)", "ms", "samples", "drift since first (ms)", "rate", "buffer", "method"});
  for (const auto& m : rows) {
    const double ms = m.latency_ms();
    low = std::min(low, ms);
    high = std::max(high, ms);
    sum += ms;
    table.add({m.measured_at, fmt::format("{:.3f}", ms), fmt::format("{:.3f}", m.latency_samples),
               fmt::format("{:+.3f}", ms - first_ms), fmt::format("{:g}", m.sample_rate_hz),
               m.buffer_size ? std::to_string(*m.buffer_size) : "", m.method});
  }
  std::cout << "Latency of '" << target << "' over " << rows.size() << " measurement"
            << (rows.size() == 1 ? "" : "s") << "\n\n"
            << table.render()
            << fmt::format(
                   "\nmean {:.3f} ms, range {:.3f}..{:.3f} ms (spread {:.3f} ms), latest drift "
                   "{:+.3f} ms\n",
                   sum / static_cast<double>(rows.size()), low, high, high - low,
                   rows.back().latency_ms() - first_ms);
}

}  // namespace

void add_latency_command(CLI::App& app, int& exit_code) {
  auto* latency =
      app.add_subcommand("latency", "Stored latency measurements of hardware inserts and paths.");
  latency->require_subcommand(1);
  struct Options {
    std::string db, target, session, method = "manual", device, measured_at;
    double samples = -1, rate = 48000;
    std::optional<std::int64_t> buffer;
    std::optional<double> confidence;
  };
  auto o = std::make_shared<Options>();

  auto* list = latency->add_subcommand("list", "Measurements, newest first.");
  list->add_option("TARGET", o->target, "only this insert or path id");
  list->add_option("--session", o->session, "only this session (name or id)");
  list->add_option("--db", o->db, db_option_help());
  list->callback([o, &exit_code] {
    exit_code = exit_input_error;
    auto store = open_store(o->db, Store::Access::read_only);
    if (!store) return;
    print_list(store->latencies(o->target, o->session));
    exit_code = exit_ok;
  });

  auto* add = latency->add_subcommand(
      "add", "Record a measurement made elsewhere (e.g. by hand with a null test).");
  add->add_option("TARGET", o->target, "insert or path id, e.g. mix_bus>ssl_comp")->required();
  add->add_option("--samples", o->samples, "round-trip latency in samples")->required();
  add->add_option("--rate", o->rate, "sample rate in Hz")->capture_default_str();
  add->add_option("--buffer", o->buffer, "audio buffer size in frames");
  add->add_option("--method", o->method, "how it was measured")->capture_default_str();
  add->add_option("--confidence", o->confidence, "0..1");
  add->add_option("--device", o->device, "audio interface");
  add->add_option("--session", o->session, "session it belongs to (name or id)");
  add->add_option("--at", o->measured_at, "time of the measurement, ISO-8601 UTC (default: now)");
  add->add_option("--db", o->db, db_option_help());
  add->callback([o, &exit_code] {
    exit_code = exit_input_error;
    auto store = open_store(o->db);
    if (!store) return;
    LatencyMeasurement m;
    if (!o->session.empty()) m.session = o->session;
    m.target = o->target;
    m.latency_samples = o->samples;
    m.sample_rate_hz = o->rate;
    m.buffer_size = o->buffer;
    m.method = o->method;
    m.confidence = o->confidence;
    m.device = o->device;
    m.measured_at = o->measured_at;
    try {
      std::cout << store->add_latency(m) << "\n";
      exit_code = exit_ok;
    } catch (const StoreError& e) {
      std::cerr << e.what() << "\n";
    }
  });

  auto* trend = latency->add_subcommand("trend", "How one insert's latency drifted over time.");
  trend->add_option("TARGET", o->target, "insert or path id")->required();
  trend->add_option("--db", o->db, db_option_help());
  trend->callback([o, &exit_code] {
    exit_code = exit_input_error;
    auto store = open_store(o->db, Store::Access::read_only);
    if (!store) return;
    print_trend(o->target, store->latencies(o->target));
    exit_code = exit_ok;
  });
}

}  // namespace routewise::cli
