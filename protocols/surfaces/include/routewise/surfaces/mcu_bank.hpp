#pragma once
// Which session strips the surface's physical strips show: a window over the DAW's strips.

#include <algorithm>

namespace routewise::mcu {

// The first strip shown after moving the window by `delta` strips (bank: +-8, channel: +-1),
// kept inside the session; a session smaller than the surface shows from its first strip.
inline int shifted_bank(int offset, int delta, int session_strips, int surface_strips) {
  const int last = std::max(0, session_strips - surface_strips);
  return std::clamp(offset + delta, 0, last);
}

}  // namespace routewise::mcu
