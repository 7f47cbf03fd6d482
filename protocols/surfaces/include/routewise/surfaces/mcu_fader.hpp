#pragma once
// One motor fader of an MCU unit: its 14-bit value <-> dB under the DAW's fader law, and the touch
// rule that keeps the motor and the user's hand from fighting.

#include <optional>

#include "routewise/model/fader_law.hpp"

namespace routewise::mcu {

using routewise::FaderLaw;

int fader_value_from_db(double gain_db, FaderLaw law);      // 0..16383
double fader_db_from_value(int value_14bit, FaderLaw law);  // 0 -> -inf

// The MCU's faders go to the last position they were sent once released, and their motors are
// cut while touched. So: nothing is sent to a touched fader; on release it is sent where the hand
// left it; afterwards the DAW's value is sent only when it differs from what the motor shows.
class MotorFader {
 public:
  // A value the DAW holds now. The motor command to send, if any.
  std::optional<int> from_daw(int value);
  void touch() { touched_ = true; }
  // The hand moved it: the value for the DAW. A fader moved without a touch (a touchless unit)
  // also needs its position echoed so it stays: then `echo` is set.
  struct Move {
    int to_daw;
    std::optional<int> echo;
  };
  Move moved(int value);
  // Released: the motor command that holds it where it was left (then the DAW's, if different).
  std::optional<int> release();
  // A unit that came back online knows nothing: the next value is always sent.
  void forget() { shown_.reset(); }
  bool touched() const { return touched_; }
  std::optional<int> shown() const { return shown_; }

 private:
  bool touched_ = false;
  std::optional<int> shown_;  // what the motor was last told (or the hand left it at)
  std::optional<int> daw_;    // the DAW's latest value, held back while touched
  std::optional<int> hand_;   // where the hand left it during this touch
};

// Positions within this many 14-bit steps are the same position: the unit resolves 10 bits, and
// a value's round trip through the DAW's dB and back moves it by a step or two.
constexpr int fader_tolerance = 8;

}  // namespace routewise::mcu
