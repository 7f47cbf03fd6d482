// Latency measurement against jack_delay on the same real JACK loop (a dummy server of its own
// and a client delaying by a known 1234.56 samples), at several noise levels: error against the
// known delay, spread over 20 readings, and the time each reading takes.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../tests/support/child_process.hpp"
#include "../tests/support/jack_server.hpp"
#include "routewise/analysis/latency_measurement.hpp"

namespace routewise {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double known_delay = 1234.56, period = 256.0, expected = known_delay + period;
constexpr int readings = 20;

testing::JackServer& server() {
  static testing::JackServer s(48000, static_cast<int>(period));
  return s;
}

struct Summary {
  double error = 0.0;    // mean reading − expected
  double spread = 0.0;   // max − min over the readings
  double seconds = 0.0;  // per reading
};

Summary summarize(const std::vector<double>& values, double seconds_each) {
  Summary s;
  double low = values.front(), high = values.front(), sum = 0.0;
  for (double v : values) {
    low = std::min(low, v);
    high = std::max(high, v);
    sum += v;
  }
  s.error = sum / static_cast<double>(values.size()) - expected;
  s.spread = high - low;
  s.seconds = seconds_each;
  return s;
}

// jack_delay's readings as they come (it prints one per measurement cycle), with their times.
Summary jack_delay_readings(const std::string& loop) {
  const std::string command = "timeout 30 jack_delay -O " + loop + ":in -I " + loop + ":out 2>&1";
  // Read line by line (not through run_command): each reading is timed as it arrives.
  FILE* pipe = popen(command.c_str(), "r");
  std::vector<double> values;
  char line[512];
  const auto start = Clock::now();
  while (values.size() < readings && std::fgets(line, sizeof line, pipe))
    if (const auto value = testing::last_jack_delay_reading(line)) values.push_back(*value);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  // jack_delay keeps running: stop it, then drain.
  const std::string stop = "pkill -f 'jack_delay -O " + loop + ":in' >/dev/null 2>&1";
  [[maybe_unused]] const int stopped = std::system(stop.c_str());
  pclose(pipe);
  if (values.empty()) return {NAN, NAN, NAN};
  return summarize(values, elapsed / static_cast<double>(values.size()));
}

void latency_vs_jack_delay(benchmark::State& state) {
  const double snr_db = static_cast<double>(state.range(0));  // 0: no noise
  if (!server().ready()) {
    state.SkipWithError("jackd did not start");
    return;
  }
  // Our stimulus is −6 dBFS RMS; the noise sits snr_db below it.
  const std::string loop = "bench_loop_" + std::to_string(state.range(0));
  testing::ChildProcess client(
      {ROUTEWISE_DELAY_LOOP_CLIENT, "--name", loop, "--delay", std::to_string(known_delay),
       "--noise-dbfs", std::to_string(snr_db > 0.0 ? -6.0 - snr_db : -1000.0)},
      "/tmp/" + loop + ".log");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  Summary ours{}, quick{}, theirs{};
  auto run = [&](int order) {
    std::vector<double> values;
    const auto start = Clock::now();
    for (int i = 0; i < readings; ++i)
      values.push_back(measure_latency({AudioBackend::jack, loop + ":in", loop + ":out",
                                        LatencyMethod::mls, 2048, order})
                           .estimate.latency_samples);
    return summarize(values,
                     std::chrono::duration<double>(Clock::now() - start).count() / readings);
  };
  for (auto _ : state) {
    ours = run(16);
    quick = run(14);
    theirs = jack_delay_readings(loop);
  }
  state.counters["snr_db"] = snr_db;
  state.counters["rw_error"] = ours.error;
  state.counters["rw_spread"] = ours.spread;
  state.counters["rw_s_per_reading"] = ours.seconds;
  state.counters["rw14_error"] = quick.error;
  state.counters["rw14_spread"] = quick.spread;
  state.counters["rw14_s_per_reading"] = quick.seconds;
  state.counters["jd_error"] = theirs.error;
  state.counters["jd_spread"] = theirs.spread;
  state.counters["jd_s_per_reading"] = theirs.seconds;
}
BENCHMARK(latency_vs_jack_delay)
    ->Arg(0)
    ->Arg(40)
    ->Arg(20)
    ->Arg(10)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace routewise

BENCHMARK_MAIN();
