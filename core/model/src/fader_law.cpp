#include "routewise/model/fader_law.hpp"

#include <algorithm>
#include <cmath>

#include "routewise/model/units.hpp"

namespace routewise {
namespace {

// REAPER's faders top out at +12 dB; the curve shape is Ardour's with that top.
constexpr double reaper_max_db = 12.0;

double reaper_position(double gain_db) {
  if (std::isinf(gain_db) && gain_db < 0) return 0.0;
  // Shift so that +12 dB lands where Ardour's +6.02 dB does.
  return ardour_db_to_position(std::min(gain_db, reaper_max_db) -
                               (reaper_max_db - amplitude_to_db(2.0)));
}

double reaper_db(double position) {
  const double db = ardour_position_to_db(position);
  return std::isinf(db) ? db : db + (reaper_max_db - amplitude_to_db(2.0));
}

}  // namespace

double clamp_fader_db(double gain_db) {
  return gain_db > max_fader_db ? max_fader_db : gain_db;
}

double fader_position_from_db(double gain_db, FaderLaw law) {
  return std::clamp(
      law == FaderLaw::ardour ? ardour_db_to_position(gain_db) : reaper_position(gain_db), 0.0,
      1.0);
}

double fader_db_from_position(double position_0_1, FaderLaw law) {
  const double position = std::clamp(position_0_1, 0.0, 1.0);
  return law == FaderLaw::ardour ? ardour_position_to_db(position) : reaper_db(position);
}

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
  return std::clamp(position_0_1, 0.0, 1.0) * 2 * ardour_trim_range_db - ardour_trim_range_db;
}

double ardour_trim_db_to_position(double trim_db) {
  return (std::clamp(trim_db, -ardour_trim_range_db, ardour_trim_range_db) + ardour_trim_range_db) /
         (2 * ardour_trim_range_db);
}

}  // namespace routewise
