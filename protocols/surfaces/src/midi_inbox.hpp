#pragma once
// Messages from RtMidi's thread (JACK's process thread under the JACK API) to the owner's loop:
// a short critical section to append, an eventfd to wake the owner.

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "routewise/surfaces/midi_message.hpp"

namespace routewise {

class MidiInbox {
 public:
  MidiInbox() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~MidiInbox() {
    if (fd_ >= 0) ::close(fd_);
  }
  MidiInbox(const MidiInbox&) = delete;
  MidiInbox& operator=(const MidiInbox&) = delete;

  using Clock = std::chrono::steady_clock;
  using Handler = std::function<void(const MidiBytes&, Clock::time_point handed_over)>;

  void push(const std::uint8_t* data, std::size_t size) {
    const auto now = Clock::now();
    {
      const std::lock_guard lock(mutex_);
      queue_.emplace_back(MidiBytes(data, data + size), now);
      high_water_ = std::max(high_water_, queue_.size());
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(fd_, &one, sizeof one);
  }
  void drain(const Handler& handler) {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto n = ::read(fd_, &count, sizeof count);
    {
      const std::lock_guard lock(mutex_);
      taken_.swap(queue_);
    }
    for (const auto& [m, at] : taken_) handler(m, at);
    taken_.clear();
  }
  int fd() const { return fd_; }
  // The most messages ever waiting at once: a queue that keeps growing is a loop too slow.
  std::size_t high_water() {
    const std::lock_guard lock(mutex_);
    return high_water_;
  }

 private:
  int fd_;
  std::mutex mutex_;
  std::vector<std::pair<MidiBytes, Clock::time_point>> queue_, taken_;
  std::size_t high_water_ = 0;
};

}  // namespace routewise
