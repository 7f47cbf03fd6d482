#pragma once
// MIDI bytes as they travel: one message is one status byte and its data, or a whole SysEx
// (F0 ... F7). A stream parser turns raw bytes into messages, resolving running status.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace routewise {

using MidiBytes = std::vector<std::uint8_t>;

struct MidiParserStats {
  std::uint64_t messages = 0;
  std::uint64_t stray_data_bytes = 0;  // data with no status to run on
  std::uint64_t truncated = 0;         // a message cut short by a new status byte
  std::uint64_t oversized_sysex = 0;   // longer than the limit: dropped whole
};

// Feeds raw bytes (from a serial port, a file, a fuzzer) and hands complete messages out.
// Real-time bytes (F8..FF) are delivered on their own, even inside another message.
class MidiParser {
 public:
  explicit MidiParser(std::size_t max_sysex_bytes = 4096) : max_sysex_bytes_(max_sysex_bytes) {}
  void feed(const std::uint8_t* data, std::size_t size,
            const std::function<void(const MidiBytes&)>& on_message);
  const MidiParserStats& stats() const { return stats_; }

 private:
  std::size_t max_sysex_bytes_;
  MidiBytes current_;
  std::uint8_t running_status_ = 0;
  bool in_sysex_ = false, sysex_overflow_ = false;
  MidiParserStats stats_;
};

// Data bytes a channel or system-common status takes (SysEx: -1, unknown: 0).
int midi_data_length(std::uint8_t status);

}  // namespace routewise
