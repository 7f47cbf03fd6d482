#pragma once
// What differs between the Mackie-protocol units, one row per model byte: the coordinator asks
// the row instead of comparing models (as Ardour's mackie/device_info does).

#include <string_view>

#include "routewise/surfaces/mcu_protocol.hpp"

namespace routewise::mcu {

struct DeviceTraits {
  Model model;
  std::string_view name;
  bool extender;            // eight strips only: no master fader, transport or displays
  bool challenge_response;  // the host must answer a challenge before the unit goes online
};

// The row for a model byte (an unknown byte reads as a Mackie Control).
const DeviceTraits& device_traits(Model model);

}  // namespace routewise::mcu
