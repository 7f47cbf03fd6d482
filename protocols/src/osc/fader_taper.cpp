#include "routewise/protocols/fader_taper.hpp"

#include <algorithm>
#include <cmath>

#include "routewise/core/units.hpp"

namespace routewise {

double ardour_position_to_db(double position_0_1) {
  const double pos = std::clamp(position_0_1, 0.0, 1.0);
  if (pos == 0.0) return minus_inf_db;
  const double gain = std::pow(2.0, (std::pow(pos, 1.0 / 8.0) * 198.0 - 192.0) / 6.0);
  return amplitude_to_db(gain);
}

double ardour_db_to_position(double gain_db) {
  const double gain = db_to_amplitude(std::min(gain_db, amplitude_to_db(2.0)));
  if (gain <= 0.0) return 0.0;
  const double base = (6.0 * std::log2(gain) + 192.0) / 198.0;
  return base <= 0.0 ? 0.0 : std::min(1.0, std::pow(base, 8.0));
}

double ardour_trim_position_to_db(double position_0_1) {
  return std::clamp(position_0_1, 0.0, 1.0) * 40.0 - 20.0;
}

double ardour_trim_db_to_position(double trim_db) {
  return (std::clamp(trim_db, -20.0, 20.0) + 20.0) / 40.0;
}

}  // namespace routewise
