#pragma once
// What a fader or V-Pot controls under the current assignment and flip, and how its ring shows it:
// private to the MCU surface's files.

#include "routewise/surfaces/mcu_protocol.hpp"
#include "routewise/surfaces/mcu_surface.hpp"

namespace routewise::mcu {

enum class Param { gain, pan, send, trim };

inline Param param_of(Assign a) {
  switch (a) {
    case Assign::pan:
      return Param::pan;
    case Assign::send:
      return Param::send;
    case Assign::trim:
      return Param::trim;
  }
  return Param::pan;
}

// What a fader (or, with `fader_control` false, a V-Pot) controls: gain, or the assignment's
// parameter; flip swaps the two.
inline Param controlled(bool fader_control, bool flip, Assign assign) {
  return fader_control != flip ? Param::gain : param_of(assign);
}

inline RingMode ring_mode(Param p) {
  switch (p) {
    case Param::pan:
      return RingMode::dot;
    case Param::trim:
      return RingMode::boost_cut;
    default:
      return RingMode::wrap;
  }
}

}  // namespace routewise::mcu
