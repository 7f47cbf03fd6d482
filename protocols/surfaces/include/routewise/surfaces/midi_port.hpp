#pragma once
// MIDI ports through RtMidi (JACK or ALSA), RAII: a surface's port pair found by a name pattern
// and re-opened when it comes back after vanishing; virtual ports for the software surface.
// Incoming messages are queued from RtMidi's thread; wake_fd() turns readable when some wait, so
// one poll() loop can serve OSC and MIDI together.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/model/error.hpp"
#include "routewise/surfaces/midi_message.hpp"

namespace routewise {

enum class MidiApi { jack, alsa };
std::optional<MidiApi> midi_api_named(std::string_view name);  // "jack", "alsa"
std::string_view to_string(MidiApi api);

struct MidiPortList {
  std::vector<std::string> sources;  // ports that send MIDI (a surface's output)
  std::vector<std::string> sinks;    // ports that take MIDI (a surface's input)
  std::string error;                 // why the list is empty (no JACK server, no ALSA sequencer)
};
MidiPortList list_midi_ports(MidiApi api);

class MidiInbox;  // the queue between RtMidi's thread and the owner's

// A surface's port pair: the first source and the first sink whose names match `pattern`
// (ECMAScript regex, case-insensitive, searched anywhere in the name), ports of our own client
// excepted; in name order, `skip` matches are passed over (the second unit of a name, say).
// A controller that takes no MIDI (no feedback) may have no sink: `needs_sink` false.
class MidiDuplex {
 public:
  MidiDuplex(MidiApi api, std::string client_name, std::string pattern, int skip = 0,
             bool needs_sink = true);
  ~MidiDuplex();
  MidiDuplex(const MidiDuplex&) = delete;
  MidiDuplex& operator=(const MidiDuplex&) = delete;

  enum class Change { none, opened, closed };
  // Opens the ports once they exist, closes them when they vanish: call every second or so.
  Change check();
  bool is_open() const { return open_; }
  const std::string& source_name() const { return source_name_; }
  const std::string& sink_name() const { return sink_name_; }
  const std::string& pattern() const { return pattern_; }
  const std::string& last_error() const { return last_error_; }

  bool send(const MidiBytes& message);
  // Hands out every message received since the last call, in order, with the time RtMidi handed
  // it over.
  using Handler =
      std::function<void(const MidiBytes&, std::chrono::steady_clock::time_point handed_over)>;
  void drain(const Handler& handler);
  int wake_fd() const;
  std::size_t queue_high_water() const;

 private:
  struct Rt;
  void close();
  MidiApi api_;
  std::string client_name_, pattern_;
  int skip_;
  bool needs_sink_;
  // In this order: RtMidi (whose thread writes into the inbox) is gone before the inbox is.
  std::unique_ptr<MidiInbox> inbox_;
  std::unique_ptr<Rt> rt_;
  bool open_ = false;
  std::string source_name_, sink_name_, last_error_;
};

// Ports of our own that others connect to: "<base> out" sends, "<base> in" receives.
class VirtualMidiDuplex {
 public:
  VirtualMidiDuplex(MidiApi api, const std::string& client_name, const std::string& port_base);
  ~VirtualMidiDuplex();
  VirtualMidiDuplex(const VirtualMidiDuplex&) = delete;
  VirtualMidiDuplex& operator=(const VirtualMidiDuplex&) = delete;

  bool send(const MidiBytes& message);
  void drain(const std::function<void(const MidiBytes&)>& handler);
  int wake_fd() const;

 private:
  struct Rt;
  // In this order: RtMidi (whose thread writes into the inbox) is gone before the inbox is.
  std::unique_ptr<MidiInbox> inbox_;
  std::unique_ptr<Rt> rt_;
};

class MidiError : public Error {
 public:
  using Error::Error;
};

}  // namespace routewise
