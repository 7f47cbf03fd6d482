#pragma once
// The DAW simulator, the live mixer and its DAW link, the MCU coordinator and a software MCU (with
// extenders), the last two joined by in-memory queues: the surface logic over real OSC without MIDI
// ports.

#include <deque>
#include <utility>

#include "mirror_rig.hpp"
#include "routewise/surfaces/mcu_surface.hpp"
#include "routewise/surfaces/surface_sim.hpp"

namespace routewise::testing {

struct SurfaceRig {
  Rig osc;
  std::deque<std::pair<int, MidiBytes>> to_unit, to_host;
  std::vector<std::pair<int, MidiBytes>> sent_to_unit;  // everything, for byte checks
  bool lose_to_unit = false;  // while set, what the surface sends is lost on the way
  mcu::Surface surface;
  mcu::SurfaceSim unit;

  // `repaint`: the surface's periodic repaint, off (an hour) unless a test is about it, so that
  // byte-exact checks see only what a change sends.
  explicit SurfaceRig(int tracks, std::vector<mcu::Model> units = {mcu::Model::mcu},
                      bool meters_move = false,
                      std::chrono::milliseconds repaint = std::chrono::hours(1))
      : osc(tracks, 3000ms, meters_move),
        surface(
            osc.mirror->mixer(),
            [this](int u, const MidiBytes& m) {
              if (lose_to_unit) return;
              to_unit.emplace_back(u, m);
              sent_to_unit.emplace_back(u, m);
            },
            options(units, repaint)),
        unit(units, [this](int u, const MidiBytes& m) { to_host.emplace_back(u, m); }) {}
  static mcu::SurfaceOptions options(std::vector<mcu::Model> units,
                                     std::chrono::milliseconds repaint) {
    mcu::SurfaceOptions o;
    o.units = std::move(units);
    o.repaint_interval = repaint;
    return o;
  }
  void pump() {
    surface.tick();  // first, so what it sends is delivered below
    while (!to_unit.empty() || !to_host.empty()) {
      while (!to_unit.empty()) {
        const auto [u, m] = to_unit.front();
        to_unit.pop_front();
        unit.receive(u, m);
      }
      while (!to_host.empty()) {
        const auto [u, m] = to_host.front();
        to_host.pop_front();
        surface.on_midi(u, m);
      }
    }
  }
  template <typename Done>
  std::chrono::milliseconds run_until(Done done, std::chrono::milliseconds limit = 3000ms) {
    const auto start = Clock::now();
    while (!done() && Clock::now() - start < limit) {
      osc.sim->poll(1ms);
      osc.mirror->poll(1ms);
      pump();
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  }
  void settle(std::chrono::milliseconds how_long = 150ms) {
    run_until([] { return false; }, how_long);
  }
  // Synced mirror, every unit online.
  void start() {
    run_until([&] { return osc.mirror->complete(); });
    for (std::size_t u = 0; u < unit.units(); ++u) surface.connected(static_cast<int>(u));
    run_until([&] {
      for (std::size_t u = 0; u < unit.units(); ++u)
        if (!surface.online(static_cast<int>(u))) return false;
      return true;
    });
    settle();
  }
};

}  // namespace routewise::testing
