#include "routewise/surfaces/midi_message.hpp"

namespace routewise {

int midi_data_length(std::uint8_t status) {
  switch (status & 0xF0) {
    case 0x80:
    case 0x90:
    case 0xA0:
    case 0xB0:
    case 0xE0:
      return 2;
    case 0xC0:
    case 0xD0:
      return 1;
    default:
      break;
  }
  switch (status) {
    case 0xF0:
      return -1;
    case 0xF1:
    case 0xF3:
      return 1;
    case 0xF2:
      return 2;
    default:
      return 0;  // F6 tune request, F7, real-time
  }
}

void MidiParser::feed(const std::uint8_t* data, std::size_t size,
                      const std::function<void(const MidiBytes&)>& on_message) {
  const auto emit = [&](const MidiBytes& m) {
    ++stats_.messages;
    on_message(m);
  };
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint8_t b = data[i];
    if (b >= 0xF8) {  // real-time: may interrupt anything, changes nothing
      emit(MidiBytes{b});
      continue;
    }
    if (in_sysex_) {
      if (b == 0xF7) {
        in_sysex_ = false;
        if (sysex_overflow_) {
          ++stats_.oversized_sysex;
        } else {
          current_.push_back(b);
          emit(current_);
        }
        current_.clear();
        continue;
      }
      if (b & 0x80) {  // any other status ends the SysEx unterminated
        in_sysex_ = false;
        ++stats_.truncated;
        current_.clear();
      } else {
        if (current_.size() >= max_sysex_bytes_) sysex_overflow_ = true;
        if (!sysex_overflow_) current_.push_back(b);
        continue;
      }
    }
    if (b & 0x80) {
      if (!current_.empty()) ++stats_.truncated;  // the previous message lacked data bytes
      current_.clear();
      if (b == 0xF0) {
        in_sysex_ = true;
        sysex_overflow_ = false;
        running_status_ = 0;
        current_.push_back(b);
        continue;
      }
      const int length = midi_data_length(b);
      running_status_ = b < 0xF0 ? b : 0;  // system common cancels running status
      if (length == 0) {
        if (b != 0xF7)
          emit(MidiBytes{b});
        else
          ++stats_.stray_data_bytes;
        continue;
      }
      current_.push_back(b);
      continue;
    }
    // A data byte.
    if (current_.empty()) {
      if (running_status_ == 0) {
        ++stats_.stray_data_bytes;
        continue;
      }
      current_.push_back(running_status_);
    }
    current_.push_back(b);
    if (static_cast<int>(current_.size()) == 1 + midi_data_length(current_[0])) {
      emit(current_);
      current_.clear();
    }
  }
}

}  // namespace routewise
