#include "routewise/audio/pan_law.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace routewise {

StereoGains pan_mono(PanLaw law, double pan) {
  const double p = std::clamp(pan, -1.0, 1.0);
  switch (law) {
    case PanLaw::constant_power_3db: {
      const double angle = (p + 1.0) * std::numbers::pi / 4.0;
      return {static_cast<float>(std::cos(angle)), static_cast<float>(std::sin(angle))};
    }
    case PanLaw::linear_6db:
      return {static_cast<float>((1.0 - p) / 2.0), static_cast<float>((1.0 + p) / 2.0)};
    case PanLaw::balance_0db:
      return {static_cast<float>(std::min(1.0, 1.0 - p)),
              static_cast<float>(std::min(1.0, 1.0 + p))};
  }
  return {};
}

StereoGains pan_stereo(PanLaw law, double pan) {
  const StereoGains centre = pan_mono(law, 0.0);
  const StereoGains g = pan_mono(law, pan);
  return {std::min(1.0f, g.left / centre.left), std::min(1.0f, g.right / centre.right)};
}

std::optional<PanLaw> pan_law_from_string(std::string_view text) {
  if (text == "-3" || text == "constant-power") return PanLaw::constant_power_3db;
  if (text == "-6" || text == "linear") return PanLaw::linear_6db;
  if (text == "0" || text == "balance") return PanLaw::balance_0db;
  return std::nullopt;
}

std::string_view to_string(PanLaw law) {
  switch (law) {
    case PanLaw::constant_power_3db:
      return "-3";
    case PanLaw::linear_6db:
      return "-6";
    case PanLaw::balance_0db:
      return "0";
  }
  return "?";
}

}  // namespace routewise
