#include "routewise/surfaces/mcu_fader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "routewise/surfaces/mcu_protocol.hpp"

namespace routewise::mcu {
namespace {

bool same(int a, int b) {
  return std::abs(a - b) <= fader_tolerance;
}

}  // namespace

int fader_value_from_db(double gain_db, FaderLaw law) {
  return static_cast<int>(std::lround(fader_position_from_db(gain_db, law) * fader_max));
}

double fader_db_from_value(int value_14bit, FaderLaw law) {
  return fader_db_from_position(
      std::clamp(value_14bit, 0, fader_max) / static_cast<double>(fader_max), law);
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
