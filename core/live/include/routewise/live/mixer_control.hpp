#pragma once
// What a mixer strip has that can change while the DAW runs, and the transport's controls: the
// vocabulary the DAW side and the surface side share.

#include <cmath>

namespace routewise {

enum class MixerControl {
  name,
  gain_db,
  fader_position,
  trim_db,
  mute,
  solo,
  polarity,
  pan,
  meter_db,
  select,
  recenable,
  send_level
};

enum class TransportControl { play, stop, record, rewind, fast_forward };

// Mute, solo and polarity are on or off: any reading is held as 0 or 1.
inline bool is_switch(MixerControl c) {
  return c == MixerControl::mute || c == MixerControl::solo || c == MixerControl::polarity;
}
inline double held_value(MixerControl c, double value) {
  return is_switch(c) ? (value > 0.5 ? 1.0 : 0.0) : value;
}

// Two readings of one control within what a round trip over the wire moves a value (a DAW's
// float, its dB conversion): the same value. DAWs repeat unchanged state, and echo local changes.
inline bool same_value(MixerControl c, double a, double b) {
  if (std::isinf(a) || std::isinf(b)) return a == b;
  const bool decibels =
      c == MixerControl::gain_db || c == MixerControl::trim_db || c == MixerControl::send_level;
  return std::fabs(a - b) < (decibels ? 0.01 : 1e-3);
}

}  // namespace routewise
