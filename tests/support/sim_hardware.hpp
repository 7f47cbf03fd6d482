#pragma once
// A software Mackie Control (a main unit and extenders) on JACK MIDI ports of its own, "mcu-1
// in/out", "mcu-2 in/out", ...: what a surface service finds by port name, as it would hardware.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "routewise/surfaces/midi_port.hpp"
#include "routewise/surfaces/surface_sim.hpp"

namespace routewise::testing {

struct SimHardware {
  std::vector<std::unique_ptr<VirtualMidiDuplex>> ports;
  mcu::SurfaceSim sim;
  std::vector<std::pair<int, MidiBytes>> received;  // every message, as it came off the port
  explicit SimHardware(std::vector<mcu::Model> models)
      : sim(models,
            [this](int u, const MidiBytes& m) { ports[static_cast<std::size_t>(u)]->send(m); }) {
    for (std::size_t i = 0; i < models.size(); ++i)
      ports.push_back(std::make_unique<VirtualMidiDuplex>(MidiApi::jack, "rw-surface-sim",
                                                          "mcu-" + std::to_string(i + 1)));
  }
  void pump() {
    for (std::size_t u = 0; u < ports.size(); ++u)
      ports[u]->drain([&](const MidiBytes& m) {
        received.emplace_back(static_cast<int>(u), m);
        sim.receive(static_cast<int>(u), m);
      });
  }
};

}  // namespace routewise::testing
