#pragma once
// What a DAW's control surface protocol says about its mixer, independent of the dialect.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "routewise/live/mixer_control.hpp"

namespace routewise {

struct StripEvent {
  int ssid;  // 1-based strip number as the surface addresses it
  MixerControl control;
  double value = 0;  // dB, 0/1, or pan -1 (left) .. +1 (right)
  std::string text;  // names
};
struct MasterEvent {
  MixerControl control;
  double value = 0;
  std::string text;
};
struct ListEntry {   // one strip of a strip list
  std::string type;  // AT MT B MB V MA MO FB (Ardour's codes)
  std::string name;
  int inputs = 0, outputs = 0;
  bool mute = false, solo = false;
  int ssid = 0;
};
struct ListEnd {
  std::int64_t sample_rate = 0;
};
struct Heartbeat {
  double value = 0;
};
struct StripsChanged {};  // the DAW says strips were added, removed or moved
struct Timecode {         // the playhead as the DAW shows it ("01:02:03:04")
  std::string text;
};
struct TransportEvent {  // the DAW's transport state: play/stop/record lit or not
  TransportControl control;
  bool on = false;
};
struct SendState {
  int target_ssid = 0;  // 0 when the target is not among the surface's strips
  std::string target_name;
  int index = 0;  // 1-based among the strip's sends, as the DAW addresses it
  double level_db = 0;
  bool active = true;
};
struct SendList {  // every aux send of one strip
  int ssid = 0;
  std::vector<SendState> sends;
};

using MixerEvent = std::variant<StripEvent, MasterEvent, ListEntry, ListEnd, Heartbeat,
                                StripsChanged, SendList, Timecode, TransportEvent>;

}  // namespace routewise
