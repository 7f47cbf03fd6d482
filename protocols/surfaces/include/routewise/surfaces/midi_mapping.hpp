#pragma once
// Generic MIDI controllers: which control a message moves (7-bit CC, 14-bit CC pairs, NRPN, note,
// pitch bend), learning a control from a few moves, and soft takeover for controls without a
// motor so a parameter never jumps to where a knob happens to be.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "routewise/surfaces/midi_message.hpp"

namespace routewise {

enum class MidiControlKind { cc, cc14, nrpn, note, pitch_bend };

struct MidiControl {
  MidiControlKind kind = MidiControlKind::cc;
  int channel = 1;  // 1..16
  int number = 0;   // CC (cc14: the MSB controller, 0..31), NRPN parameter, note; 0 for pitch bend
  bool operator==(const MidiControl&) const = default;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  auto operator<=>(const MidiControl&) const = default;
};

// "cc:1:7", "cc14:1:7", "nrpn:1:1234", "note:10:36", "pb:1"
std::string to_string(const MidiControl& c);
// Nothing for text that is not one of the forms above (or is out of range).
std::optional<MidiControl> parse_midi_control(std::string_view text);

struct ControlEvent {
  MidiControl control;
  double value = 0;  // 0..1; notes: 1 pressed, 0 released
};

// Turns messages into control events. Controllers named as 14-bit pairs combine their MSB
// (CC n) and LSB (CC n+32); NRPN data entry (CC 99/98 select, 6/38 data) is always NRPN.
class MidiControlDecoder {
 public:
  explicit MidiControlDecoder(std::set<MidiControl> cc14_pairs = {})
      : cc14_(std::move(cc14_pairs)) {}
  std::vector<ControlEvent> feed(const MidiBytes& message);

 private:
  struct Nrpn {
    int param_msb = -1, param_lsb = -1, data_msb = 0;
  };
  std::set<MidiControl> cc14_;
  std::map<std::pair<int, int>, int> msb_;  // (channel, cc) -> last MSB of a 14-bit pair
  std::map<int, Nrpn> nrpn_;                // by channel
};

// Watches what the user moves and names the control: a note at once; a CC, NRPN or pitch bend
// after `moves` messages (a fader sends many); a CC n < 32 seen with CC n+32 is a 14-bit pair.
class MidiLearn {
 public:
  explicit MidiLearn(int moves = 3) : moves_(moves) {}
  void feed(const MidiBytes& message);
  std::optional<MidiControl> learned() const { return learned_; }

 private:
  int moves_;
  std::map<MidiControl, int> counts_;
  std::set<std::pair<int, int>> ccs_seen_;
  std::optional<MidiControl> learned_;
  MidiControlDecoder decoder_;
};

// Soft takeover: a control without a motor takes over only once it meets the parameter's value
// (comes within `catch_distance` or crosses it); a change made elsewhere releases it again.
class Pickup {
 public:
  explicit Pickup(double catch_distance = 0.02) : catch_(catch_distance) {}
  // True when this control value may be applied; `current` is the parameter's value, 0..1.
  bool accept(double control, double current);
  void release() {
    engaged_ = false;
    last_.reset();
  }
  bool engaged() const { return engaged_; }

 private:
  double catch_;
  bool engaged_ = false;
  std::optional<double> last_;
};

}  // namespace routewise
