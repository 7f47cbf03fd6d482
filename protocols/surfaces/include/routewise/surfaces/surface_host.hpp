#pragma once
// The running control surfaces: any number, of any kind (Mackie Control units with extenders,
// generic controllers with learned mappings), each with its MIDI ports, served by one poll() that
// waits on every port and on one more file descriptor of the caller's (the DAW link's socket), so
// neither side waits on the other. Hot-plug checks and each surface's periodic work happen here.
// [main-thread]: the live mixer's thread.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "routewise/live/live_mixer.hpp"
#include "routewise/surfaces/control_surface.hpp"
#include "routewise/surfaces/generic_surface.hpp"
#include "routewise/surfaces/mcu_surface.hpp"
#include "routewise/surfaces/midi_port.hpp"

namespace routewise {

struct McuHostOptions {
  MidiApi api = MidiApi::jack;
  std::string client_name = "routewise-surface";
  std::vector<std::string> unit_patterns;  // the main unit's port pattern, then extenders'
  mcu::SurfaceOptions surface;             // units: filled from the patterns when left default
};

struct GenericHostOptions {
  MidiApi api = MidiApi::jack;
  std::string client_name = "routewise-controller";
  std::string port_pattern;
  std::vector<GenericMapping> mappings;
  FaderLaw law = FaderLaw::ardour;
};

class SurfaceHost {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SurfaceHost(LiveMixer& mixer,
                       std::chrono::milliseconds hotplug_interval = std::chrono::milliseconds(500));
  SurfaceHost(const SurfaceHost&) = delete;
  SurfaceHost& operator=(const SurfaceHost&) = delete;

  // A surface on MIDI ports found by name pattern (re-opened when it comes back). Throws
  // MidiError when the MIDI API cannot be opened or no pattern is given.
  mcu::Surface& add(McuHostOptions options);
  GenericSurface& add(GenericHostOptions options);
  std::size_t size() const { return surfaces_.size(); }
  void clear() { surfaces_.clear(); }  // every surface stopped, its ports closed
  ControlSurface& surface(std::size_t index) { return *surfaces_.at(index).surface; }
  const MidiDuplex& port(std::size_t surface, int unit) const;
  // The first surface of that kind, or nothing.
  mcu::Surface* mcu();
  GenericSurface* generic();

  // Every surface shows these (overload LEDs, LCD markers).
  void set_overloads(const std::set<std::string>& node_ids);
  void set_markers(const std::map<std::string, std::string>& marker_by_node);

  // Serves MIDI for up to `timeout`, waking also when `other_fd` is readable; `serve_other` runs
  // after each wake (after the MIDI, which is what must not wait: a hand on a fader).
  void poll(std::chrono::milliseconds timeout, int other_fd = -1,
            const std::function<void()>& serve_other = {});

  // Units found, lost and online, as readable sentences.
  void on_event(std::function<void(const std::string&)> listener);
  // Latency probes (benchmarks, a status bar): after each MIDI message is handled, with the time
  // RtMidi handed it over; after each MIDI message is handed to RtMidi.
  void on_midi_handled(std::function<void(Clock::time_point)> probe) {
    handled_probe_ = std::move(probe);
  }
  void on_midi_sent(std::function<void(int unit, const MidiBytes&)> probe) {
    sent_probe_ = std::move(probe);
  }

 private:
  struct Hosted {
    std::vector<std::unique_ptr<MidiDuplex>> ports;
    std::unique_ptr<ControlSurface> surface;  // after its ports: it goes first
    Clock::time_point next_tick{};
  };
  void check_ports();
  void say(const std::string& text) const {
    if (events_) events_(text);
  }

  LiveMixer& mixer_;
  std::chrono::milliseconds hotplug_interval_;
  std::vector<Hosted> surfaces_;
  std::function<void(const std::string&)> events_;
  std::function<void(Clock::time_point)> handled_probe_;
  std::function<void(int, const MidiBytes&)> sent_probe_;
  Clock::time_point next_hotplug_{};
};

}  // namespace routewise
