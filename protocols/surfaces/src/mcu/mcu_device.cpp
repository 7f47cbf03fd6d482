#include "routewise/surfaces/mcu_device.hpp"

#include <array>

namespace routewise::mcu {
namespace {

constexpr std::array<DeviceTraits, 4> devices{{
    {Model::mcu, "Mackie Control", false, false},
    {Model::mcu_xt, "Mackie Control XT", true, false},
    {Model::logic, "Logic Control", false, true},
    {Model::logic_xt, "Logic Control XT", true, true},
}};

}  // namespace

const DeviceTraits& device_traits(Model model) {
  for (const DeviceTraits& d : devices)
    if (d.model == model) return d;
  return devices.front();
}

}  // namespace routewise::mcu
