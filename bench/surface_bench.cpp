// The Mackie Control surface over real JACK MIDI (a dummy server of its own) and real OSC on
// 127.0.0.1: internal latency from RtMidi handing a fader move over to its OSC datagram leaving,
// and from the DAW's change to the motor message handed to RtMidi (p50/p99/max over 100 000);
// nine faders at 1 kHz each for 60 s with nothing lost. The peer in the same run is the floor: a
// bare forwarder draining the same kind of port and sending one datagram per message.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "../tests/support/jack_server.hpp"
#include "../tests/support/mirror_rig.hpp"
#include "routewise/daw/daw_simulator.hpp"
#include "routewise/surfaces/mcu_fader.hpp"
#include "routewise/surfaces/surface_host.hpp"
#include "routewise/surfaces/surface_sim.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr int period_frames = 256, rate_hz = 48000;

testing::JackServer& server() {
  static testing::JackServer s(rate_hz, period_frames);
  return s;
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void percentiles(benchmark::State& state, std::vector<double> us) {
  if (us.empty()) return;
  std::sort(us.begin(), us.end());
  state.counters["samples"] = static_cast<double>(us.size());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
  state.counters["max_us"] = us.back();
  state.counters["jack_period_us"] = period_frames * 1e6 / rate_hz;
}

// The DAW simulator in one thread, the live mixer, its DAW link and the surface host (MCU + RtMidi
// ports) in another
// (as `routewise surface` runs it), the software MCU on virtual JACK ports driven from the
// benchmark's thread.
struct Rig {
  std::unique_ptr<DawSimulator> daw;
  std::unique_ptr<testing::LiveLink> mirror;
  std::unique_ptr<VirtualMidiDuplex> unit_port;
  std::unique_ptr<mcu::SurfaceSim> unit;
  std::unique_ptr<SurfaceHost> service;
  std::atomic<bool> stop{false};
  std::thread daw_thread, service_thread;
  std::atomic<double> service_cpu_s{0};
  std::function<void()> daw_work;  // runs in the DAW's thread between polls

  Rig() {
    daw = std::make_unique<DawSimulator>(testing::session_with(16), testing::Rig::sim_options(0));
    DawLinkOptions mo;
    mo.daw_port = daw->port();
    mirror = std::make_unique<testing::LiveLink>(testing::session_with(16), mo);
    unit_port = std::make_unique<VirtualMidiDuplex>(MidiApi::jack, "bench-mcu", "mcu-1");
    unit =
        std::make_unique<mcu::SurfaceSim>(std::vector<mcu::Model>{mcu::Model::mcu},
                                          [this](int, const MidiBytes& m) { unit_port->send(m); });
    McuHostOptions o;
    o.client_name = "bench-surface";
    o.unit_patterns = {"bench-mcu.*mcu-1 "};
    service = std::make_unique<SurfaceHost>(mirror->mixer(), 200ms);
    service->add(o);
  }
  void start() {
    daw_thread = std::thread([this] {
      while (!stop) {
        daw->poll(0ms);
        if (daw_work) daw_work();
        std::this_thread::sleep_for(20us);
      }
    });
    service_thread = std::thread([this] {
      const double cpu0 = thread_cpu_seconds();
      while (!stop) service->poll(20ms, mirror->link().socket_fd(), [this] { mirror->poll(0ms); });
      service_cpu_s = thread_cpu_seconds() - cpu0;
    });
  }
  bool wait_online() {
    const auto until = Clock::now() + 10s;
    while (Clock::now() < until) {
      unit_port->drain([&](const MidiBytes& m) { unit->receive(0, m); });
      if (unit->unit(0).online && unit->unit(0).cell(0, 0) == "Track1") return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }
  void pump() {
    unit_port->drain([&](const MidiBytes& m) { unit->receive(0, m); });
  }
  ~Rig() {
    stop = true;
    if (daw_thread.joinable()) daw_thread.join();
    if (service_thread.joinable()) service_thread.join();
  }
};

void midi_to_osc(benchmark::State& state) {
  if (!server().ready()) return state.SkipWithError("jackd did not start");
  Rig rig;
  std::vector<double> us;
  us.reserve(120000);
  rig.service->on_midi_handled([&](Clock::time_point handed_over) {
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - handed_over).count());
  });
  rig.start();
  if (!rig.wait_online()) return state.SkipWithError("the surface did not come online");
  for (int f = 0; f < 8; ++f) rig.unit->touch(0, f, true);
  std::this_thread::sleep_for(100ms);
  const int moves = 100000;
  for (auto _ : state) {
    const auto start = Clock::now();
    auto next = start;
    for (int i = 0; i < moves; ++i) {
      rig.unit->move(0, i % 8, 2000 + (i * 37) % 12000);
      if (i % 8 == 7) {  // eight faders moving at 1 kHz each, a hard-working engineer
        next += 1ms;
        std::this_thread::sleep_until(next);
      }
      if (i % 512 == 0) rig.pump();
    }
    std::this_thread::sleep_for(200ms);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  rig.stop = true;
  rig.daw_thread.join();
  rig.service_thread.join();
  us.erase(us.begin(), us.begin() + std::min<std::size_t>(us.size(), 16));  // the touches
  percentiles(state, us);
}
BENCHMARK(midi_to_osc)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void osc_to_motor(benchmark::State& state) {
  if (!server().ready()) return state.SkipWithError("jackd did not start");
  Rig rig;
  std::vector<double> us;
  us.reserve(110000);
  std::atomic<std::int64_t> sent_at{0};
  std::atomic<int> done{0};
  const int changes = 100000;
  int issued = 0, lost = 0;
  rig.service->on_midi_sent([&](int, const MidiBytes& m) {
    if ((m[0] & 0xF0) != 0xE0) return;
    const auto t0 = sent_at.exchange(0);
    if (t0 == 0) return;
    us.push_back((Clock::now().time_since_epoch().count() - t0) / 1000.0);
    ++done;
  });
  rig.daw_work = [&] {  // in the DAW's thread: the next change once the last reached the motor
    if (issued >= changes) return;
    if (issued != done.load() + lost) {
      const auto t0 = sent_at.load();
      if (t0 == 0 || Clock::now().time_since_epoch().count() - t0 < 100'000'000) return;
      if (sent_at.exchange(0) != 0) ++lost;  // 100 ms without a motor message: lost
      return;
    }
    const int ssid = 1 + issued % 8;
    const bool up = (issued / 8) % 2 == 0;
    sent_at = Clock::now().time_since_epoch().count();
    rig.daw->set_gain_db(ssid, up ? -10.0 - ssid : -30.0 - ssid);
    ++issued;
  };
  rig.start();
  if (!rig.wait_online()) return state.SkipWithError("the surface did not come online");
  for (auto _ : state) {
    const auto start = Clock::now();
    while (done + lost < changes && Clock::now() - start < 120s) {
      std::this_thread::sleep_for(20ms);
      rig.pump();
    }
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  rig.stop = true;
  rig.daw_thread.join();
  rig.service_thread.join();
  percentiles(state, us);
  state.counters["lost"] = lost;
}
BENCHMARK(osc_to_motor)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

// Nine faders (eight strips and the master) moved at 1 kHz each: every move reaches the DAW, the
// queue between RtMidi and the loop stays short, and the loop's CPU use is reported.
void nine_faders_1khz(benchmark::State& state) {
  if (!server().ready()) return state.SkipWithError("jackd did not start");
  const double seconds = std::getenv("ROUTEWISE_BENCH_QUICK") ? 5.0 : 60.0;
  Rig rig;
  rig.start();
  if (!rig.wait_online()) return state.SkipWithError("the surface did not come online");
  for (int f = 0; f <= 8; ++f) rig.unit->touch(0, f, true);
  std::this_thread::sleep_for(200ms);
  const auto daw_before = rig.daw->applied_changes();
  long sent = 0;
  for (auto _ : state) {
    const auto start = Clock::now();
    auto next = start;
    for (long tick = 0; tick < static_cast<long>(seconds * 1000); ++tick) {
      for (int f = 0; f <= 8; ++f) {
        rig.unit->move(0, f, 1000 + (tick * 7 + f * 1000) % 14000);
        ++sent;
      }
      next += 1ms;
      std::this_thread::sleep_until(next);
      if (tick % 50 == 0) rig.pump();
    }
    std::this_thread::sleep_for(500ms);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  rig.stop = true;
  rig.daw_thread.join();
  rig.service_thread.join();
  const auto reached = static_cast<double>(rig.daw->applied_changes() - daw_before);
  state.counters["moves_sent"] = static_cast<double>(sent);
  state.counters["reached_daw"] = reached;
  state.counters["lost"] = static_cast<double>(sent) - reached;
  state.counters["queue_high_water"] =
      static_cast<double>(rig.service->port(0, 0).queue_high_water());
  state.counters["loop_cpu_percent"] = 100.0 * rig.service_cpu_s / (seconds + 0.7);
}
BENCHMARK(nine_faders_1khz)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

// The floor: a bare loop draining a JACK MIDI port and sending one datagram per message, with
// the same probe (RtMidi's hand-over to sendto returned).
void raw_forward(benchmark::State& state) {
  if (!server().ready()) return state.SkipWithError("jackd did not start");
  VirtualMidiDuplex source(MidiApi::jack, "bench-floor-source", "raw");
  MidiDuplex port(MidiApi::jack, "bench-floor", "bench-floor-source.*raw ");
  for (int i = 0; i < 100 && port.check() != MidiDuplex::Change::opened; ++i)
    std::this_thread::sleep_for(20ms);
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(9);
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  const auto datagram = encode_osc(ardour::strip_control(1, ardour::Control::gain_db, -6.0));
  std::vector<double> us;
  us.reserve(110000);
  std::atomic<bool> stop{false};
  std::thread loop([&] {
    pollfd p{port.wake_fd(), POLLIN, 0};
    while (!stop) {
      ::poll(&p, 1, 20);
      port.drain([&](const MidiBytes&, Clock::time_point handed_over) {
        ::sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to),
                 sizeof to);
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - handed_over).count());
      });
    }
  });
  for (auto _ : state) {
    const auto start = Clock::now();
    auto next = start;
    for (int i = 0; i < 100000; ++i) {
      source.send(mcu::fader(i % 8, 2000 + (i * 37) % 12000));
      if (i % 8 == 7) {
        next += 1ms;
        std::this_thread::sleep_until(next);
      }
    }
    std::this_thread::sleep_for(200ms);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  stop = true;
  loop.join();
  ::close(fd);
  percentiles(state, us);
}
BENCHMARK(raw_forward)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace routewise

BENCHMARK_MAIN();
