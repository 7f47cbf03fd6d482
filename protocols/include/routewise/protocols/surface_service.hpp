#pragma once
// A running control surface: the mirror, the MCU coordinator and the units' MIDI ports served by
// one poll() loop (OSC socket and MIDI wake-ups together, so neither waits on the other), with
// hot-plug checks and the surface's periodic work.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "routewise/protocols/mcu_surface.hpp"
#include "routewise/protocols/midi_port.hpp"
#include "routewise/protocols/mirror.hpp"

namespace routewise {

struct SurfaceServiceOptions {
  MidiApi api = MidiApi::jack;
  std::string client_name = "routewise-surface";
  std::vector<std::string> unit_patterns;  // the main unit's port pattern, then extenders'
  mcu::SurfaceOptions surface;             // units: filled from the patterns when left default
  std::chrono::milliseconds hotplug_interval{500};
  std::chrono::milliseconds tick_interval{10};  // LCD refresh, as Ardour's MCU surface
};

class SurfaceService {
 public:
  SurfaceService(Mirror& mirror, SurfaceServiceOptions options);
  // Serves OSC and MIDI for up to `timeout`.
  void poll(std::chrono::milliseconds timeout);
  mcu::Surface& surface() { return *surface_; }
  const MidiDuplex& port(int unit) const { return *ports_.at(static_cast<std::size_t>(unit)); }
  // Units found, lost and online; readable sentences.
  void on_event(std::function<void(const std::string&)> listener);
  // Also told every mirror change (the GUI, a logger).
  void on_change(std::function<void(const MirrorChange&)> listener) {
    extra_listener_ = std::move(listener);
  }

 private:
  void check_ports();
  Mirror& mirror_;
  SurfaceServiceOptions options_;
  std::vector<std::unique_ptr<MidiDuplex>> ports_;
  std::unique_ptr<mcu::Surface> surface_;
  std::function<void(const std::string&)> events_;
  std::function<void(const MirrorChange&)> extra_listener_;
  std::chrono::steady_clock::time_point next_hotplug_{}, next_tick_{};
};

}  // namespace routewise
