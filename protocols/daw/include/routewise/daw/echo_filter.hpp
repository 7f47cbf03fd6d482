#pragma once
// Local changes on their way to the DAW, oldest first, so that the DAW's confirmation of each is
// known as ours: a fast fader move sends several values before the first echo comes back, and an
// echo of an older one must not pull the mixer back.

#include <chrono>
#include <deque>
#include <map>
#include <utility>

#include "routewise/live/mixer_control.hpp"

namespace routewise {

class EchoFilter {
 public:
  using Clock = std::chrono::steady_clock;
  // A value sent for one strip's control (strip 0: the master).
  void sent(int strip, MixerControl control, double value, Clock::time_point now = Clock::now());
  // The DAW reports `value`: true when it is the echo of one sent (it settles that one and every
  // older one; the DAW answers in order). Sends older than two seconds are forgotten.
  bool is_echo(int strip, MixerControl control, double value, Clock::time_point now = Clock::now());
  bool empty() const { return pending_.empty(); }

 private:
  std::map<std::pair<int, MixerControl>, std::deque<std::pair<double, Clock::time_point>>> pending_;
};

}  // namespace routewise
