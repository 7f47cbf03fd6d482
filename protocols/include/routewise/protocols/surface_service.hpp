#pragma once
// A running control surface: the mirror, the surface logic (a Mackie Control with extenders, or a
// generic controller with learned mappings) and its MIDI ports, served by one poll() loop (OSC
// socket and MIDI wake-ups together, so neither waits on the other), with hot-plug checks and the
// surface's periodic work.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "routewise/protocols/generic_surface.hpp"
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

struct GenericServiceOptions {
  MidiApi api = MidiApi::jack;
  std::string client_name = "routewise-controller";
  std::string port_pattern;
  std::vector<GenericMapping> mappings;
  mcu::FaderLaw law = mcu::FaderLaw::ardour;
  std::chrono::milliseconds hotplug_interval{500};
};

class SurfaceService {
 public:
  SurfaceService(Mirror& mirror, SurfaceServiceOptions options);
  SurfaceService(Mirror& mirror, GenericServiceOptions options);
  // Serves OSC and MIDI for up to `timeout`.
  void poll(std::chrono::milliseconds timeout);
  mcu::Surface& surface() { return *mcu_; }           // MCU services only
  GenericSurface& controller() { return *generic_; }  // generic services only
  const MidiDuplex& port(int unit) const { return *ports_.at(static_cast<std::size_t>(unit)); }
  // Units found, lost and online; readable sentences.
  void on_event(std::function<void(const std::string&)> listener);
  // Also told every mirror change (the GUI, a logger).
  void on_change(std::function<void(const MirrorChange&)> listener) {
    extra_listener_ = std::move(listener);
  }
  // Latency probes (benchmarks, a status bar): after each MIDI message is handled, with the time
  // RtMidi handed it over; after each MIDI message is handed to RtMidi.
  void on_midi_handled(std::function<void(std::chrono::steady_clock::time_point)> probe) {
    handled_probe_ = std::move(probe);
  }
  void on_midi_sent(std::function<void(int unit, const MidiBytes&)> probe) {
    sent_probe_ = std::move(probe);
  }

 private:
  void listen_to_mirror();
  void check_ports();
  Mirror& mirror_;
  std::chrono::milliseconds hotplug_interval_, tick_interval_{10};
  std::vector<std::unique_ptr<MidiDuplex>> ports_;
  std::unique_ptr<mcu::Surface> mcu_;
  std::unique_ptr<GenericSurface> generic_;
  std::function<void(const std::string&)> events_;
  std::function<void(const MirrorChange&)> extra_listener_;
  std::function<void(std::chrono::steady_clock::time_point)> handled_probe_;
  std::function<void(int, const MidiBytes&)> sent_probe_;
  std::chrono::steady_clock::time_point next_hotplug_{}, next_tick_{};
};

}  // namespace routewise
