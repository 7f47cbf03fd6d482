#pragma once
// One control surface as the surface host drives it, whatever its kind (a Mackie Control with
// extenders, a generic MIDI controller): MIDI in by port, ports opening and closing, periodic work,
// and the findings' marks to show. A surface listens to the live mixer for itself and writes into
// it as its own origin; MIDI leaves through the sink it was made with. [main-thread]

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "routewise/surfaces/midi_message.hpp"

namespace routewise {

class ControlSurface {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~ControlSurface() = default;

  // Port `port` (a unit of the surface) was (re)opened, or lost.
  virtual void connected(int port) = 0;
  virtual void disconnected(int port) = 0;
  virtual void on_midi(int port, const MidiBytes& message, Clock::time_point now) = 0;
  // Meters, displays, handshakes and repaints; called every tick_interval().
  virtual void tick(Clock::time_point /*now*/) {}
  virtual std::chrono::milliseconds tick_interval() const { return std::chrono::milliseconds(10); }
  // Nodes a finding flags as overloaded (a lit overload LED), and short markers ("!FB") by node.
  virtual void set_overloads(std::set<std::string> /*node_ids*/) {}
  virtual void set_markers(std::map<std::string, std::string> /*marker_by_node*/) {}
  // Readable events: units going online or offline, handshake errors.
  virtual void on_event(std::function<void(const std::string&)> /*listener*/) {}

 protected:
  ControlSurface() = default;
  ControlSurface(const ControlSurface&) = default;
  ControlSurface& operator=(const ControlSurface&) = default;
};

}  // namespace routewise
