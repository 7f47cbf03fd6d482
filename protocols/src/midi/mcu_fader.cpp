#include "routewise/protocols/mcu_fader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "routewise/core/units.hpp"
#include "routewise/protocols/fader_taper.hpp"
#include "routewise/protocols/mcu_protocol.hpp"

namespace routewise::mcu {
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

bool same(int a, int b) {
  return std::abs(a - b) <= fader_tolerance;
}

}  // namespace

int fader_value_from_db(double gain_db, FaderLaw law) {
  const double position =
      law == FaderLaw::ardour ? ardour_db_to_position(gain_db) : reaper_position(gain_db);
  return static_cast<int>(std::lround(std::clamp(position, 0.0, 1.0) * fader_max));
}

double fader_db_from_value(int value_14bit, FaderLaw law) {
  const double position = std::clamp(value_14bit, 0, fader_max) / static_cast<double>(fader_max);
  return law == FaderLaw::ardour ? ardour_position_to_db(position) : reaper_db(position);
}

std::optional<int> MotorFader::from_daw(int value) {
  daw_ = value;
  if (touched_) return std::nullopt;
  if (shown_ && same(*shown_, value)) return std::nullopt;
  shown_ = value;
  return value;
}

MotorFader::Move MotorFader::moved(int value) {
  hand_ = value;
  if (touched_) return {value, std::nullopt};
  shown_ = value;  // untouched: the unit only stays there if told so
  return {value, value};
}

std::optional<int> MotorFader::release() {
  touched_ = false;
  const std::optional<int> left = std::exchange(hand_, std::nullopt);
  if (left) {
    shown_ = left;
    return left;
  }
  // Touched but not moved: the DAW may have changed meanwhile.
  if (daw_ && (!shown_ || !same(*shown_, *daw_))) {
    shown_ = daw_;
    return daw_;
  }
  return std::nullopt;
}

}  // namespace routewise::mcu
